package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

class SlackWebhookTest {
    private static final String TOKEN = "XyZzY0123456789abcdefGHI";
    private final List<String> reads = new ArrayList<>();

    /** Answers every read with {@code value} and records which service was asked for which name. */
    private SlackWebhook webhook(String reference, String value, List<String> hosts) {
        SsmClient ssm = new SsmClient() {
            @Override
            public GetParameterResponse getParameter(GetParameterRequest request) {
                reads.add("ssm " + request.name() + " decrypt=" + request.withDecryption());
                return GetParameterResponse.builder().parameter(Parameter.builder().value(value).build()).build();
            }

            @Override
            public String serviceName() {
                return "ssm";
            }

            @Override
            public void close() {}
        };
        SecretsManagerClient secrets = new SecretsManagerClient() {
            @Override
            public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
                reads.add("secretsmanager " + request.secretId());
                return GetSecretValueResponse.builder().secretString(value).build();
            }

            @Override
            public String serviceName() {
                return "secretsmanager";
            }

            @Override
            public void close() {}
        };
        return new SlackWebhook(reference, secrets, ssm, hosts);
    }

    @ParameterizedTest
    @CsvSource({
        "arn:aws:ssm:eu-west-1:123456789012:parameter/tidewatch/slack, ssm",
        "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/tidewatch/slack, ssm",
        "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/tidewatch/slack, ssm",
        "/tidewatch/slack, ssm",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tidewatch/slack-AbCdEf, secretsmanager",
        "arn:aws-us-gov:secretsmanager:us-gov-east-1:123456789012:secret:tidewatch/slack-AbCdEf, secretsmanager",
        "arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:tidewatch/slack-AbCdEf, secretsmanager",
        "tidewatch/slack, secretsmanager",
    })
    void eachPartitionsReferenceIsReadFromItsService(String reference, String service) throws Exception {
        SlackWebhook webhook = webhook(reference, "https://hooks.slack.com/services/T0/B0/" + TOKEN, List.of());
        assertEquals("hooks.slack.com", webhook.url().getHost());
        String expected = "ssm".equals(service) ? "ssm " + reference + " decrypt=true" : "secretsmanager " + reference;
        assertEquals(List.of(expected), reads);
        assertEquals("ssm".equals(service), SlackWebhook.isParameter(reference));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.slack.com/services/T0/B0/", "https://hooks.slack-gov.com/services/T0/B0/",
        "https://HOOKS.SLACK.COM/services/T0/B0/"})
    void slacksOwnHostsAreAllowedByDefault(String prefix) throws Exception {
        assertEquals(prefix + TOKEN, webhook("/p", "{\"url\": \"" + prefix + TOKEN + "\"}", List.of()).url().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://evil.example/services/T0/B0/",
        "https://hooks.slack.com.evil.example/services/T0/B0/",
        "https://hooks.slack.com@evil.example/services/T0/B0/",
        "http://hooks.slack.com/services/T0/B0/",
        "http://127.0.0.1:8080/services/T0/B0/",
        "https://localhost/services/T0/B0/",
        "http://localhost:9000/services/T0/B0/",
    })
    void anyOtherHostIsRefusedWithoutShowingTheUrl(String prefix) {
        DeliveryException refused = assertThrows(DeliveryException.class,
                () -> webhook("/tidewatch/slack", prefix + TOKEN, List.of()).url());
        assertFalse(refused.getMessage().contains(TOKEN) || refused.getMessage().contains("/services/")
                || refused.getMessage().contains("evil"), refused.getMessage());
        assertTrue(refused.getMessage().contains("SSM parameter /tidewatch/slack"), refused.getMessage());
    }

    @Test
    void theAllowListReplacesTheDefaultAndLetsLoopbackIn() throws Exception {
        List<String> local = List.of("127.0.0.1", " Hooks.Example.Internal ");
        assertEquals("127.0.0.1", webhook("/p", "http://127.0.0.1:4566/services/T0/B0/" + TOKEN, local).url().getHost());
        assertEquals("hooks.example.internal",
                webhook("/p", "https://hooks.example.internal/x/" + TOKEN, local).url().getHost());
        DeliveryException slack = assertThrows(DeliveryException.class,
                () -> webhook("/p", "https://hooks.slack.com/services/T0/B0/" + TOKEN, local).url());
        assertTrue(slack.getMessage().contains("SLACK_WEBHOOK_HOSTS"), slack.getMessage());
        assertThrows(DeliveryException.class,
                () -> webhook("/p", "http://hooks.example.internal/x/" + TOKEN, local).url(), "http only to loopback");
    }

    @Test
    void aValueThatIsNoUrlIsRefusedWithoutShowingIt() {
        for (String stored : List.of("", "not a url " + TOKEN, "{\"other\": \"" + TOKEN + "\"}", "{broken " + TOKEN)) {
            DeliveryException refused = assertThrows(DeliveryException.class, () -> webhook("s", stored, List.of()).url());
            assertFalse(refused.getMessage().contains(TOKEN), refused.getMessage());
            assertTrue(refused.getMessage().contains("secret s"), refused.getMessage());
        }
    }
}

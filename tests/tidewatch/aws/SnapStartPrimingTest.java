package tidewatch.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import tidewatch.local.Sandbox;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** Priming runs every SDK call of every client up to transmission, and nothing reaches the sandbox. */
class SnapStartPrimingTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    private Sandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(World.empty());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void everyCallOfEveryClientIsStoppedBeforeItIsSent() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        aws.ecs();
        aws.ec2();
        aws.sns();
        aws.logs();
        aws.lambda();
        aws.secretsManager();
        aws.ssm();

        SnapStartPriming.Result result = SnapStartPriming.prime("test", aws);

        // ECS: DescribeTaskDefinition, ListTasks, DescribeTasks, RunTask; EC2: DescribeVpnConnections, CreateTags,
        // ReplaceVpnTunnel; one each for Logs, SNS, Lambda, Secrets Manager and SSM. Each stopped once: no retries.
        assertEquals(12, result.requestsStopped(), logs.text());
        assertEquals(0, result.failures(), logs.text());
        assertEquals(0, sandbox.requests(), "nothing was sent");
        assertTrue(sandbox.calls().isEmpty());
    }

    @Test
    void onlyMarkedRequestsAreStopped() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        SnapStartPriming.prime("test", aws, () -> SnapStartPriming.renderSampleMessage("test"));
        aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("real"));
        assertEquals(1, sandbox.calls("sns", "Publish").size(), "the same client still sends real requests");
    }

    @Test
    void aClientWithoutTheInterceptorIsNotPrimed() {
        try (SnsClient bare = SnsClient.builder().httpClient(AwsClients.httpClient(Duration.ofSeconds(2)))
                .region(Region.of(Sandbox.REGION)).endpointOverride(sandbox.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build()) {
            assertEquals(1, SnapStartPriming.primeClient("test", bare));
        }
        assertEquals(0, sandbox.requests());
    }

    @Test
    void aFailingStepIsCountedAndNeverEscapes() {
        SnapStartPriming.Result result = SnapStartPriming.prime("test", null,
                () -> { throw new IllegalStateException("broken step"); },
                () -> { throw new NoClassDefFoundError("missing"); },
                () -> SnapStartPriming.renderSampleMessage("test"));
        assertEquals(2, result.failures());
        assertEquals(0, result.requestsStopped());
        assertTrue(logs.text().contains("SnapStart priming step failed"));
    }
}

package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import tidewatch.aws.AwsClients;
import tidewatch.json.Json;

/** What the --aws mode records matches what the sandbox saw on the wire, for the calls the functions make. */
class CallRecorderTest {

    @Test
    void recordsEachRequestWithTheServiceOperationAndParametersTheSandboxSaw() throws IOException {
        Path file = Files.createTempFile("calls", ".jsonl");
        try (Sandbox sandbox = Sandbox.start(World.empty().topic("arn:aws:sns:us-east-1:123456789012:t"))) {
            CallRecorder recorder = new CallRecorder(file);
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"));
            try (SnsClient sns = SnsClient.builder().endpointOverride(sandbox.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(AwsClients.httpClient(Duration.ofSeconds(2)))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(recorder)).build();
                 EcsClient ecs = EcsClient.builder().endpointOverride(sandbox.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).httpClient(AwsClients.httpClient(Duration.ofSeconds(2)))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(recorder)).build()) {
                sns.publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").subject("[WARNING] s").message("m")
                        .messageAttributes(Map.of("severity", MessageAttributeValue.builder().dataType("String").stringValue("warning").build())));
                ecs.runTask(r -> r.cluster("prod").taskDefinition("report:7").clientToken("tidewatch-abc").group("family:report")
                        .tags(t -> t.key("tidewatch:restart-count").value("2")));
            }
            List<String> lines = Files.readAllLines(file);
            assertEquals(2, lines.size());
            for (int i = 0; i < 2; i++) {
                Map<String, Object> recorded = Json.parseObject(lines.get(i), "recorded").asMap();
                Sandbox.Call wire = sandbox.calls().get(i);
                assertEquals(wire.service(), recorded.get("service"));
                assertEquals(wire.operation(), recorded.get("operation"));
                assertEquals(Json.write(wire.params()), Json.write(recorded.get("params")), "the model's names are the wire's here");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void withoutTheFileItRecordsNothing() {
        assertFalse(System.getenv().containsKey(CallRecorder.CALLS_FILE), "the build does not set it");
        try (Sandbox sandbox = Sandbox.start(World.empty().topic("arn:aws:sns:us-east-1:123456789012:t"))) {
            sandbox.clients(Duration.ofSeconds(1)).sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("m"));
            assertEquals(1, sandbox.calls().size(), "the registered recorder is loaded by the SDK and stays out of the way");
        }
    }
}

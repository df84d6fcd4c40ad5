package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** Silences kept on the service or the cluster (tidewatch:silence-until), end to end through the sandbox. */
class SilenceFunctionTest {
    private static final String CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    private static World world() {
        return World.load(Path.of("events/worlds/web-crash-loop.json"));
    }

    /** The crash-loop world with its service web carrying these tags. */
    @SuppressWarnings("unchecked")
    private static World withServiceTags(Map<String, Object>... tags) throws Exception {
        Map<String, Object> root = Json.parseObject(Files.readString(Path.of("events/worlds/web-crash-loop.json")), "world").mutableCopy();
        ((List<Map<String, Object>>) ((Map<String, Object>) root.get("ecs")).get("services")).get(0).put("tags", List.of(tags));
        return World.parse(Json.write(root));
    }

    private static Map<String, Object> tagged(String until) {
        return Map.of("key", "tidewatch:silence-until", "value", until);
    }

    private JsonObject crash(World world) throws Exception {
        sandbox = sandboxes.start(world);
        EcsTaskStateFunction function = new EcsTaskStateFunction(new Settings(sandbox.declaring(Map.of(
                "NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications",
                "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url", "WATCHED_CLUSTERS", "prod"))), sandbox.clients(Duration.ofSeconds(2)));
        String batch = Json.write(Map.of("Records", List.of(Map.of("messageId", "m1", "body", SampleEvents.text("ecs-service-task-crashed.json"),
                "eventSource", "aws:sqs"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(batch.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private int told() {
        assertEquals(sandbox.calls("sns", "Publish").size(), sandbox.calls("slack", "post").size());
        return sandbox.calls("sns", "Publish").size();
    }

    @Test
    void aServiceSilencedUntilTomorrowIsNotToldButLoggedAndCounted() throws Exception {
        JsonObject output = crash(withServiceTags(tagged("2099-01-01T06:00:00Z")));
        assertEquals(List.of(), output.array("batchItemFailures"), "a silenced record is done, not retried");
        assertEquals(0, told());
        assertTrue(logs.text().contains("\"message\":\"notification silenced\""), logs.text());
        assertTrue(logs.text().contains("\"until\":\"2099-01-01T06:00:00Z\",\"by\":\"tidewatch:silence-until on service web in prod\""), logs.text());
        assertTrue(logs.text().contains("\"SilencedNotifications\":1"), "the EMF metric: " + logs.text());
        assertTrue(logs.text().contains("\"SILENCED\":1"), logs.text());
        assertEquals(Map.of("cluster", CLUSTER, "services", List.of("web"), "include", List.of("TAGS")),
                Map.of("cluster", sandbox.calls("ecs", "DescribeServices").get(0).params().get("cluster"),
                        "services", sandbox.calls("ecs", "DescribeServices").get(0).params().get("services"),
                        "include", sandbox.calls("ecs", "DescribeServices").get(0).params().get("include")));
    }

    @Test
    void theClustersSilenceCoversItsServices() throws Exception {
        JsonObject output = crash(world().addCluster(Map.of("clusterName", "prod", "clusterArn", CLUSTER, "tags", List.of(tagged("2099-01-01T06:00:00Z")))));
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(0, told());
        assertTrue(logs.text().contains("tidewatch:silence-until on cluster prod"), logs.text());
    }

    @Test
    void anExpiredSilenceIsNoSilence() throws Exception {
        crash(world().addCluster(Map.of("clusterName", "prod", "clusterArn", CLUSTER, "tags", List.of(tagged("2020-01-01T00:00:00Z")))));
        assertEquals(1, told());
    }

    @Test
    void anUnreadableSilenceIsToldAndSaidSo() throws Exception {
        crash(withServiceTags(tagged("until Monday")));
        assertEquals(1, told());
        String body = (String) sandbox.calls("sns", "Publish").get(0).params().get("Message");
        assertTrue(body.contains("Silence: the tag tidewatch:silence-until on service web in prod holds 'until Monday', not an ISO-8601 "
                + "instant such as 2026-12-05T06:00:00Z: not silenced"), body);
    }

    @Test
    void aTagReadThatFailsMeansNotSilenced() throws Exception {
        crash(withServiceTags(tagged("2099-01-01T06:00:00Z")).fault("ecs.DescribeServices", "AccessDeniedException")
                .fault("ecs.DescribeClusters", "timeout"));
        assertEquals(1, told());
        assertTrue(logs.text().contains("silence unreadable; not silenced"), logs.text());
    }

    @Test
    void theWebhookIsReadOnceWhetherAheadOfThePostOrByIt() throws Exception {
        crash(world());
        assertEquals(1, told());
        assertEquals(1, sandbox.calls("ssm", "GetParameter").size(), "the read made ahead (Notifier.prepare) serves the post");
    }
}

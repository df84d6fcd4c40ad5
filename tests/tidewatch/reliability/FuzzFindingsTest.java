package tidewatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.ecs.EcsHandlerFactory;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Notifier;
import tidewatch.vpn.VpnHandlerFactory;

/** Regression tests for what the fuzz suite found, each with the smallest input that showed it. */
class FuzzFindingsTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";
    private static final String WEBHOOK = "/tidewatch/slack-webhook-url";

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    /**
     * Overrides of the wrong shape made building the RunTask request throw inside the restart: the record failed,
     * nobody was told, and SQS redelivered it five times into the dead-letter queue, where retrying cannot help.
     * Now the body is only compared with ECS's record: the difference is told and nothing of the body is replayed.
     */
    @Test
    void overridesThatCannotBeReplayedAreToldAndTheRestartUsesEcsRecord() throws IOException {
        RequestStreamHandler function = ecs(World.load(Path.of("events/worlds/nightly-report-restart.json")));
        String event = ecsEvent("ecs-standalone-task-crashed.json", detail -> {
            Map<String, Object> container = EventMutator.castMap(EventMutator.castList(
                    EventMutator.castMap(detail.get("overrides")).get("containerOverrides")).get(0));
            container.put("command", List.of("python", 7));
        });

        JsonObject output = invoke(function, sqsBatch("m-1", event));

        // Since issue 20 the restart is built from ECS's own record: the body's unreplayable overrides are told, not used.
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(1, sandbox.calls("ecs", "RunTask").size());
        assertEquals(List.of("python", "report.py", "--date", "2026-11-23"), EventMutator.castMap(EventMutator.castList(EventMutator.castMap(
                sandbox.calls("ecs", "RunTask").get(0).params().get("overrides")).get("containerOverrides")).get(0)).get("command"));
        String message = snsMessage();
        assertTrue(message.contains("The event disagrees with ECS's record of the task on overrides; only ECS's record is acted on."), message);
    }

    /** A task ARN with too few parts and no envelope region: an ArrayIndexOutOfBoundsException failed the stop. */
    @Test
    void aTaskArnWithoutARegionIsStillNotified() throws IOException {
        RequestStreamHandler function = ecs(World.empty()); // no earlier stops: this one is notified
        String event = ecsEvent("ecs-service-task-crashed.json", detail -> detail.put("taskArn", "arn::task/prod/8f2c1d9e"),
                "region", null);

        assertEquals("NOTIFIED", invoke(function, event).string("result"));
        assertSlackLinksOnlyToTheConsole();
    }

    /** The task ARN's region part became the host of the console links when the envelope had no region. */
    @Test
    void aTaskArnRegionThatIsNoRegionNeverBecomesALinkHost() throws IOException {
        RequestStreamHandler function = ecs(World.empty());
        String event = ecsEvent("ecs-service-task-crashed.json",
                detail -> detail.put("taskArn", "arn:aws:ecs:evil.example/#:123456789012:task/prod/8f2c1d9e"), "region", null);

        assertEquals("NOTIFIED", invoke(function, event).string("result"));
        assertSlackLinksOnlyToTheConsole();
        assertFalse(snsMessage().contains("evil.example/#.console"), snsMessage());
    }

    /** The EventBridge and Lambda-action shapes took "region" as written, so any text became the console links' host. */
    @Test
    void anAlarmRegionThatIsNoRegionNeverBecomesALinkHost() throws IOException {
        RequestStreamHandler function = vpn();
        Map<String, Object> bogus = alarm("vpn-alarm-eventbridge.json");
        bogus.put("region", "evil.example/#");
        bogus.put("resources", List.of("arn:aws:cloudwatch:evil.example/#:123456789012:alarm:tidewatch-vpn-tunnel-down"));
        Map<String, Object> fromArn = alarm("vpn-alarm-lambda-action.json");
        fromArn.put("region", "ALARM");

        invoke(function, Json.write(bogus));
        invoke(function, Json.write(fromArn));

        assertSlackLinksOnlyToTheConsole();
        List<Sandbox.Call> posts = sandbox.calls("slack", "post");
        assertFalse(Json.write(posts.get(0).params()).contains("\"url\""), "no region, no console link");
        assertTrue(Json.write(posts.get(1).params()).contains("https://eu-west-1.console.aws.amazon.com/cloudwatch/"),
                "the alarm ARN's region is used when the envelope's is no region");
    }

    /** A 1 MiB state value was quoted whole in the WARN line: beyond CloudWatch Logs' 256 KB, such a line is split. */
    @Test
    void aHugeValueIsLoggedWithinCloudWatchLogsLimits() throws IOException {
        RequestStreamHandler function = vpn();
        Map<String, Object> alarm = alarm("vpn-alarm-lambda-action.json");
        EventMutator.castMap(EventMutator.castMap(alarm.get("alarmData")).get("state")).put("value", "X".repeat(EventMutator.HUGE));

        invoke(function, Json.write(alarm));

        List<String> lines = logs.lines();
        assertTrue(lines.stream().allMatch(line -> line.length() < FuzzTest.MAX_LOG_LINE),
                "longest line " + lines.stream().mapToInt(String::length).max().orElse(0));
        JsonObject warning = lines.stream().map(line -> Json.parseObject(line, "log"))
                .filter(line -> "unrecognised payload".equals(line.string("message"))).findFirst().orElseThrow();
        String problem = warning.string("problem");
        String named = "event.alarmData.state.value: unknown alarm state '";
        assertTrue(problem.startsWith(named + "XXX"), problem.substring(0, 80));
        assertTrue(problem.endsWith("... (" + (named.length() + EventMutator.HUGE + 1) + " characters)"),
                problem.substring(problem.length() - 40));
        assertEquals(1, sandbox.calls("slack", "post").size(), "and people still get it");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private RequestStreamHandler ecs(World world) {
        sandbox = sandboxes.start(world);
        return EcsHandlerFactory.ecsTaskState(new Settings(sandbox.declaring(Map.of("NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", WEBHOOK,
                "ENABLE_TASK_RESTARTS", "true"))), sandbox.clients(Duration.ofSeconds(2)));
    }

    private RequestStreamHandler vpn() {
        sandbox = sandboxes.start(World.load(Path.of("events/worlds/vpn-one-tunnel-down.json")));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        Settings settings = new Settings(sandbox.declaring(Map.of("NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", WEBHOOK,
                "VPN_CONNECTION_IDS", "vpn-0a1b2c3d4e5f67890", "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive")));
        return VpnHandlerFactory.vpnAlarm(settings, aws, Notifier.fromSettings(settings, aws),
                Clock.fixed(Instant.parse("2024-05-01T10:18:00Z"), ZoneOffset.UTC));
    }

    /** A sample ECS event with its detail changed, and envelope members set (null removes one). */
    private static String ecsEvent(String file, Consumer<Map<String, Object>> detail, String... envelopeKeyValues) {
        Map<String, Object> envelope = EventMutator.castMap(EventMutator.copy(Json.parse(FuzzTest.read(Path.of("events", file)))));
        detail.accept(EventMutator.castMap(envelope.get("detail")));
        for (int i = 0; i < envelopeKeyValues.length; i += 2) {
            if (envelopeKeyValues[i + 1] == null) {
                envelope.remove(envelopeKeyValues[i]);
            } else {
                envelope.put(envelopeKeyValues[i], envelopeKeyValues[i + 1]);
            }
        }
        return Json.write(envelope);
    }

    private static Map<String, Object> alarm(String file) {
        return EventMutator.castMap(EventMutator.copy(Json.parse(FuzzTest.read(Path.of("events", file)))));
    }

    private static JsonObject invoke(RequestStreamHandler function, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private static String sqsBatch(String id, String body) {
        return Json.write(Map.of("Records", List.of(Map.of("messageId", id, "body", body, "eventSource", "aws:sqs"))));
    }

    private String snsMessage() {
        List<Sandbox.Call> publishes = sandbox.calls("sns", "Publish");
        assertFalse(publishes.isEmpty(), "nothing was published: " + sandbox.calls());
        return (String) publishes.get(publishes.size() - 1).params().get("Message");
    }

    private void assertSlackLinksOnlyToTheConsole() {
        List<Sandbox.Call> posts = sandbox.calls("slack", "post");
        assertFalse(posts.isEmpty());
        List<String> problems = new ArrayList<>();
        posts.forEach(post -> FuzzTest.slackProblems(post.params(), false, "", problems));
        assertEquals(List.of(), problems);
    }
}

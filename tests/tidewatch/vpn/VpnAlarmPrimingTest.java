package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.priming.SnapStartPriming;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Message;

/** The SnapStart hook against the sandbox: it must send nothing, throw nothing, and leave the function working. */
class VpnAlarmPrimingTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private final Sandbox sandbox = sandboxes.start(World.load(Path.of("events/worlds/vpn-one-tunnel-down.json")));

    @Test
    void theCheckpointHookSendsNothingThenTheFunctionWorks() throws Exception {
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.from(new Settings(sandbox.declaring(Map.of(
                "NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications",
                "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url",
                "VPN_CONNECTION_IDS", "vpn-0a1b2c3d4e5f67890",
                "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive:live",
                "ENABLE_TUNNEL_REPLACEMENT", "true"))),
                sandbox.clients(Duration.ofSeconds(2))));

        assertDoesNotThrow(() -> function.beforeCheckpoint(null));
        assertTrue(sandbox.calls().isEmpty(), "no notification, no Invoke, no tunnel replaced, no secret read: " + sandbox.calls());
        assertEquals(0, sandbox.requests());
        String log = logs.text();
        assertTrue(log.contains("\"requestsStopped\":6") && log.contains("\"failures\":0"), log);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("events/vpn-alarm-eventbridge.json"))), out, null);
        assertEquals(1, sandbox.calls("ec2", "DescribeVpnConnections").size(), out.toString(StandardCharsets.UTF_8));
        assertEquals(1, sandbox.calls("sns", "Publish").size());
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    @Test
    void primingAssessesAnAlarmOnTheFunctionsSettingsWithoutRunningAResponse() {
        Message message = VpnAlarmPriming.assessSample(VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"));

        assertTrue(message.title().startsWith(VpnAlarmDecision.TITLE_DEGRADED), message.title());
        String responses = VpnFixtures.field(message, VpnAlarmPlan.RESPONSE_FIELD);
        assertTrue(responses.contains("keepalive burst of 3 rounds requested") && responses.contains("tunnel 192.0.2.10 replacement: requested"),
                "the burst and the replacement the settings allow, planned and reported as requested: " + responses);
        assertTrue(sandbox.calls().isEmpty(), "nothing ran");

        String withoutReplacement = VpnFixtures.field(VpnAlarmPriming.assessSample(VpnFixtures.usualConfig()), VpnAlarmPlan.RESPONSE_FIELD);
        assertTrue(withoutReplacement.contains("tunnel replacement: off"), withoutReplacement);
    }

    @Test
    void theHookRunsTheAssessmentAndABrokenOneNeverEscapes() {
        // Without settings the assessment cannot run: one failed step, counted and logged, and the hook returns.
        SnapStartPriming.Result result = assertDoesNotThrow(() -> VpnAlarmPriming.prime(null, null, null, null, null));
        assertEquals(1, result.failures(), logs.text());
        assertEquals(0, VpnAlarmPriming.prime(null, null, null, null, VpnFixtures.usualConfig()).failures(), logs.text());
    }
}

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.local.Sandbox;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Message;

/** The SnapStart hook against the sandbox: it must send nothing, throw nothing, and leave the function working. */
class VpnAlarmPrimingTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    private Sandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = Sandbox.start(World.load(Path.of("events/worlds/vpn-one-tunnel-down.json")));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void theCheckpointHookSendsNothingThenTheFunctionWorks() throws Exception {
        VpnAlarmFunction function = new VpnAlarmFunction(new Settings(Map.of(
                "NOTIFY_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications",
                "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url",
                "VPN_CONNECTION_IDS", "vpn-0a1b2c3d4e5f67890",
                "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive:live",
                "ENABLE_TUNNEL_REPLACEMENT", "true")),
                sandbox.clients(Duration.ofSeconds(2)));

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
        VpnAlarmConfig settings = VpnAlarmConfig.from(new Settings(Map.of(
                "VPN_CONNECTION_IDS", "vpn-0a1b2c3d4e5f67890",
                "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive:live",
                "ENABLE_TUNNEL_REPLACEMENT", "true")));

        Message message = VpnAlarmPriming.assessSample(settings);

        assertTrue(message.title().startsWith(VpnAlarmDecision.TITLE_DEGRADED), message.title());
        assertTrue(responses(message).contains("keepalive burst of 3 rounds requested")
                && responses(message).contains("tunnel 192.0.2.10 replacement: requested"),
                "the burst and the replacement the settings allow, planned and reported as requested: " + responses(message));
        assertTrue(sandbox.calls().isEmpty(), "nothing ran");

        Message withoutReplacement = VpnAlarmPriming.assessSample(VpnAlarmConfig.from(new Settings(Map.of(
                "VPN_CONNECTION_IDS", "vpn-0a1b2c3d4e5f67890", "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive:live"))));
        assertTrue(responses(withoutReplacement).contains("tunnel replacement: off"), responses(withoutReplacement));
    }

    private static String responses(Message message) {
        return message.fields().stream().filter(f -> f.name().equals(Plan.RESPONSE_FIELD))
                .map(Message.Field::value).findFirst().orElseThrow();
    }
}

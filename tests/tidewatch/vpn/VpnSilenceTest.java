package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;

/** A silence on the VPN connection (a planned datacenter maintenance): nobody is paged, the responses still run. */
class VpnSilenceTest {
    private static final String VPN = "vpn-0a1b2c3d4e5f67890";
    private static final Instant NOW = Instant.parse("2024-05-01T10:18:00Z");

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;
    private final RecordingChannel channel = new RecordingChannel("test", false);

    private static Map<String, Object> bothDown(String silenceUntil) {
        List<Object> tags = new ArrayList<>(List.of(Map.of("Key", "Name", "Value", "datacenter")));
        if (silenceUntil != null) {
            tags.add(Map.of("Key", "tidewatch:silence-until", "Value", silenceUntil));
        }
        return Map.of("VpnConnectionId", VPN, "State", "available", "Tags", tags, "VgwTelemetry", List.of(
                Map.of("OutsideIpAddress", "203.0.113.10", "Status", "DOWN", "LastStatusChange", "2024-05-01T09:31:00Z"),
                Map.of("OutsideIpAddress", "203.0.113.20", "Status", "DOWN", "LastStatusChange", "2024-05-01T09:33:00Z")));
    }

    private JsonObject alarm(String silenceUntil) throws Exception {
        sandbox = sandboxes.start(World.empty().addVpnConnection(bothDown(silenceUntil)).topic("arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications")
                .function("tidewatch-keepalive"));
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(sandbox.clients(Duration.ofSeconds(2)), new Notifier(List.of(channel)),
                VpnFixtures.usualConfig(), Clock.fixed(NOW, ZoneOffset.UTC)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("events/vpn-alarm-eventbridge.json"))), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    @Test
    void aSilencedVpnPagesNobodyButItsResponsesStillRunAndTheSilenceIsLoggedAndCounted() throws Exception {
        JsonObject output = alarm("2024-05-01T14:00:00Z");
        assertEquals(List.of(), channel.messages());
        JsonObject result = output.objects("results").get(0);
        assertEquals("2024-05-01T14:00:00Z", result.string("silenced"));
        assertEquals(List.of(), result.strings("notified"));
        assertEquals(1, sandbox.calls("lambda", "Invoke").size(), "the keepalive burst follows its own setting");
        assertTrue(logs.text().contains("\"message\":\"notification silenced\""), logs.text());
        assertTrue(logs.text().contains("tidewatch:silence-until on VPN " + VPN), logs.text());
        assertTrue(logs.text().contains("\"SilencedNotifications\":1"), logs.text());
    }

    @Test
    void anEndedSilenceIsNoneAndAnUnreadableOneIsToldAndSaidSo() throws Exception {
        alarm("2024-05-01T10:00:00Z");
        assertEquals(1, channel.messages().size(), "the silence ended at 10:00, the alarm came at 10:18");

        RecordingChannel fresh = new RecordingChannel("test", false);
        sandbox = sandboxes.start(World.empty().addVpnConnection(bothDown("after the maintenance")).function("tidewatch-keepalive"));
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(sandbox.clients(Duration.ofSeconds(2)), new Notifier(List.of(fresh)),
                VpnFixtures.usualConfig(), Clock.fixed(NOW, ZoneOffset.UTC)));
        function.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("events/vpn-alarm-eventbridge.json"))),
                new ByteArrayOutputStream(), null);
        Message message = fresh.messages().get(0);
        assertEquals("the tag tidewatch:silence-until on VPN " + VPN + " holds 'after the maintenance', not an ISO-8601 instant such as "
                + "2026-12-05T06:00:00Z: not silenced", VpnFixtures.field(message, "Silence"));
    }

    private JsonObject tunnelCheck(String silenceUntil) throws Exception {
        sandbox = sandboxes.start(World.empty().addVpnConnection(bothDown(silenceUntil)).topic("arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications"));
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(sandbox.clients(Duration.ofSeconds(2)), new Notifier(List.of(channel)),
                VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"), Clock.fixed(NOW, ZoneOffset.UTC)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("events/vpn-tunnel-check-scheduled.json"))), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    @Test
    void whenTheSilenceEndsWhileTheVpnIsStillDownTheNextTunnelCheckTellsPeopleOnce() throws Exception {
        tunnelCheck("2024-05-01T10:13:00Z"); // ended 5 minutes before this check
        assertEquals(1, channel.messages().size());
        Message message = channel.messages().get(0);
        assertEquals("VPN still not fully up after its silence ended", message.title());
        assertEquals(tidewatch.notify.Severity.CRITICAL, message.severity());
        assertTrue(message.summary().startsWith("The silence on " + VPN + " (tag tidewatch:silence-until) ended at 2024-05-01T10:13:00Z "
                + "and every tunnel is still DOWN"), message.summary());

        JsonObject quiet = tunnelCheck("2024-05-01T09:58:00Z"); // ended 20 minutes ago: the check before this one told it
        assertEquals(1, channel.messages().size(), "told once");
        assertEquals("tunnel check", quiet.objects("results").get(0).string("skipped"));

        tunnelCheck("2024-05-01T14:00:00Z"); // still silenced: the check says nothing either
        assertEquals(1, channel.messages().size());
    }
}

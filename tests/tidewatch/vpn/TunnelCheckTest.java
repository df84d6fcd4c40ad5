package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.NOW;
import static tidewatch.vpn.VpnFixtures.TUNNEL_A;
import static tidewatch.vpn.VpnFixtures.TUNNEL_B;
import static tidewatch.vpn.VpnFixtures.VPN;
import static tidewatch.vpn.VpnFixtures.down;
import static tidewatch.vpn.VpnFixtures.telemetry;
import static tidewatch.vpn.VpnFixtures.telemetryWithTags;
import static tidewatch.vpn.VpnFixtures.up;
import static tidewatch.vpn.VpnFixtures.usualConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;

/** The scheduled tunnel check: the sample schedule event, and what the decision makes of one read of the tunnels. */
class TunnelCheckTest {
    private static final VpnAlarmSettings REPLACING = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");
    private static final Duration MINUTES_47 = Duration.ofMinutes(47);
    private static final Duration DAYS_3 = Duration.ofDays(3);
    private static final String OTHER_VPN = "vpn-0fedcba9876543210";

    private static VpnAlarmPlan.Notify notify(VpnAlarmPlan plan) {
        return assertInstanceOf(VpnAlarmPlan.Notify.class, plan);
    }

    private static VpnAlarmPlan.Skip skip(VpnAlarmPlan plan) {
        return assertInstanceOf(VpnAlarmPlan.Skip.class, plan);
    }

    @Test
    void theSampleScheduleParsesAsATunnelCheckNamingItsRule() {
        List<ParsedEvent> parsed = AlarmParser.parse(VpnFixtures.event("vpn-tunnel-check-scheduled.json"));

        assertEquals(List.of(new ParsedEvent.TunnelCheck("arn:aws:events:eu-west-1:123456789012:rule/tidewatch-VpnTunnelCheck")),
                parsed);
    }

    @Test
    void withReplacementOffNothingIsReadAndNothingDone() {
        VpnAlarmSettings off = usualConfig();

        assertEquals(List.of(), VpnAlarmDecision.vpnsToCheck(off));
        // Even handed a degraded read, the check does nothing: replacement is an explicit choice.
        VpnAlarmPlan.Skip plan = skip(VpnAlarmDecision.tunnelCheck(off, telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, DAYS_3)), NOW));
        assertEquals("tunnel check", plan.subject());
        assertEquals("tunnel replacement is off (ENABLE_TUNNEL_REPLACEMENT=false)", plan.reason());
    }

    @Test
    void withReplacementOnTheConfiguredVpnsAreRead() {
        assertEquals(List.of(VPN), VpnAlarmDecision.vpnsToCheck(REPLACING));
        VpnAlarmSettings two = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true", "VPN_CONNECTION_IDS", VPN + "," + OTHER_VPN);
        assertEquals(List.of(VPN, OTHER_VPN), VpnAlarmDecision.vpnsToCheck(two));
    }

    @Test
    void withAnEmptyVpnListNothingIsCheckedAndTheReasonSaysWhy() {
        VpnAlarmSettings empty = VpnFixtures.config("ENABLE_TUNNEL_REPLACEMENT", "true");

        assertEquals(List.of(), VpnAlarmDecision.vpnsToCheck(empty));
        VpnAlarmPlan.Skip plan = skip(VpnAlarmDecision.tunnelCheck(empty, telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, DAYS_3)), NOW));
        assertEquals("VPN_CONNECTION_IDS is empty, so Tidewatch takes no automatic action", plan.reason());
    }

    @Test
    void aTunnelDownPastTheThresholdWhileTheOtherIsUpIsReplaced() {
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.tunnelCheck(REPLACING,
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, DAYS_3)), NOW));

        assertEquals(List.of(new Response.ReplaceTunnel(VPN, TUNNEL_A, MINUTES_47, "tidewatch:replaced:" + TUNNEL_A, NOW)),
                plan.responses());
        assertEquals(Severity.WARNING, plan.severity());
        assertEquals("VPN tunnel " + TUNNEL_A + " replaced after staying down", plan.title());
        assertEquals("vpn/" + VPN + "/tunnel-check", plan.key());
        assertTrue(plan.summary().contains("past 30 min"), plan.summary());
        Message message = plan.message(plan.responses().stream().map(ResponseResult::done).toList());
        assertEquals("tunnel " + TUNNEL_A + " replacement: requested (down 47 min)", VpnFixtures.field(message, "Automatic response"));
        assertTrue(VpnFixtures.field(message, "Tunnel " + TUNNEL_A).startsWith("DOWN since 2024-05-01T09:31:00Z (47 min ago)"),
                VpnFixtures.field(message, "Tunnel " + TUNNEL_A));
        assertTrue(VpnFixtures.field(message, "Tunnel " + TUNNEL_B).startsWith("UP since"), VpnFixtures.field(message, "Tunnel " + TUNNEL_B));
    }

    @Test
    void theThresholdIsASetting() {
        VpnAlarmSettings patient = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true", "TUNNEL_DOWN_THRESHOLD", "1h");

        VpnAlarmPlan.Skip plan = skip(VpnAlarmDecision.tunnelCheck(patient,
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, DAYS_3)), NOW));

        assertEquals("tunnel " + TUNNEL_A + " replacement: skipped, down 47 min < 1 h threshold", plan.reason());
    }

    @Test
    void aTunnelDownLessThanTheThresholdWaitsAndSaysWhy() {
        VpnAlarmPlan.Skip plan = skip(VpnAlarmDecision.tunnelCheck(REPLACING,
                telemetry(down(TUNNEL_A, Duration.ofMinutes(12)), up(TUNNEL_B, DAYS_3)), NOW));

        assertEquals("tunnel check", plan.subject());
        assertEquals("tunnel " + TUNNEL_A + " replacement: skipped, down 12 min < 30 min threshold", plan.reason());
    }

    @Test
    void bothTunnelsDownIsNeverAReplacement() {
        VpnAlarmPlan.Skip plan = skip(VpnAlarmDecision.tunnelCheck(REPLACING,
                telemetry(down(TUNNEL_A, Duration.ofHours(2)), down(TUNNEL_B, MINUTES_47)), NOW));

        assertEquals("no tunnel is down while another is up", plan.reason());
    }

    @Test
    void everyTunnelUpOrAnUnreadableVpnIsNothingToDo() {
        assertEquals("no tunnel is down while another is up", skip(VpnAlarmDecision.tunnelCheck(REPLACING,
                telemetry(up(TUNNEL_A, DAYS_3), up(TUNNEL_B, DAYS_3)), NOW)).reason());
        Map<String, VpnTelemetry> unreadable = Map.of(VPN, new VpnTelemetry.Unavailable(VPN, "DescribeVpnConnections failed"));
        assertEquals(VPN + ": telemetry unavailable, DescribeVpnConnections failed",
                skip(VpnAlarmDecision.tunnelCheck(REPLACING, unreadable, NOW)).reason(), "the log says why nothing was checked");
        assertEquals(VPN + ": telemetry unavailable, not read", skip(VpnAlarmDecision.tunnelCheck(REPLACING, Map.of(), NOW)).reason());
    }

    @Test
    void aRecentCooldownTagHoldsTheReplacementBack() {
        Map<String, VpnTelemetry> read = telemetryWithTags(
                Map.of("tidewatch:replaced:" + TUNNEL_A, NOW.minus(Duration.ofHours(3)).toString()),
                down(TUNNEL_A, Duration.ofHours(4)), up(TUNNEL_B, DAYS_3));

        VpnAlarmPlan.Skip plan = skip(VpnAlarmDecision.tunnelCheck(REPLACING, read, NOW));

        assertEquals("tunnel " + TUNNEL_A + " replacement: skipped, replaced 3 h ago (at 2024-05-01T07:18:00Z), "
                + "cooldown 6 h", plan.reason());
    }

    @Test
    void anExpiredCooldownTagAllowsTheNextReplacement() {
        Map<String, VpnTelemetry> read = telemetryWithTags(
                Map.of("tidewatch:replaced:" + TUNNEL_A, NOW.minus(Duration.ofHours(7)).toString()),
                down(TUNNEL_A, Duration.ofHours(4)), up(TUNNEL_B, DAYS_3));

        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.tunnelCheck(REPLACING, read, NOW));

        assertEquals(List.of(TUNNEL_A), plan.responses().stream().map(r -> ((Response.ReplaceTunnel) r).outsideIp()).toList());
    }

    @Test
    void ofTwoConfiguredVpnsOnlyTheDegradedOneIsReplaced() {
        VpnAlarmSettings two = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true", "VPN_CONNECTION_IDS", VPN + "," + OTHER_VPN);
        String otherA = "198.51.100.10";
        String otherB = "198.51.100.20";
        Map<String, VpnTelemetry> read = new LinkedHashMap<>();
        read.put(VPN, new VpnTelemetry.Available(new VpnConnectionStatus(VPN, "available",
                List.of(up(TUNNEL_A, DAYS_3), up(TUNNEL_B, DAYS_3)), Map.of())));
        read.put(OTHER_VPN, new VpnTelemetry.Available(new VpnConnectionStatus(OTHER_VPN, "available",
                List.of(up(otherA, DAYS_3), down(otherB, MINUTES_47)), Map.of())));

        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.tunnelCheck(two, read, NOW));

        assertEquals(List.of(new Response.ReplaceTunnel(OTHER_VPN, otherB, MINUTES_47, "tidewatch:replaced:" + otherB, NOW)),
                plan.responses());
        assertEquals("VPN tunnel " + otherB + " replaced after staying down", plan.title());
        assertEquals("vpn/" + VPN + "+" + OTHER_VPN + "/tunnel-check", plan.key());
        Message message = plan.message(plan.responses().stream().map(ResponseResult::done).toList());
        assertEquals(OTHER_VPN + " (available)", VpnFixtures.field(message, "VPN"), "only the degraded VPN is described");
    }
}

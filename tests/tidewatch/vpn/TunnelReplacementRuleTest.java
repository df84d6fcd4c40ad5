package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.NOW;
import static tidewatch.vpn.VpnFixtures.TUNNEL_A;
import static tidewatch.vpn.VpnFixtures.TUNNEL_B;
import static tidewatch.vpn.VpnFixtures.VPN;
import static tidewatch.vpn.VpnFixtures.down;
import static tidewatch.vpn.VpnFixtures.up;
import static tidewatch.vpn.VpnFixtures.usualConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The tunnel replacement rule, one row per case: tunnel A is the candidate, tunnel B is UP. */
class TunnelReplacementRuleTest {
    private static final Duration MINUTES_47 = Duration.ofMinutes(47);
    private static final String TAG_A = "tidewatch:replaced:" + TUNNEL_A;
    private static final String TAG_B = "tidewatch:replaced:" + TUNNEL_B;
    private static final VpnAlarmSettings ON = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");
    /** Expected outcome of a row that replaces; any other expectation is the NotRun text. */
    private static final String REPLACED = "REPLACED";

    /** {@code exact}: the NotRun text is the whole description, else a part of it. */
    record Row(String name, VpnAlarmSettings settings, String state, TunnelTelemetry candidate,
               Map<String, String> tags, String expected, boolean exact) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        TunnelTelemetry unknown = new TunnelTelemetry(TUNNEL_A, TunnelTelemetry.Status.UNKNOWN, "",
                NOW.minus(Duration.ofHours(2)), null);
        TunnelTelemetry noTime = new TunnelTelemetry(TUNNEL_A, TunnelTelemetry.Status.DOWN, "", null, 0);
        return Stream.of(
                new Row("down past the threshold", ON, "available", down(TUNNEL_A, MINUTES_47), Map.of(), REPLACED, true),
                new Row("waits for the down threshold", ON, "available", down(TUNNEL_A, Duration.ofMinutes(12)), Map.of(),
                        "tunnel " + TUNNEL_A + " replacement: skipped, down 12 min < 30 min threshold", true),
                new Row("the threshold comes from the settings",
                        usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true", "TUNNEL_DOWN_THRESHOLD", "10m"), "available",
                        down(TUNNEL_A, Duration.ofMinutes(12)), Map.of(), REPLACED, true),
                new Row("a tunnel with unknown status", ON, "available", unknown, Map.of(), "status is UNKNOWN", false),
                new Row("down since an unknown time", ON, "available", noTime, Map.of(), "down since an unknown time", false),
                new Row("a last change in the future: clocks disagree, down for an unknown time", ON, "available",
                        down(TUNNEL_A, Duration.ofHours(-2)), Map.of(), "tunnel " + TUNNEL_A + " replacement: skipped, "
                        + "down since 2024-05-01T12:18:00Z (in the future: clocks disagree), so for an unknown time", true),
                new Row("a tag a little ahead still holds the cooldown", ON, "available", down(TUNNEL_A, MINUTES_47),
                        Map.of(TAG_A, NOW.plus(Duration.ofHours(1)).toString()), "tunnel " + TUNNEL_A + " replacement: "
                        + "skipped, replaced at 2024-05-01T11:18:00Z (in the future: clocks disagree), cooldown 6 h", true),
                new Row("a recent replacement tag holds the cooldown", ON, "available", down(TUNNEL_A, MINUTES_47),
                        Map.of(TAG_A, NOW.minus(Duration.ofHours(2)).toString(), "Name", "datacenter"),
                        "tunnel " + TUNNEL_A + " replacement: skipped, replaced 2 h ago (at 2024-05-01T08:18:00Z), cooldown 6 h",
                        true),
                new Row("an old replacement tag does not hold", ON, "available", down(TUNNEL_A, MINUTES_47),
                        Map.of(TAG_A, NOW.minus(Duration.ofHours(7)).toString()), REPLACED, true),
                new Row("the other tunnel's tag does not hold", ON, "available", down(TUNNEL_A, MINUTES_47),
                        Map.of(TAG_B, NOW.minus(Duration.ofMinutes(5)).toString()), REPLACED, true),
                new Row("an unreadable tag is read as recent", ON, "available", down(TUNNEL_A, MINUTES_47),
                        Map.of(TAG_A, "yesterday"), "'yesterday'", false),
                new Row("a connection that is not available", ON, "deleting", down(TUNNEL_A, MINUTES_47), Map.of(),
                        "the connection is deleting", false),
                new Row("an empty VPN_CONNECTION_IDS", VpnFixtures.config("ENABLE_TUNNEL_REPLACEMENT", "true"), "available",
                        down(TUNNEL_A, Duration.ofHours(5)), Map.of(), VPN + " is not in VPN_CONNECTION_IDS", false),
                new Row("a VPN that is not listed", VpnFixtures.config("ENABLE_TUNNEL_REPLACEMENT", "true",
                        "VPN_CONNECTION_IDS", "vpn-0fffffffffffffff0"), "available",
                        down(TUNNEL_A, Duration.ofHours(5)), Map.of(), VPN + " is not in VPN_CONNECTION_IDS", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(Row row) {
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, row.state(),
                List.of(row.candidate(), up(TUNNEL_B, Duration.ofMinutes(40))), row.tags());

        Response response = TunnelReplacementRule.decide(status, row.candidate(), row.settings(), NOW);

        if (REPLACED.equals(row.expected())) {
            Duration downFor = Duration.between(row.candidate().lastStatusChange(), NOW);
            assertEquals(new Response.ReplaceTunnel(VPN, TUNNEL_A, downFor, TAG_A, NOW), response);
        } else if (row.exact()) {
            assertEquals(row.expected(), assertInstanceOf(Response.NotRun.class, response).describe());
        } else {
            String said = assertInstanceOf(Response.NotRun.class, response).describe();
            assertTrue(said.contains(row.expected()), said);
        }
    }
}

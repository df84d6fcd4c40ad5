package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.NOW;
import static tidewatch.vpn.VpnFixtures.TUNNEL_A;
import static tidewatch.vpn.VpnFixtures.TUNNEL_B;
import static tidewatch.vpn.VpnFixtures.VPN;
import static tidewatch.vpn.VpnFixtures.down;
import static tidewatch.vpn.VpnFixtures.up;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The telemetry sanity rule, one row per shape of VgwTelemetry: consistent or not, the problem people are told, and
 * what each outside IP counts as once its entries are grouped.
 */
class TelemetrySanityTest {
    private static final Duration MIN_47 = Duration.ofMinutes(47);
    private static final Duration DAYS_2 = Duration.ofDays(2);

    /**
     * {@code problem}: null for consistent telemetry, else the whole text. {@code grouped}: each IP and what it
     * counts as, "IP=STATUS", in the order the IPs first appear.
     */
    record Row(String name, List<TunnelTelemetry> entries, String problem, List<String> grouped) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        String inconsistent = "telemetry of " + VPN + " inconsistent (";
        return Stream.of(
                new Row("two tunnels, one DOWN one UP", List.of(down(TUNNEL_A, MIN_47), up(TUNNEL_B, DAYS_2)), null,
                        List.of(TUNNEL_A + "=DOWN", TUNNEL_B + "=UP")),
                new Row("one tunnel reported", List.of(down(TUNNEL_A, MIN_47)), null, List.of(TUNNEL_A + "=DOWN")),
                new Row("no entry at all", List.of(), null, List.of()),
                new Row("the same IP DOWN and UP", List.of(down(TUNNEL_A, MIN_47), up(TUNNEL_A, DAYS_2)),
                        inconsistent + "2 entries, duplicate IP " + TUNNEL_A + ")", List.of(TUNNEL_A + "=UP")),
                new Row("the same IP UP and DOWN", List.of(up(TUNNEL_A, DAYS_2), down(TUNNEL_A, MIN_47)),
                        inconsistent + "2 entries, duplicate IP " + TUNNEL_A + ")", List.of(TUNNEL_A + "=UP")),
                new Row("a duplicate beside a sane tunnel", List.of(down(TUNNEL_A, MIN_47), up(TUNNEL_A, DAYS_2),
                        down(TUNNEL_B, MIN_47)), inconsistent + "3 entries, duplicate IP " + TUNNEL_A + ")",
                        List.of(TUNNEL_A + "=UP", TUNNEL_B + "=DOWN")),
                new Row("the same IP DOWN twice", List.of(down(TUNNEL_A, MIN_47), down(TUNNEL_A, Duration.ofMinutes(5))),
                        inconsistent + "2 entries, duplicate IP " + TUNNEL_A + ")", List.of(TUNNEL_A + "=DOWN")),
                new Row("the same IP DOWN and of unknown status", List.of(down(TUNNEL_A, MIN_47), new TunnelTelemetry(
                        TUNNEL_A, TunnelTelemetry.Status.UNKNOWN, "", NOW, null)),
                        inconsistent + "2 entries, duplicate IP " + TUNNEL_A + ")", List.of(TUNNEL_A + "=UNKNOWN")),
                new Row("three distinct tunnels", List.of(down(TUNNEL_A, MIN_47), up(TUNNEL_B, DAYS_2),
                        down("203.0.113.30", MIN_47)), inconsistent + "3 entries for the 2 tunnels of a connection)",
                        List.of(TUNNEL_A + "=DOWN", TUNNEL_B + "=UP", "203.0.113.30=DOWN")),
                new Row("500 DOWN entries of one IP", Stream.generate(() -> down(TUNNEL_A, MIN_47)).limit(500).toList(),
                        inconsistent + "500 entries, duplicate IP " + TUNNEL_A + ")", List.of(TUNNEL_A + "=DOWN")),
                new Row("ten IPs listed twice each", twice(10),
                        inconsistent + "20 entries, duplicate IP 198.18.0.0, 198.18.0.1, 198.18.0.2, 198.18.0.3 and 6 more)",
                        IntStream.range(0, 10).mapToObj(i -> "198.18.0." + i + "=DOWN").toList()));
    }

    private static List<TunnelTelemetry> twice(int ips) {
        List<TunnelTelemetry> entries = new ArrayList<>();
        for (int i = 0; i < ips; i++) {
            entries.add(down("198.18.0." + i, MIN_47));
        }
        for (int i = 0; i < ips; i++) {
            entries.add(down("198.18.0." + i, MIN_47));
        }
        return entries;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void judges(Row row) {
        TelemetrySanity sanity = TelemetrySanity.of(VPN, row.entries());

        assertEquals(row.problem(), sanity.problem());
        assertEquals(row.problem() == null, sanity.consistent());
        assertEquals(row.entries().size(), sanity.entries());
        assertEquals(row.grouped(), sanity.tunnels().stream().map(t -> t.outsideIp() + "=" + t.status()).toList());
        assertTrue(sanity.up().stream().allMatch(TunnelTelemetry::isUp) && sanity.notUp().stream().noneMatch(TunnelTelemetry::isUp));
    }

    @Test
    void consistentTelemetryIsKeptAsEc2ReportedIt() {
        List<TunnelTelemetry> entries = List.of(down(TUNNEL_A, MIN_47), up(TUNNEL_B, DAYS_2));
        assertEquals(entries, TelemetrySanity.of(VPN, entries).tunnels());
    }

    @Test
    void anIpDownInEveryEntryCountsFromItsLatestChange() {
        TelemetrySanity sanity = TelemetrySanity.of(VPN, List.of(down(TUNNEL_A, MIN_47), down(TUNNEL_A, Duration.ofMinutes(5))));
        assertEquals(NOW.minus(Duration.ofMinutes(5)), sanity.tunnels().get(0).lastStatusChange(),
                "the shortest time down: never past a threshold that one entry has not reached");
        TelemetrySanity unknownTime = TelemetrySanity.of(VPN, List.of(down(TUNNEL_A, MIN_47),
                new TunnelTelemetry(TUNNEL_A, TunnelTelemetry.Status.DOWN, "", null, 0)));
        assertNull(unknownTime.tunnels().get(0).lastStatusChange());
    }

    @Test
    void theHealthOfInconsistentTelemetryIsInconsistentNeverDegraded() {
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, "available",
                List.of(down(TUNNEL_A, MIN_47), up(TUNNEL_A, DAYS_2)), java.util.Map.of());
        TunnelHealth health = TunnelHealth.of(new VpnTelemetry.Available(status));

        TunnelHealth.Inconsistent inconsistent = assertInstanceOf(TunnelHealth.Inconsistent.class, health);
        assertEquals(List.of(TUNNEL_A), inconsistent.sanity().duplicateIps());
    }

    @Test
    void theRulesDecideNothingOnInconsistentTelemetry() {
        TunnelTelemetry candidate = down(TUNNEL_A, MIN_47);
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, "available",
                List.of(candidate, up(TUNNEL_A, DAYS_2), up(TUNNEL_B, DAYS_2)), java.util.Map.of());
        String problem = "telemetry of " + VPN + " inconsistent (3 entries, duplicate IP " + TUNNEL_A + ")";

        assertEquals("tunnel " + TUNNEL_A + " replacement: skipped, " + problem, assertInstanceOf(Response.NotRun.class,
                TunnelReplacementRule.decide(status, candidate, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"),
                        NOW)).describe());
        assertEquals("tunnel " + TUNNEL_A + " options repair: skipped, " + problem, assertInstanceOf(Response.NotRun.class,
                TunnelOptionsRepairRule.decide(status, candidate, VpnFixtures.usualConfig("ENABLE_TUNNEL_OPTIONS_REPAIR",
                        "true"), NOW)).describe());
    }

    @Test
    void aSecondReplacementOfAConnectionInOneInvocationIsSkipped() {
        Response first = new Response.ReplaceTunnel(VPN, TUNNEL_A, MIN_47, "tidewatch:replaced:" + TUNNEL_A, NOW);
        Response second = new Response.ReplaceTunnel(VPN, TUNNEL_B, MIN_47, "tidewatch:replaced:" + TUNNEL_B, NOW);
        Response other = new Response.ReplaceTunnel("vpn-0fffffffffffffff0", TUNNEL_A, MIN_47, "t", NOW);

        List<Response> kept = TunnelReplacementRule.atMostOnePerConnection(List.of(first, second, other));

        assertEquals(first, kept.get(0));
        assertEquals("tunnel " + TUNNEL_B + " replacement: skipped, tunnel " + TUNNEL_A + " of " + VPN
                + " is replaced in this invocation (at most one replacement per connection)", kept.get(1).describe());
        assertEquals(other, kept.get(2), "another connection has its own turn");

        InvocationLimit limit = new InvocationLimit();
        Response repair = new Response.RepairTunnelOptions(VPN, TUNNEL_A, "tidewatch:options-repaired:" + TUNNEL_A, NOW);
        assertEquals(repair, limit.admit(repair));
        assertInstanceOf(Response.NotRun.class, limit.admit(repair), "one repair per tunnel");
    }
}

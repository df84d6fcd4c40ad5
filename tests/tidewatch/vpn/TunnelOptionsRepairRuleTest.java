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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The tunnel options repair rule, one row per case: tunnel A is the candidate, tunnel B UP unless a row says. */
class TunnelOptionsRepairRuleTest {
    private static final String TAG_A = "tidewatch:options-repaired:" + TUNNEL_A;
    private static final VpnAlarmSettings ON = usualConfig("ENABLE_TUNNEL_OPTIONS_REPAIR", "true");
    private static final CustomerGateway PUBLIC = new CustomerGateway("cgw-1a2b3c4d", "192.0.2.44", null);
    private static final TunnelOptions DEFAULTS = new TunnelOptions(TUNNEL_A, "add", "clear", false, null);
    private static final String REPAIRED = "REPAIRED";

    record Row(String name, VpnAlarmSettings settings, String state, TunnelTelemetry candidate, TunnelTelemetry other,
               TunnelOptions options, CustomerGateway gateway, Map<String, String> tags, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, String expected) {
        return new Row(name, ON, "available", down(TUNNEL_A, Duration.ofMinutes(20)), up(TUNNEL_B, Duration.ofDays(1)),
                DEFAULTS, PUBLIC, Map.of(), expected);
    }

    static Stream<Row> rows() {
        Row base = row("a DOWN tunnel that waits for the datacenter", REPAIRED);
        return Stream.of(
                base,
                new Row("allowed when every tunnel is down", ON, "available", base.candidate(),
                        down(TUNNEL_B, Duration.ofHours(1)), DEFAULTS, PUBLIC, Map.of(), REPAIRED),
                new Row("add with DPD none waits for the datacenter too", ON, "available", base.candidate(), base.other(),
                        new TunnelOptions(TUNNEL_A, "add", "none", null, null), PUBLIC, Map.of(), REPAIRED),
                new Row("never an UP tunnel", ON, "available", up(TUNNEL_A, Duration.ofHours(1)), base.other(),
                        DEFAULTS, PUBLIC, Map.of(), "status is UP, not DOWN (an UP tunnel is never modified)"),
                new Row("off by default", usualConfig(), "available", base.candidate(), base.other(), DEFAULTS, PUBLIC,
                        Map.of(), "off (ENABLE_TUNNEL_OPTIONS_REPAIR=false)"),
                new Row("a VPN that is not listed", VpnFixtures.config("ENABLE_TUNNEL_OPTIONS_REPAIR", "true"), "available",
                        base.candidate(), base.other(), DEFAULTS, PUBLIC, Map.of(), VPN + " is not in VPN_CONNECTION_IDS"),
                new Row("a modifying connection is left alone", ON, "modifying", base.candidate(), base.other(), DEFAULTS,
                        PUBLIC, Map.of(), "the connection is modifying (AWS is applying a change), left alone"),
                new Row("a deleting connection", ON, "deleting", base.candidate(), base.other(), DEFAULTS, PUBLIC, Map.of(),
                        "the connection is deleting"),
                new Row("options missing: unknown, nothing done", ON, "available", base.candidate(), base.other(), null,
                        PUBLIC, Map.of(), "its options are unknown"),
                new Row("unknown values are quoted, nothing done", ON, "available", base.candidate(), base.other(),
                        new TunnelOptions(TUNNEL_A, "wait", "clear", null, null), PUBLIC, Map.of(),
                        "options not recognised (startup action 'wait', DPD timeout action 'clear')"),
                new Row("AWS already restarts it", ON, "available", base.candidate(), base.other(),
                        new TunnelOptions(TUNNEL_A, "add", "restart", null, null), PUBLIC, Map.of(),
                        "not needed, AWS brings it back itself"),
                new Row("a gateway without a public IP: AWS cannot start IKE", ON, "available", base.candidate(),
                        base.other(), DEFAULTS, new CustomerGateway("cgw-07d3e6b1a9c2f4058", "10.40.0.1", null), Map.of(),
                        "customer gateway cgw-07d3e6b1a9c2f4058 has no public IP address (10.40.0.1): AWS can only start "
                                + "IKE towards a public address"),
                new Row("a gateway behind carrier-grade NAT", ON, "available", base.candidate(), base.other(), DEFAULTS,
                        new CustomerGateway("cgw-1", "100.64.3.1", null), Map.of(), "has no public IP address (100.64.3.1)"),
                new Row("a gateway that could not be read", ON, "available", base.candidate(), base.other(), DEFAULTS,
                        CustomerGateway.unreadable("cgw-1", "DescribeCustomerGateways failed: Throttling"), Map.of(),
                        "customer gateway cgw-1 could not be read (DescribeCustomerGateways failed: Throttling)"),
                new Row("a gateway that was not read", ON, "available", base.candidate(), base.other(), DEFAULTS, null,
                        Map.of(), "customer gateway cgw-1a2b3c4d not read"),
                new Row("once per cooldown", ON, "available", base.candidate(), base.other(), DEFAULTS, PUBLIC,
                        Map.of(TAG_A, NOW.minus(Duration.ofMinutes(20)).toString()),
                        "tried 20 min ago (at 2024-05-01T09:58:00Z), cooldown 1 h"),
                new Row("an old cooldown tag does not hold", ON, "available", base.candidate(), base.other(), DEFAULTS,
                        PUBLIC, Map.of(TAG_A, NOW.minus(Duration.ofHours(2)).toString()), REPAIRED),
                new Row("the cooldown comes from the settings", usualConfig("ENABLE_TUNNEL_OPTIONS_REPAIR", "true",
                        "TUNNEL_OPTIONS_REPAIR_COOLDOWN", "10m"), "available", base.candidate(), base.other(), DEFAULTS,
                        PUBLIC, Map.of(TAG_A, NOW.minus(Duration.ofMinutes(20)).toString()), REPAIRED),
                new Row("an unreadable cooldown tag holds", ON, "available", base.candidate(), base.other(), DEFAULTS,
                        PUBLIC, Map.of(TAG_A, "soon"), "'soon'"),
                new Row("a last change in the future: down for an unknown time, nothing done", ON, "available",
                        down(TUNNEL_A, Duration.ofHours(-2)), base.other(), DEFAULTS, PUBLIC, Map.of(),
                        "down since 2024-05-01T12:18:00Z (in the future: clocks disagree), so for an unknown time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(Row row) {
        Map<String, TunnelOptions> options = row.options() == null ? Map.of() : Map.of(TUNNEL_A, row.options());
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, row.state(), List.of(row.candidate(), row.other()),
                row.tags(), options, "cgw-1a2b3c4d", row.gateway(), Map.of());

        Response response = TunnelOptionsRepairRule.decide(status, row.candidate(), row.settings(), NOW);

        if (REPAIRED.equals(row.expected())) {
            assertEquals(new Response.RepairTunnelOptions(VPN, TUNNEL_A, TAG_A, NOW), response);
        } else {
            String said = assertInstanceOf(Response.NotRun.class, response).describe();
            assertTrue(said.startsWith("tunnel " + TUNNEL_A + " options repair: skipped, ") && said.contains(row.expected()), said);
        }
    }

    @Test
    void aCooldownTagFurtherAheadThanTheCooldownIsIgnoredAndTheRepairSaysSo() {
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, "available",
                List.of(down(TUNNEL_A, Duration.ofMinutes(20)), up(TUNNEL_B, Duration.ofDays(1))),
                Map.of(TAG_A, "2099-01-01T00:00:00Z"), Map.of(TUNNEL_A, DEFAULTS), "cgw-1a2b3c4d", PUBLIC, Map.of());

        Response response = TunnelOptionsRepairRule.decide(status, status.tunnels().get(0), ON, NOW);

        assertEquals(new Response.RepairTunnelOptions(VPN, TUNNEL_A, TAG_A, NOW, "cooldown tag 2099-01-01T00:00:00Z "
                + "ignored: further ahead than the cooldown (1 h) itself, clocks disagree"), response);
        assertTrue(ResponseResult.done(response).description().endsWith("; cooldown tag 2099-01-01T00:00:00Z ignored: "
                + "further ahead than the cooldown (1 h) itself, clocks disagree"));
    }

    @Test
    void aTunnelWhoseOptionsAreRepairedIsNotAlsoReplaced() {
        Response repair = new Response.RepairTunnelOptions(VPN, TUNNEL_A, TAG_A, NOW);
        Response replaceA = new Response.ReplaceTunnel(VPN, TUNNEL_A, Duration.ofHours(1), "tidewatch:replaced:" + TUNNEL_A, NOW);
        Response replaceB = new Response.ReplaceTunnel(VPN, TUNNEL_B, Duration.ofHours(1), "tidewatch:replaced:" + TUNNEL_B, NOW);

        List<Response> kept = VpnAlarmDecision.withoutRepaired(List.of(replaceA, replaceB), List.of(repair));

        assertEquals("tunnel " + TUNNEL_A + " replacement: skipped, its options are repaired in this invocation (never both at once)",
                assertInstanceOf(Response.NotRun.class, kept.get(0)).describe());
        assertEquals(replaceB, kept.get(1));
    }

    @Test
    void withRepairOffOnlyTunnelsThatWaitForTheDatacenterOfListedVpnsAreMentioned() {
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, "available",
                List.of(down(TUNNEL_A, Duration.ofHours(1)), down(TUNNEL_B, Duration.ofHours(1))), Map.of(),
                Map.of(TUNNEL_A, DEFAULTS, TUNNEL_B, new TunnelOptions(TUNNEL_B, "start", "clear", null, null)), null, null, Map.of());
        List<VpnAssessment> assessed = List.of(new VpnAssessment(new VpnTelemetry.Available(status),
                TunnelHealth.of(new VpnTelemetry.Available(status))));

        assertEquals(List.of(new Response.NotRun("tunnel " + TUNNEL_A + " options repair: off (ENABLE_TUNNEL_OPTIONS_REPAIR=false)")),
                TunnelOptionsRepairRule.responses(assessed, usualConfig(), NOW));
        assertEquals(List.of(), TunnelOptionsRepairRule.responses(assessed, VpnFixtures.config(), NOW), "not listed: not mentioned");
    }
}

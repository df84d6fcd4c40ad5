package tidewatch.datacenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.VgwTelemetry;
import software.amazon.awssdk.services.ec2.model.VpnConnection;
import tidewatch.aws.AwsClients;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;

class ReachabilityReaderTest {
    private static final String VPN = "vpn-0a1b2c3d4e5f67890";
    private static final String VPN2 = "vpn-0fedcba9876543210";
    private static final Instant FIRST_DOWN = Instant.parse("2026-11-24T09:02:40Z");
    private static final Instant LAST_DOWN = Instant.parse("2026-11-24T09:03:15Z");
    /** When the table's readings are judged. */
    private static final Instant NOW = Instant.parse("2026-11-24T09:30:00Z");

    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();

    private static VpnConnection tagged(VpnConnection connection, String keepaliveSince) {
        return connection.toBuilder().tags(software.amazon.awssdk.services.ec2.model.Tag.builder()
                .key(ReachabilityReader.KEEPALIVE_UNREACHABLE_TAG).value(keepaliveSince).build()).build();
    }

    private static VpnConnection connection(String id, String... statuses) {
        List<VgwTelemetry> tunnels = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            tunnels.add(VgwTelemetry.builder().outsideIpAddress("203.0.113." + (10 * (i + 1))).status(statuses[i])
                    .lastStatusChange(i == 0 ? FIRST_DOWN : LAST_DOWN).build());
        }
        return VpnConnection.builder().vpnConnectionId(id).state("available").vgwTelemetry(tunnels).build();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(List.of(VPN), List.of(connection(VPN, "DOWN", "DOWN")), "UNREACHABLE",
                        "unreachable since 09:03 UTC (VPN " + VPN + ": both tunnels DOWN)"),
                Arguments.of(List.of(VPN), List.of(connection(VPN, "UP", "DOWN")), "REACHABLE", "reachable (VPN " + VPN + ": 1 of 2 tunnels UP)"),
                Arguments.of(List.of(VPN), List.of(connection(VPN, "UP", "UP")), "REACHABLE", "reachable (VPN " + VPN + ": 2 of 2 tunnels UP)"),
                // A status EC2 does not document is never counted as UP.
                Arguments.of(List.of(VPN), List.of(connection(VPN, "DOWN", "FLAPPING")), "UNREACHABLE",
                        "unreachable since 09:03 UTC (VPN " + VPN + ": both tunnels DOWN)"),
                Arguments.of(List.of(VPN), List.of(), "UNKNOWN", "state unavailable: VPN " + VPN + ": not listed by DescribeVpnConnections"),
                Arguments.of(List.of(VPN), List.of(connection(VPN)), "UNKNOWN",
                        "state unavailable: VPN " + VPN + ": no tunnel telemetry (state available)"),
                // One listed connection down is enough: that datacenter link is gone, whatever the other says.
                Arguments.of(List.of(VPN, VPN2), List.of(connection(VPN, "UP", "UP"), connection(VPN2, "DOWN", "DOWN")), "UNREACHABLE",
                        "unreachable since 09:03 UTC (VPN " + VPN2 + ": both tunnels DOWN)"),
                Arguments.of(List.of(VPN, VPN2), List.of(connection(VPN2, "DOWN", "DOWN")), "UNREACHABLE",
                        "unreachable since 09:03 UTC (VPN " + VPN2 + ": both tunnels DOWN)"),
                Arguments.of(List.of(VPN, VPN2), List.of(connection(VPN, "UP", "DOWN")), "UNKNOWN",
                        "state unavailable: VPN " + VPN2 + ": not listed by DescribeVpnConnections"),
                // The keepalive's alarm, kept on the connection by the VPN alarm function: hosts unreachable, tunnels UP.
                Arguments.of(List.of(VPN), List.of(tagged(connection(VPN, "UP", "UP"), "2026-11-24T09:20:00Z")), "UNREACHABLE",
                        "unreachable since 09:20 UTC (VPN " + VPN + ": 2 of 2 tunnels UP, but the keepalive reaches no datacenter host)"),
                // A tag that is unreadable, left behind longer than 2 h, or dated ahead: the stop is told as ever.
                Arguments.of(List.of(VPN), List.of(tagged(connection(VPN, "UP", "DOWN"), "edited by hand")), "REACHABLE",
                        "reachable (VPN " + VPN + ": 1 of 2 tunnels UP)"),
                Arguments.of(List.of(VPN), List.of(tagged(connection(VPN, "UP", "UP"), "2026-11-24T07:29:00Z")), "REACHABLE",
                        "reachable (VPN " + VPN + ": 2 of 2 tunnels UP)"),
                Arguments.of(List.of(VPN), List.of(tagged(connection(VPN, "UP", "UP"), "2026-11-24T09:50:00Z")), "REACHABLE",
                        "reachable (VPN " + VPN + ": 2 of 2 tunnels UP)"),
                Arguments.of(List.of(VPN), List.of(tagged(connection(VPN, "UP", "UP"), "2026-11-24T07:31:00Z")), "UNREACHABLE",
                        "unreachable since 07:31 UTC (VPN " + VPN + ": 2 of 2 tunnels UP, but the keepalive reaches no datacenter host)"),
                Arguments.of(List.of(VPN), List.of(tagged(connection(VPN, "DOWN", "DOWN"), "2026-11-24T09:20:00Z")), "UNREACHABLE",
                        "unreachable since 09:03 UTC (VPN " + VPN + ": both tunnels DOWN)"),
                // Another account's or an unlisted connection in the answer is not judged.
                Arguments.of(List.of(VPN), List.of(connection(VPN2, "DOWN", "DOWN"), connection(VPN, "UP", "UP")), "REACHABLE",
                        "reachable (VPN " + VPN + ": 2 of 2 tunnels UP)"));
    }

    @ParameterizedTest(name = "{0} reading {2}")
    @MethodSource("table")
    void judgesByEc2sOwnTunnelTelemetry(List<String> vpnIds, List<VpnConnection> answer, String state, String described) {
        Reachability reachability = ReachabilityReader.judge(vpnIds, answer, NOW);
        assertEquals(state, reachability.state().name());
        assertEquals(described, reachability.describe());
    }

    @Test
    void readsTheListedConnectionsThroughTheSdkAndSaysWhenItCannot() {
        Sandbox sandbox = sandboxes.start(World.empty().addVpnConnection(Map.of("VpnConnectionId", VPN, "State", "available",
                "VgwTelemetry", List.of(
                        Map.of("OutsideIpAddress", "203.0.113.10", "Status", "DOWN", "LastStatusChange", "2026-11-24T09:02:40Z"),
                        Map.of("OutsideIpAddress", "203.0.113.20", "Status", "DOWN", "LastStatusChange", "2026-11-24T09:03:15Z")))));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        Reachability down = new ReachabilityReader(aws::ec2, List.of(VPN)).read(InvocationDeadline.unbounded());
        assertEquals("the datacenter is unreachable since 09:03 UTC (VPN " + VPN + ": both tunnels DOWN)", down.likelyCause());
        assertEquals(1, sandbox.calls("ec2", "DescribeVpnConnections").size());

        assertEquals(Reachability.NOT_WATCHED, new ReachabilityReader(() -> {
            throw new AssertionError("no client is built when no VPN is listed");
        }, List.of()).read(InvocationDeadline.unbounded()));

        Reachability spent = new ReachabilityReader(aws::ec2, List.of(VPN)).read(InvocationDeadline.after(Duration.ZERO, java.time.Clock.systemUTC()));
        assertEquals("state unavailable: DescribeVpnConnections not called: no time left in the invocation", spent.describe());
        assertEquals(1, sandbox.calls("ec2", "DescribeVpnConnections").size());
    }

    @Test
    void aDeniedOrHungReadIsUnknownAndTakesNoLongerThanItsOwnTimeout() {
        Sandbox denied = sandboxes.start(World.empty().fault("ec2.DescribeVpnConnections", "UnauthorizedOperation"));
        Reachability refused = new ReachabilityReader(denied.clients(Duration.ofSeconds(2))::ec2, List.of(VPN)).read(InvocationDeadline.unbounded());
        assertEquals("UNKNOWN", refused.state().name());
        assertTrue(refused.describe().startsWith("state unavailable: DescribeVpnConnections failed: "), refused.describe());
        assertTrue(refused.describe().contains("UnauthorizedOperation"), refused.describe());

        Sandbox hung = sandboxes.start(World.empty().fault("ec2", "timeout"));
        long started = System.nanoTime();
        Reachability slow = new ReachabilityReader(hung.clients(Duration.ofSeconds(30))::ec2, List.of(VPN)).read(InvocationDeadline.unbounded());
        long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertEquals("UNKNOWN", slow.state().name());
        assertTrue(ms < ReachabilityReader.READ_TIMEOUT.toMillis() + 1_500, "took " + ms + " ms");
    }
}

package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.TUNNEL_A;
import static tidewatch.vpn.VpnFixtures.TUNNEL_B;
import static tidewatch.vpn.VpnFixtures.VPN;
import static tidewatch.vpn.VpnFixtures.down;
import static tidewatch.vpn.VpnFixtures.up;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who brings a DOWN tunnel back, and the posture the tunnel check tells, from the tunnel options. */
class TunnelRecoveryTest {

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "add, clear, DATACENTER_ONLY, only the datacenter's device can bring it back (startup action 'add', DPD timeout action 'clear'",
            "add, none, DATACENTER_ONLY, only the datacenter's device can bring it back (startup action 'add', DPD timeout action 'none'",
            "start, clear, AWS, AWS brings it back itself (startup action 'start', DPD timeout action 'clear')",
            "add, restart, AWS, AWS brings it back itself (startup action 'add', DPD timeout action 'restart')",
            "start, restart, AWS, AWS brings it back itself",
            "null, clear, UNKNOWN, unknown: DescribeVpnConnections did not report this tunnel's options",
            "Start, clear, UNRECOGNISED, unknown: options Tidewatch does not recognise (startup action 'Start', DPD timeout action 'clear'), so it does nothing",
            "add, hold, UNRECOGNISED, (startup action 'add', DPD timeout action 'hold')"})
    void saysWhoBringsTheTunnelBack(String startup, String dpd, TunnelRecovery.Kind kind, String wording) {
        TunnelRecovery recovery = TunnelRecovery.of(new TunnelOptions(TUNNEL_A, startup, dpd, null, null));
        assertEquals(kind, recovery.kind());
        assertTrue(recovery.describe().contains(wording), recovery.describe());
    }

    @Test
    void noOptionsAtAllIsUnknown() {
        assertEquals(TunnelRecovery.Kind.UNKNOWN, TunnelRecovery.of(null).kind());
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            "add, add, datacenter:203.0.113.10+203.0.113.20",
            "add, start, datacenter:203.0.113.10",
            "start, add, datacenter:203.0.113.20",
            "start, start, aws",
            "null, start, aws",
            "null, null, null",
            "bogus, null, null"})
    void thePostureNamesTheTunnelsThatWaitForTheDatacenter(String startupA, String startupB, String posture) {
        Map<String, TunnelOptions> options = new java.util.HashMap<>();
        if (startupA != null) {
            options.put(TUNNEL_A, new TunnelOptions(TUNNEL_A, startupA, "clear", null, null));
        }
        if (startupB != null) {
            options.put(TUNNEL_B, new TunnelOptions(TUNNEL_B, startupB, "clear", null, null));
        }
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, "available",
                List.of(down(TUNNEL_A, Duration.ofHours(1)), up(TUNNEL_B, Duration.ofDays(1))), Map.of(), options,
                null, null, Map.of());
        assertEquals(posture, TunnelCheck.posture(status));
    }

    @Test
    void terraformNumbersTunnelsByTheOrderOfTheirOutsideIps() {
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, "available",
                List.of(down("198.51.100.90", Duration.ofHours(1)), up("198.51.100.9", Duration.ofDays(1))), Map.of());
        assertEquals(2, status.tunnelNumber("198.51.100.90"));
        assertEquals(1, status.tunnelNumber("198.51.100.9"));
        assertEquals(0, status.tunnelNumber("192.0.2.1"));
    }

    @Test
    void publicAddressesAreTheOnesAwsCanStartIkeTowards() {
        assertTrue(new CustomerGateway("cgw-1", "198.51.100.25", null).hasPublicIp());
        for (String ip : new String[] {"10.40.0.1", "172.16.5.1", "192.168.1.1", "100.64.0.1", "169.254.1.1", "127.0.0.1", "0.0.0.0", "not-an-ip", "2001:db8::1"}) {
            assertFalse(new CustomerGateway("cgw-1", ip, null).hasPublicIp(), ip);
        }
        assertFalse(new CustomerGateway("cgw-1", null, null).hasPublicIp());
    }

    @Test
    void theLogGroupNameComesFromItsArn() {
        assertEquals("/aws/vpn/city-datacenter", new TunnelOptions(TUNNEL_A, "add", "clear", true,
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpn/city-datacenter:*").logGroupName());
        assertNull(new TunnelOptions(TUNNEL_A, "add", "clear", false, null).logGroupName());
    }
}

package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tidewatch.config.ConfigurationException;

class VpnAlarmSettingsTest {

    @Test
    void defaults() {
        VpnAlarmSettings config = VpnFixtures.config();
        assertEquals(List.of(), config.vpnConnectionIds());
        assertTrue(config.keepaliveBurstEnabled());
        assertNull(config.keepaliveFunctionName());
        assertEquals(3, config.keepaliveBurstRounds());
        assertFalse(config.tunnelReplacementEnabled());
        assertEquals(Duration.ofMinutes(30), config.tunnelDownThreshold());
        assertEquals(Duration.ofHours(6), config.tunnelReplacementCooldown());
        assertEquals("Tidewatch", config.metricsNamespace());
        assertFalse(config.manages("vpn-0123456789abcdef0"), "an empty list manages no VPN: nothing is acted on");
    }

    @Test
    void everySettingIsRead() {
        VpnAlarmSettings config = VpnFixtures.config(
                "VPN_CONNECTION_IDS", " vpn-0a1b2c3d4e5f67890, ,vpn-0123456789abcdef0 ",
                "ENABLE_KEEPALIVE_BURST", "false",
                "KEEPALIVE_FUNCTION_NAME", "arn:aws:lambda:eu-west-1:123456789012:function:tidewatch-keepalive:live",
                "KEEPALIVE_BURST_ROUNDS", "7",
                "ENABLE_TUNNEL_REPLACEMENT", "TRUE",
                "TUNNEL_DOWN_THRESHOLD", "45m",
                "TUNNEL_REPLACEMENT_COOLDOWN", "12h",
                "METRICS_NAMESPACE", "Tidewatch/Prod");
        assertEquals(List.of("vpn-0a1b2c3d4e5f67890", "vpn-0123456789abcdef0"), config.vpnConnectionIds());
        assertFalse(config.keepaliveBurstEnabled());
        assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:tidewatch-keepalive:live", config.keepaliveFunctionName());
        assertEquals(7, config.keepaliveBurstRounds());
        assertTrue(config.tunnelReplacementEnabled());
        assertEquals(Duration.ofMinutes(45), config.tunnelDownThreshold());
        assertEquals(Duration.ofHours(12), config.tunnelReplacementCooldown());
        assertEquals("Tidewatch/Prod", config.metricsNamespace());
        assertFalse(config.manages("vpn-0fffffffffffffff0"));
    }

    @Test
    void badValuesNameTheSetting() {
        ConfigurationException badId = assertThrows(ConfigurationException.class,
                () -> VpnFixtures.config("VPN_CONNECTION_IDS", "vpn-0a1b2c3d4e5f67890,cgw-123"));
        assertTrue(badId.getMessage().contains("VPN_CONNECTION_IDS"), badId.getMessage());
        assertTrue(badId.getMessage().contains("cgw-123"), badId.getMessage());
        assertThrows(ConfigurationException.class, () -> VpnFixtures.config("KEEPALIVE_BURST_ROUNDS", "0"));
        assertThrows(ConfigurationException.class, () -> VpnFixtures.config("KEEPALIVE_BURST_ROUNDS", "11"),
                "the keepalive runs at most 10 rounds");
        assertThrows(ConfigurationException.class, () -> VpnFixtures.config("TUNNEL_DOWN_THRESHOLD", "soon"));
        assertThrows(ConfigurationException.class, () -> VpnFixtures.config("ENABLE_TUNNEL_REPLACEMENT", "yes"));
    }

    @Test
    void elapsedTimeReadsNaturally() {
        assertEquals("45 s", Elapsed.describe(Duration.ofSeconds(45)));
        assertEquals("12 min", Elapsed.describe(Duration.ofMinutes(12).plusSeconds(59)));
        assertEquals("6 h", Elapsed.describe(Duration.ofHours(6)));
        assertEquals("2 h 5 min", Elapsed.describe(Duration.ofMinutes(125)));
        assertEquals("3 d 4 h", Elapsed.describe(Duration.ofHours(76)));
        assertEquals("0 s", Elapsed.describe(Duration.ofSeconds(-5)), "clock skew never reads as negative");
    }

    @Test
    void tunnelOptionsRepairIsOffByDefaultWithAnHourOfCooldown() {
        VpnAlarmSettings config = VpnFixtures.config();
        assertFalse(config.tunnelOptionsRepairEnabled());
        assertEquals(Duration.ofHours(1), config.tunnelOptionsRepairCooldown());
        assertNull(config.tunnelLogGroup());
        assertFalse(config.tunnelCheckEnabled());

        VpnAlarmSettings on = VpnFixtures.config("ENABLE_TUNNEL_OPTIONS_REPAIR", "true",
                "TUNNEL_OPTIONS_REPAIR_COOLDOWN", "30m", "TUNNEL_LOG_GROUP", "/aws/vpn/city-datacenter");
        assertTrue(on.tunnelOptionsRepairEnabled());
        assertTrue(on.tunnelCheckEnabled(), "the scheduled check runs for repair too");
        assertEquals(Duration.ofMinutes(30), on.tunnelOptionsRepairCooldown());
        assertEquals("/aws/vpn/city-datacenter", on.tunnelLogGroup());
        assertEquals(Duration.ofDays(1), VpnFixtures.config("TUNNEL_OPTIONS_REPAIR_COOLDOWN", "24h").tunnelOptionsRepairCooldown());
    }

    @Test
    void aRepairCooldownThatIsNotAPositiveDurationFailsWithItsName() {
        for (String bad : new String[] {"PT1H", "0h", "-1h", "soon"}) {
            ConfigurationException error = assertThrows(ConfigurationException.class,
                    () -> VpnFixtures.config("TUNNEL_OPTIONS_REPAIR_COOLDOWN", bad));
            assertTrue(error.getMessage().startsWith("TUNNEL_OPTIONS_REPAIR_COOLDOWN='" + bad + "': expected a"), error.getMessage());
        }
    }
}

package tidewatch.vpn;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import tidewatch.config.ConfigurationException;
import tidewatch.config.Settings;
import tidewatch.log.EmbeddedMetrics;

/**
 * The VPN alarm function's settings.
 *
 * @param vpnConnectionIds          the VPN connections Tidewatch may act on (keepalive burst, tunnel replacement,
 *                                  the scheduled tunnel check); empty means none: alarms are then only notified
 * @param keepaliveFunctionName     function name or alias ARN of the keepalive; null when not set, which the
 *                                  notification then reports instead of failing every alarm at init
 * @param tunnelReplacementEnabled  off by default: replacing a tunnel briefly drops it, so it is an explicit choice
 * @param tunnelOptionsRepairEnabled off by default: ModifyVpnTunnelOptions changes the team's network, so it is an
 *                                  explicit choice (and the template grants it only then)
 * @param tunnelLogGroup            the tunnels' CloudWatch Logs group when their options do not name one; null if unset
 */
record VpnAlarmSettings(
        List<String> vpnConnectionIds,
        boolean keepaliveBurstEnabled,
        String keepaliveFunctionName,
        int keepaliveBurstRounds,
        boolean tunnelReplacementEnabled,
        Duration tunnelDownThreshold,
        Duration tunnelReplacementCooldown,
        String metricsNamespace,
        boolean tunnelOptionsRepairEnabled,
        Duration tunnelOptionsRepairCooldown,
        String tunnelLogGroup) {

    public static final Duration DEFAULT_DOWN_THRESHOLD = Duration.ofMinutes(30);
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(6);
    static final Duration DEFAULT_REPAIR_COOLDOWN = Duration.ofHours(1);
    static final String REPAIR_COOLDOWN_SETTING = "TUNNEL_OPTIONS_REPAIR_COOLDOWN";
    public static final String DEFAULT_NAMESPACE = EmbeddedMetrics.NAMESPACE;
    /** The keepalive runs at most this many rounds per burst; asking for more would misreport what happens. */
    public static final int MAX_BURST_ROUNDS = 10;
    private static final Pattern VPN_ID = Pattern.compile("vpn-[0-9a-f]{8,17}");

    public VpnAlarmSettings {
        vpnConnectionIds = List.copyOf(vpnConnectionIds);
    }

    /** Settings without the tunnel options repair and tunnel logs (off, default cooldown, no log group). */
    VpnAlarmSettings(List<String> vpnConnectionIds, boolean keepaliveBurstEnabled, String keepaliveFunctionName,
                     int keepaliveBurstRounds, boolean tunnelReplacementEnabled, Duration tunnelDownThreshold,
                     Duration tunnelReplacementCooldown, String metricsNamespace) {
        this(vpnConnectionIds, keepaliveBurstEnabled, keepaliveFunctionName, keepaliveBurstRounds,
                tunnelReplacementEnabled, tunnelDownThreshold, tunnelReplacementCooldown, metricsNamespace,
                false, DEFAULT_REPAIR_COOLDOWN, null);
    }

    public static VpnAlarmSettings from(Settings settings) {
        List<String> ids = settings.list("VPN_CONNECTION_IDS");
        for (String id : ids) {
            if (!VPN_ID.matcher(id).matches()) {
                throw new ConfigurationException("VPN_CONNECTION_IDS='" + String.join(",", ids)
                        + "': '" + id + "' is not a VPN connection id (vpn-...)");
            }
        }
        return new VpnAlarmSettings(
                ids,
                settings.flag("ENABLE_KEEPALIVE_BURST", true),
                settings.optional("KEEPALIVE_FUNCTION_NAME", null),
                settings.integer("KEEPALIVE_BURST_ROUNDS", 3, 1, MAX_BURST_ROUNDS),
                settings.flag("ENABLE_TUNNEL_REPLACEMENT", false),
                settings.duration("TUNNEL_DOWN_THRESHOLD", DEFAULT_DOWN_THRESHOLD),
                settings.duration("TUNNEL_REPLACEMENT_COOLDOWN", DEFAULT_COOLDOWN),
                settings.optional("METRICS_NAMESPACE", DEFAULT_NAMESPACE),
                settings.flag("ENABLE_TUNNEL_OPTIONS_REPAIR", false),
                settings.duration(REPAIR_COOLDOWN_SETTING, DEFAULT_REPAIR_COOLDOWN),
                settings.optional("TUNNEL_LOG_GROUP", null));
    }

    /** Whether the scheduled tunnel check has anything to do: replacement or options repair is on. */
    boolean tunnelCheckEnabled() {
        return tunnelReplacementEnabled || tunnelOptionsRepairEnabled;
    }

    /** Whether the list names this VPN. An empty list manages none, so no VPN is ever acted on by default. */
    public boolean manages(String vpnId) {
        return vpnConnectionIds.contains(vpnId);
    }
}

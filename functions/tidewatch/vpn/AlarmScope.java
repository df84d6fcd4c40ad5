package tidewatch.vpn;

import java.util.List;
import java.util.Set;

/** Which VPN connections an alarm is about, as far as the event and the settings tell. */
sealed interface AlarmScope {
    String VPN_NAMESPACE = "AWS/VPN";
    String TUNNEL_STATE = "TunnelState";
    String VPN_ID_DIMENSION = "VpnId";
    Set<String> KEEPALIVE_METRICS = Set.of("ReachableTargets", "UnreachableTargets");
    String NO_VPNS_LISTED = "VPN_CONNECTION_IDS is empty, so Tidewatch takes no automatic action";

    /**
     * VPN connections to read and judge. {@code listed} is false when VPN_CONNECTION_IDS is empty: the tunnels
     * the alarm names are read (harmless, and people learn what they say) but nothing is acted on.
     */
    record Vpns(List<String> vpnIds, boolean listed) implements AlarmScope {}

    /** A TunnelState alarm for a VPN that VPN_CONNECTION_IDS does not list. */
    record Unmanaged(String vpnId, List<String> configured) implements AlarmScope {}

    /** A VPN or keepalive alarm that names no VPN, with no configured list to fall back on. */
    record VpnUnknown(String why) implements AlarmScope {}

    record Other() implements AlarmScope {}

    static AlarmScope of(AlarmEvent event, VpnAlarmSettings settings) {
        boolean tunnelAlarm = VPN_NAMESPACE.equals(event.namespace()) && TUNNEL_STATE.equals(event.metricName());
        String vpnId = event.dimension(VPN_ID_DIMENSION);
        if (tunnelAlarm && vpnId != null) {
            if (settings.vpnConnectionIds().isEmpty()) {
                return new Vpns(List.of(vpnId), false);
            }
            return settings.manages(vpnId) ? new Vpns(List.of(vpnId), true)
                    : new Unmanaged(vpnId, settings.vpnConnectionIds());
        }
        if (tunnelAlarm || isKeepaliveAlarm(event, settings)) {
            // The keepalive's metrics, and TunnelState summed over all VPNs, name no VPN: the settings do.
            return settings.vpnConnectionIds().isEmpty()
                    ? new VpnUnknown(NO_VPNS_LISTED + " (and the alarm names no VPN connection to read)")
                    : new Vpns(settings.vpnConnectionIds(), true);
        }
        return new Other();
    }

    /**
     * An alarm on the keepalive's reachability metrics: no datacenter target answered the probes (or the keepalive
     * did not report), whatever the tunnels say.
     */
    static boolean isKeepaliveAlarm(AlarmEvent event, VpnAlarmSettings settings) {
        return settings.metricsNamespace().equals(event.namespace()) && KEEPALIVE_METRICS.contains(event.metricName());
    }
}

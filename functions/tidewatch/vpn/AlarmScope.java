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
     * VPN connections to read and judge. {@code notActedOn} says why nothing is acted on, null when they are listed:
     * with VPN_CONNECTION_IDS empty, or not naming the alarm's VPN, the tunnels the alarm names are still read
     * (harmless, and people learn what they say) but nothing is acted on.
     */
    record Vpns(List<String> vpnIds, String notActedOn) implements AlarmScope {
        boolean listed() {
            return notActedOn == null;
        }
    }

    /** A VPN or keepalive alarm that names no VPN, with no configured list to fall back on. */
    record VpnUnknown(String why) implements AlarmScope {}

    record Other() implements AlarmScope {}

    static AlarmScope of(AlarmEvent event, VpnAlarmSettings settings) {
        boolean tunnelAlarm = isTunnelAlarm(event);
        String vpnId = event.dimension(VPN_ID_DIMENSION);
        if (tunnelAlarm && vpnId != null) {
            if (settings.vpnConnectionIds().isEmpty()) {
                return new Vpns(List.of(vpnId), "none: " + NO_VPNS_LISTED);
            }
            return settings.manages(vpnId) ? new Vpns(List.of(vpnId), null)
                    : new Vpns(List.of(vpnId), "none: " + vpnId + " is not in VPN_CONNECTION_IDS ("
                            + String.join(", ", settings.vpnConnectionIds()) + "), so Tidewatch does not act on it");
        }
        if (tunnelAlarm || isKeepaliveAlarm(event, settings)) {
            // The keepalive's metrics, and TunnelState summed over all VPNs, name no VPN: the settings do.
            return settings.vpnConnectionIds().isEmpty()
                    ? new VpnUnknown(NO_VPNS_LISTED + " (and the alarm names no VPN connection to read)")
                    : new Vpns(settings.vpnConnectionIds(), null);
        }
        return new Other();
    }

    /** An alarm on AWS/VPN TunnelState, for one VPN connection (VpnId) or summed over all. */
    static boolean isTunnelAlarm(AlarmEvent event) {
        return VPN_NAMESPACE.equals(event.namespace()) && TUNNEL_STATE.equals(event.metricName());
    }

    /** An alarm on whether the datacenter can be reached: the tunnels', or the keepalive's. */
    static boolean isDatacenterAlarm(AlarmEvent event, VpnAlarmSettings settings) {
        return isTunnelAlarm(event) || isKeepaliveAlarm(event, settings);
    }

    /**
     * An alarm on the keepalive's reachability metrics: no datacenter target answered the probes (or the keepalive
     * did not report), whatever the tunnels say.
     */
    static boolean isKeepaliveAlarm(AlarmEvent event, VpnAlarmSettings settings) {
        return settings.metricsNamespace().equals(event.namespace()) && event.metricName() != null
                && KEEPALIVE_METRICS.contains(event.metricName());
    }
}

package tidewatch.vpn;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One read of a VPN connection: its state ("available", "deleted"...), its tunnels, and its tags, which hold when
 * Tidewatch last replaced each tunnel.
 */
record VpnConnectionStatus(String vpnId, String state, List<TunnelTelemetry> tunnels, Map<String, String> tags) {
    public static final String AVAILABLE = "available";

    public VpnConnectionStatus {
        Objects.requireNonNull(vpnId, "vpnId");
        state = state == null ? "unknown" : state;
        tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}

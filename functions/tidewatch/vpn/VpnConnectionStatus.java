package tidewatch.vpn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One read of a VPN connection: its state ("available", "modifying"...), its tunnels, its tags (which hold when
 * Tidewatch last replaced or repaired each tunnel, and the recovery posture it last told), each tunnel's options
 * by outside IP, and, when read, its customer gateway and the last lines of its tunnels' logs (by outside IP).
 */
record VpnConnectionStatus(String vpnId, String state, List<TunnelTelemetry> tunnels, Map<String, String> tags,
                           Map<String, TunnelOptions> options, String customerGatewayId, CustomerGateway gateway,
                           Map<String, TunnelLog> tunnelLogs) {
    static final String AVAILABLE = "available";
    static final String MODIFYING = "modifying";

    /** The last lines of one tunnel's log, or why they are not there, as people read it ({@code problem}). */
    record TunnelLog(String group, List<String> lines, String problem) {
        TunnelLog {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }

        static TunnelLog failed(String group, String failure) {
            return new TunnelLog(group, List.of(), "could not be read from " + group + ": " + failure);
        }

        /** Not read in time (optional evidence): the message goes without it. */
        static TunnelLog notRead(String group, String why) {
            return new TunnelLog(group, List.of(), "not read: " + why + " (FilterLogEvents on " + group
                    + "); sent without it");
        }
    }

    VpnConnectionStatus {
        Objects.requireNonNull(vpnId, "vpnId");
        state = state == null ? "unknown" : state;
        tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
        tunnelLogs = tunnelLogs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tunnelLogs));
    }

    VpnConnectionStatus(String vpnId, String state, List<TunnelTelemetry> tunnels, Map<String, String> tags) {
        this(vpnId, state, tunnels, tags, Map.of(), null, null, Map.of());
    }

    VpnConnectionStatus withGateway(CustomerGateway read) {
        return new VpnConnectionStatus(vpnId, state, tunnels, tags, options, customerGatewayId, read, tunnelLogs);
    }

    VpnConnectionStatus withTunnelLogs(Map<String, TunnelLog> read) {
        return new VpnConnectionStatus(vpnId, state, tunnels, tags, options, customerGatewayId, gateway, read);
    }

    /** Who brings the tunnel with this outside IP back, from its options (unknown when they were not reported). */
    TunnelRecovery recovery(String outsideIp) {
        return TunnelRecovery.of(options.get(outsideIp));
    }

    /**
     * Tunnel 1 or 2 as the Terraform aws_vpn_connection numbers them: by the order of the outside IP addresses
     * (tunnel 1 has the lower one); 0 when the IP is not one of the connection's.
     */
    int tunnelNumber(String outsideIp) {
        List<String> ips = tunnels.stream().map(TunnelTelemetry::outsideIp)
                .sorted((a, b) -> Long.compare(ipValue(a), ipValue(b))).toList();
        return ips.indexOf(outsideIp) + 1;
    }

    private static long ipValue(String ip) {
        long value = 0;
        for (String part : ip.split("\\.")) {
            try {
                value = value * 256 + Integer.parseInt(part);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        return value;
    }
}

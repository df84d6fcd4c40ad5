package tidewatch.vpn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a VPN connection's tunnel telemetry (the VgwTelemetry entries of DescribeVpnConnections) is sane enough to
 * act on. A Site-to-Site VPN connection has two tunnels with one entry each: more than two entries, or an outside IP
 * listed twice, is "telemetry inconsistent", and then nothing is replaced or repaired on that connection.
 *
 * <p>Entries are grouped by outside IP into one tunnel each: UP when any entry of the IP says UP (so an IP reported
 * UP anywhere is never replaced or repaired), DOWN when every entry says DOWN, else UNKNOWN.
 *
 * @param entries      how many entries EC2 reported
 * @param tunnels      one per outside IP, in the order the IPs first appear
 * @param duplicateIps the outside IPs listed more than once
 */
record TelemetrySanity(String vpnId, int entries, List<TunnelTelemetry> tunnels, List<String> duplicateIps) {
    static final int TUNNELS_PER_CONNECTION = 2;
    /** How many IPs a message names before it says how many more there are: keeps any text short. */
    static final int IPS_NAMED = 4;

    TelemetrySanity {
        Objects.requireNonNull(vpnId, "vpnId");
        tunnels = List.copyOf(tunnels);
        duplicateIps = List.copyOf(duplicateIps);
    }

    static TelemetrySanity of(VpnConnectionStatus status) {
        return of(status.vpnId(), status.tunnels());
    }

    static TelemetrySanity of(String vpnId, List<TunnelTelemetry> entries) {
        Map<String, List<TunnelTelemetry>> byIp = new LinkedHashMap<>();
        for (TunnelTelemetry entry : entries) {
            byIp.computeIfAbsent(entry.outsideIp(), ip -> new ArrayList<>()).add(entry);
        }
        List<TunnelTelemetry> tunnels = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        for (Map.Entry<String, List<TunnelTelemetry>> ip : byIp.entrySet()) {
            tunnels.add(merge(ip.getValue()));
            if (ip.getValue().size() > 1) {
                duplicates.add(ip.getKey());
            }
        }
        return new TelemetrySanity(vpnId, entries.size(), tunnels, duplicates);
    }

    /** The entries of one IP as one tunnel; a single entry is kept as it is. */
    private static TunnelTelemetry merge(List<TunnelTelemetry> entries) {
        if (entries.size() == 1) {
            return entries.get(0);
        }
        TunnelTelemetry.Status status = entries.stream().anyMatch(TunnelTelemetry::isUp) ? TunnelTelemetry.Status.UP
                : entries.stream().allMatch(e -> e.status() == TunnelTelemetry.Status.DOWN) ? TunnelTelemetry.Status.DOWN
                : TunnelTelemetry.Status.UNKNOWN;
        TunnelTelemetry first = entries.stream().filter(e -> e.status() == status).findFirst().orElse(entries.get(0));
        // The latest change of any entry: the shortest time the IP can be said to be in that state; unknown if any is.
        Instant since = entries.stream().anyMatch(e -> e.lastStatusChange() == null) ? null
                : entries.stream().map(TunnelTelemetry::lastStatusChange).max(Instant::compareTo).orElse(null);
        return new TunnelTelemetry(first.outsideIp(), status, first.statusMessage(), since, first.acceptedRouteCount());
    }

    /** Two tunnels at most, each listed once: the telemetry can be acted on. */
    boolean consistent() {
        return entries <= TUNNELS_PER_CONNECTION && duplicateIps.isEmpty();
    }

    /** "telemetry of vpn-... inconsistent (500 entries, duplicate IP 203.0.113.10)"; null when consistent. */
    String problem() {
        if (consistent()) {
            return null;
        }
        String detail = duplicateIps.isEmpty()
                ? entries + " entries for the " + TUNNELS_PER_CONNECTION + " tunnels of a connection"
                : entries + " entries, duplicate IP " + named(duplicateIps);
        return "telemetry of " + vpnId + " inconsistent (" + detail + ")";
    }

    /** The IPs that some entry reports UP. */
    List<TunnelTelemetry> up() {
        return tunnels.stream().filter(TunnelTelemetry::isUp).toList();
    }

    /** The IPs that no entry reports UP. */
    List<TunnelTelemetry> notUp() {
        return tunnels.stream().filter(t -> !t.isUp()).toList();
    }

    /** "a, b, c, d and 496 more", or "none". */
    static String named(List<String> ips) {
        if (ips.isEmpty()) {
            return "none";
        }
        String shown = String.join(", ", ips.subList(0, Math.min(ips.size(), IPS_NAMED)));
        return ips.size() <= IPS_NAMED ? shown : shown + " and " + (ips.size() - IPS_NAMED) + " more";
    }

    static String namedTunnels(List<TunnelTelemetry> tunnels) {
        return named(tunnels.stream().map(TunnelTelemetry::outsideIp).toList());
    }
}

package tidewatch.vpn;

import java.util.List;

/** The judgement of a VPN connection's tunnels: what the alarm response is based on, rather than the alarm itself. */
sealed interface TunnelHealth {

    /** Every tunnel is UP: an ALARM is stale or flapping. */
    record AllUp(List<TunnelTelemetry> up) implements TunnelHealth {}

    /** Some tunnels are down, traffic still flows over the others, without redundancy. */
    record Degraded(List<TunnelTelemetry> up, List<TunnelTelemetry> down) implements TunnelHealth {}

    /** No tunnel is UP: nothing reaches the datacenter. */
    record AllDown(List<TunnelTelemetry> down) implements TunnelHealth {}

    /** The connection could not be read, or reports no tunnels. */
    record Unknown(String why) implements TunnelHealth {}

    /**
     * The telemetry has more entries than a connection has tunnels, or an outside IP twice ({@link TelemetrySanity}):
     * what it says is told, nothing is acted on.
     */
    record Inconsistent(TelemetrySanity sanity) implements TunnelHealth {}

    static TunnelHealth of(VpnTelemetry telemetry) {
        if (telemetry instanceof VpnTelemetry.Unavailable unavailable) {
            return new Unknown("telemetry unavailable: " + unavailable.problem());
        }
        VpnConnectionStatus status = ((VpnTelemetry.Available) telemetry).status();
        if (status.tunnels().isEmpty()) {
            return new Unknown("the connection (state " + status.state() + ") reports no tunnel telemetry");
        }
        TelemetrySanity sanity = TelemetrySanity.of(status);
        if (!sanity.consistent()) {
            return new Inconsistent(sanity);
        }
        List<TunnelTelemetry> up = sanity.up();
        List<TunnelTelemetry> down = sanity.notUp();
        if (down.isEmpty()) {
            return new AllUp(up);
        }
        return up.isEmpty() ? new AllDown(down) : new Degraded(up, down);
    }
}

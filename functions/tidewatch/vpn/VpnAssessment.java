package tidewatch.vpn;

/** One VPN connection as read, and what its tunnels say. */
record VpnAssessment(VpnTelemetry telemetry, TunnelHealth health) {
    static VpnAssessment of(String vpnId, java.util.Map<String, VpnTelemetry> read) {
        VpnTelemetry telemetry = read.getOrDefault(vpnId, new VpnTelemetry.Unavailable(vpnId, "not read"));
        return new VpnAssessment(telemetry, TunnelHealth.of(telemetry));
    }

    /** Why the telemetry cannot be acted on ({@link TelemetrySanity#problem()}); null when it can, or was not read. */
    String inconsistency() {
        return health instanceof TunnelHealth.Inconsistent inconsistent ? inconsistent.sanity().problem() : null;
    }

    String vpnId() {
        return telemetry.vpnId();
    }

    /** The connection's status; only for an assessment whose health is not {@link TunnelHealth.Unknown} from a failed read. */
    VpnConnectionStatus status() {
        return ((VpnTelemetry.Available) telemetry).status();
    }
}

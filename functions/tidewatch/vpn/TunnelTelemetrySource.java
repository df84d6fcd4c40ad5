package tidewatch.vpn;

import java.util.List;
import java.util.Map;
import tidewatch.lambda.InvocationDeadline;

/**
 * Reads the tunnels of VPN connections. One call per alarm; failures come back as {@link VpnTelemetry.Unavailable}.
 * No call outlasts {@code deadline}.
 */
interface TunnelTelemetrySource {
    /** Every requested id is a key of the result. */
    Map<String, VpnTelemetry> read(List<String> vpnIds, InvocationDeadline deadline);

    /**
     * The same reads with what a message or a repair needs beyond DescribeVpnConnections: the customer gateway (only
     * when a repair may follow) and the last lines of each DOWN tunnel's log (when its logging is on). Optional: what
     * is not read in time is said to be missing.
     */
    default Map<String, VpnTelemetry> withEvidence(Map<String, VpnTelemetry> read, VpnAlarmSettings settings,
                                                   InvocationDeadline deadline) {
        return read;
    }
}

package tidewatch.vpn;

import java.util.List;
import java.util.Map;

/** Reads the tunnels of VPN connections. One call per alarm; failures come back as {@link VpnTelemetry.Unavailable}. */
interface TunnelTelemetrySource {
    /** Every requested id is a key of the result. */
    Map<String, VpnTelemetry> read(List<String> vpnIds);
}

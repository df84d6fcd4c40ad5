package tidewatch.vpn;

import java.util.Objects;

/** The result of reading one VPN connection: its status, or why it could not be read (the alarm is sent regardless). */
sealed interface VpnTelemetry {
    String vpnId();

    record Available(VpnConnectionStatus status) implements VpnTelemetry {
        public Available {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public String vpnId() {
            return status.vpnId();
        }
    }

    record Unavailable(String vpnId, String problem) implements VpnTelemetry {
        public Unavailable {
            Objects.requireNonNull(vpnId, "vpnId");
            problem = problem == null ? "unknown problem" : problem;
        }
    }
}

package tidewatch.vpn;

import java.time.Instant;
import java.util.Objects;

/**
 * What EC2 reports about one tunnel of a Site-to-Site VPN connection (its VgwTelemetry): the AWS-side outside IP,
 * UP or DOWN, the error text, and when the status last changed.
 */
record TunnelTelemetry(
        String outsideIp,
        Status status,
        String statusMessage,
        Instant lastStatusChange,
        Integer acceptedRouteCount) {

    public enum Status {
        UP,
        DOWN,
        /** Missing or a value EC2 did not document; never counted as UP. */
        UNKNOWN;

        public static Status of(String value) {
            if ("UP".equalsIgnoreCase(value)) {
                return UP;
            }
            if ("DOWN".equalsIgnoreCase(value)) {
                return DOWN;
            }
            return UNKNOWN;
        }
    }

    public TunnelTelemetry {
        Objects.requireNonNull(outsideIp, "outsideIp");
        status = status == null ? Status.UNKNOWN : status;
        statusMessage = statusMessage == null ? "" : statusMessage;
    }

    public boolean isUp() {
        return status == Status.UP;
    }
}

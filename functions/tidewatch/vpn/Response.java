package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An automatic response the decision asks for. {@link NotRun} records a response that was considered and not run,
 * so the notification can say why.
 */
sealed interface Response {
    /** How the response reads in the notification before it has run or when it was not run. */
    String describe();

    /** What the notification adds to the response's outcome ("cooldown tag ... ignored"), or null. */
    default String note() {
        return null;
    }

    /**
     * Asks the keepalive function, asynchronously, for a burst of traffic: fresh reachability data and a busy UP tunnel.
     * It cannot start IKE on a DOWN tunnel that waits for the datacenter.
     */
    record KeepaliveBurst(String functionName, int rounds) implements Response {
        public KeepaliveBurst {
            Objects.requireNonNull(functionName, "functionName");
        }

        @Override
        public String describe() {
            return "keepalive burst of " + rounds + " rounds";
        }
    }

    /**
     * Replaces a tunnel that has been down too long while another carries the traffic. {@code claimedAt} is the
     * instant written to the cooldown tag; {@code note} what people are told besides (a cooldown tag ignored), or null.
     */
    record ReplaceTunnel(String vpnId, String outsideIp, Duration downFor, String cooldownTagKey, Instant claimedAt,
                         String note) implements Response {
        public ReplaceTunnel {
            Objects.requireNonNull(vpnId, "vpnId");
            Objects.requireNonNull(outsideIp, "outsideIp");
            Objects.requireNonNull(cooldownTagKey, "cooldownTagKey");
            Objects.requireNonNull(claimedAt, "claimedAt");
        }

        public ReplaceTunnel(String vpnId, String outsideIp, Duration downFor, String cooldownTagKey, Instant claimedAt) {
            this(vpnId, outsideIp, downFor, cooldownTagKey, claimedAt, null);
        }

        @Override
        public String describe() {
            return "tunnel " + outsideIp + " replacement";
        }
    }

    /**
     * Sets StartupAction=start and DPDTimeoutAction=restart on a DOWN tunnel whose options leave it to the datacenter.
     * {@code claimedAt} is the instant written to the cooldown tag once AWS has answered; {@code note} as for
     * {@link ReplaceTunnel}.
     */
    record RepairTunnelOptions(String vpnId, String outsideIp, String cooldownTagKey, Instant claimedAt, String note)
            implements Response {
        public RepairTunnelOptions {
            Objects.requireNonNull(vpnId, "vpnId");
            Objects.requireNonNull(outsideIp, "outsideIp");
            Objects.requireNonNull(cooldownTagKey, "cooldownTagKey");
            Objects.requireNonNull(claimedAt, "claimedAt");
        }

        public RepairTunnelOptions(String vpnId, String outsideIp, String cooldownTagKey, Instant claimedAt) {
            this(vpnId, outsideIp, cooldownTagKey, claimedAt, null);
        }

        @Override
        public String describe() {
            return "tunnel " + outsideIp + " options repair (startup action start, DPD timeout action restart)";
        }
    }

    /** Remembers, as a tag on the VPN connection, the recovery posture people were last told about. */
    record TagPosture(String vpnId, String tagKey, String value) implements Response {
        public TagPosture {
            Objects.requireNonNull(vpnId, "vpnId");
            Objects.requireNonNull(tagKey, "tagKey");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String describe() {
            return "recovery posture of " + vpnId + " remembered";
        }
    }

    record NotRun(String description) implements Response {
        public NotRun {
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String describe() {
            return description;
        }
    }
}

package tidewatch.datacenter;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Whether the datacenter could be reached over the VPN, as EC2's own tunnel telemetry said when it was read.
 *
 * @param since when the last tunnel went down (UNREACHABLE), else null
 * @param facts the VPN facts in people's words ("VPN vpn-0abc: both tunnels DOWN"), or why nothing is known
 */
public record Reachability(State state, Instant since, String facts) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public enum State {
        /** Every listed VPN has a tunnel UP. */
        REACHABLE,
        /** A listed VPN has no tunnel UP. */
        UNREACHABLE,
        /** The telemetry could not be read, or did not answer for a listed VPN. */
        UNKNOWN,
        /** No VPN is listed (VPN_CONNECTION_IDS empty): nothing to read, nothing said. */
        NOT_WATCHED
    }

    public static final Reachability NOT_WATCHED = new Reachability(State.NOT_WATCHED, null, "no VPN connection is listed");

    public Reachability {
        Objects.requireNonNull(state, "state");
        facts = facts == null ? "" : facts;
    }

    public static Reachability unknown(String why) {
        return new Reachability(State.UNKNOWN, null, why);
    }

    public boolean unreachable() {
        return state == State.UNREACHABLE;
    }

    /** In people's words: "unreachable since 14:05 UTC (VPN vpn-0abc: both tunnels DOWN)", "state unavailable: ...". */
    public String describe() {
        return switch (state) {
            case UNREACHABLE -> "unreachable" + (since == null ? "" : " since " + CLOCK.format(since)) + " (" + facts + ")";
            case REACHABLE -> "reachable (" + facts + ")";
            case UNKNOWN -> "state unavailable: " + facts;
            case NOT_WATCHED -> "not watched (" + facts + ")";
        };
    }

    /** "the datacenter is unreachable since 14:05 UTC (VPN vpn-0abc: both tunnels DOWN)". */
    public String likelyCause() {
        return "the datacenter is " + describe();
    }
}

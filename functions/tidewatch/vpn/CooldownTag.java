package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A cooldown remembered as a tag on the VPN connection: the instant Tidewatch last acted on a tunnel. */
final class CooldownTag {
    private CooldownTag() {}

    /** Why the cooldown still holds ("replaced 2 h ago (at ...), cooldown 6 h"), or null when it is over or unset. */
    static String holds(VpnConnectionStatus status, String tagKey, Duration cooldown, String done, Instant now) {
        String last = status.tags().get(tagKey);
        if (last == null) {
            return null;
        }
        Instant at;
        try {
            at = Instant.parse(last.trim());
        } catch (DateTimeParseException e) {
            // Unreadable means someone edited it: not acting is the safe reading.
            return "cooldown tag " + tagKey + " holds '" + last + "', not an ISO-8601 instant";
        }
        Duration since = Duration.between(at, now);
        if (since.compareTo(cooldown) < 0) {
            return done + " " + Elapsed.describe(since) + " ago (at " + Elapsed.instant(at) + "), cooldown "
                    + Elapsed.describe(cooldown);
        }
        return null;
    }
}

package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A cooldown remembered as a tag on the VPN connection: the instant Tidewatch last acted on a tunnel. A tag dated
 * further ahead than the cooldown itself cannot come from this clock's last action (a clock that was wrong, an edit):
 * it would block the action silently for years, so it is ignored and the response says so ({@link #ignored}).
 */
final class CooldownTag {
    private CooldownTag() {}

    /** Why the cooldown still holds ("replaced 2 h ago (at ...), cooldown 6 h"), or null when it is over, unset or ignored. */
    static String holds(VpnConnectionStatus status, String tagKey, Duration cooldown, String done, Instant now) {
        String last = status.tags().get(tagKey);
        if (last == null) {
            return null;
        }
        Instant at = parse(last);
        if (at == null) {
            // Unreadable means someone edited it: not acting is the safe reading.
            return "cooldown tag " + tagKey + " holds '" + last + "', not an ISO-8601 instant";
        }
        if (beyondCooldown(at, cooldown, now)) {
            return null;
        }
        if (Elapsed.ahead(at, now)) {
            return done + " at " + Elapsed.instant(at) + " (" + Elapsed.CLOCK_AHEAD + "), cooldown "
                    + Elapsed.describe(cooldown);
        }
        Duration since = Duration.between(at, now);
        if (since.compareTo(cooldown) < 0) {
            return done + " " + Elapsed.ago(at, now) + " (at " + Elapsed.instant(at) + "), cooldown "
                    + Elapsed.describe(cooldown);
        }
        return null;
    }

    /** What the response says when the tag is dated further ahead than the cooldown, else null. */
    static String ignored(VpnConnectionStatus status, String tagKey, Duration cooldown, Instant now) {
        String last = status.tags().get(tagKey);
        Instant at = last == null ? null : parse(last);
        if (at == null || !beyondCooldown(at, cooldown, now)) {
            return null;
        }
        return "cooldown tag " + Elapsed.instant(at) + " ignored: further ahead than the cooldown ("
                + Elapsed.describe(cooldown) + ") itself, clocks disagree";
    }

    private static boolean beyondCooldown(Instant at, Duration cooldown, Instant now) {
        return at.isAfter(now.plus(cooldown));
    }

    private static Instant parse(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Durations and instants as people read them in a notification: "12 min", "2 h 5 min", "2024-05-01T10:17:42Z". A
 * time further ahead of this function's clock than {@link #CLOCK_TOLERANCE} is told as such ("in the future: clocks
 * disagree"), never as 0 s.
 */
final class Elapsed {
    /** How far ahead of this function's clock a reported time may be and still count as "just now". */
    static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);
    static final String CLOCK_AHEAD = "in the future: clocks disagree";

    private Elapsed() {}

    public static String describe(Duration duration) {
        Duration d = duration.isNegative() ? Duration.ZERO : duration;
        long seconds = d.getSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = d.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = d.toHours();
        if (hours < 24) {
            long rest = minutes % 60;
            return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
        }
        long restHours = hours % 24;
        return d.toDays() + " d" + (restHours == 0 ? "" : " " + restHours + " h");
    }

    public static String instant(Instant instant) {
        return instant == null ? "unknown" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Whether {@code instant} lies further ahead of {@code now} than the clocks' tolerance: its age is unknown. */
    static boolean ahead(Instant instant, Instant now) {
        return instant != null && instant.isAfter(now.plus(CLOCK_TOLERANCE));
    }

    /** "47 min ago"; "just now" up to the tolerance ahead; "in the future: clocks disagree" beyond it. */
    static String ago(Instant instant, Instant now) {
        if (ahead(instant, now)) {
            return CLOCK_AHEAD;
        }
        Duration since = Duration.between(instant, now);
        return since.isNegative() ? "just now" : describe(since) + " ago";
    }

    /** "2024-05-01T09:30:00Z (47 min ago)", relative to the time the decision was made. */
    public static String since(Instant instant, Instant now) {
        if (instant == null) {
            return "unknown";
        }
        return instant(instant) + " (" + ago(instant, now) + ")";
    }
}

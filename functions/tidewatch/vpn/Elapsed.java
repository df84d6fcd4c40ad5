package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Durations and instants as people read them in a notification: "12 min", "2 h 5 min", "2024-05-01T10:17:42Z". */
final class Elapsed {
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

    /** "2024-05-01T09:30:00Z (47 min ago)", relative to the time the decision was made. */
    public static String since(Instant instant, Instant now) {
        if (instant == null) {
            return "unknown";
        }
        return instant(instant) + " (" + describe(Duration.between(instant, now)) + " ago)";
    }
}

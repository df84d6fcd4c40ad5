package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Crash-loop detection for a service or a family of standalone tasks, from ECS's own record of its recently stopped
 * tasks: no database needed. A loop is {@code threshold} abnormal stops within {@code window}. People hear of the
 * 1st abnormal stop in a row, of the stop that makes {@code threshold} in a row, and then only at doubling counts
 * (threshold x2, x4, ...): counted in a row rather than in the window, because a window's count levels off while a
 * loop goes on and would either repeat the same milestone on every stop or never reach the next one.
 */
record CrashLoop(int threshold, Duration window) {

    /**
     * @param inWindow abnormal stops in the window that ends at the stop being handled
     * @param inARow   abnormal stops in a row up to it, each within one window of the one before (ECS keeps about an
     *                 hour of stopped tasks, so a longer run is counted from there)
     */
    public record Count(int inWindow, int inARow) {
        public static final Count NONE = new Count(0, 0);
    }

    /**
     * Counts a stop whose time is unknown by what is known: as the newest, one more than the stops before the latest
     * known one.
     */
    Count countUntimed(Collection<Instant> otherAbnormalStops) {
        Instant latest = otherAbnormalStops.stream().filter(t -> t != null).max(Comparator.naturalOrder()).orElse(null);
        if (latest == null) {
            return new Count(1, 1);
        }
        Count known = count(otherAbnormalStops, latest);
        return new Count(known.inWindow() + 1, known.inARow() + 1);
    }

    /** Counts the abnormal stops up to {@code now}, which is the stop being handled. */
    public Count count(Collection<Instant> abnormalStops, Instant now) {
        List<Instant> earlier = abnormalStops.stream().filter(t -> t != null && !t.isAfter(now))
                .sorted(Comparator.reverseOrder()).toList();
        Instant start = now.minus(window);
        int inWindow = (int) earlier.stream().filter(t -> !t.isBefore(start)).count();
        int inARow = 1;
        Instant previous = now;
        boolean self = false;
        for (Instant stop : earlier) {
            if (!self && stop.equals(now)) {
                self = true; // the stop being handled itself
                continue;
            }
            if (stop.isBefore(previous.minus(window))) {
                break;
            }
            inARow++;
            previous = stop;
        }
        return new Count(Math.max(inWindow, 1), inARow);
    }

    public boolean isLooping(Count count) {
        return count.inWindow() >= threshold;
    }

    public boolean shouldNotify(Count count) {
        int n = count.inARow();
        if (n <= 1) {
            return true;
        }
        if (n < threshold) {
            return false;
        }
        int milestone = threshold;
        while (milestone < n) {
            milestone *= 2;
        }
        return milestone == n;
    }
}

package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Crash-loop detection for a service, from ECS's own record of its recently stopped tasks: no database needed.
 * People hear of the 1st abnormal stop, of the stop that reaches the threshold, and then only at doubling counts
 * (threshold x2, x4, ...), so a loop does not flood Slack.
 */
public record CrashLoop(int threshold, Duration window) {

    /** Counts the abnormal stops in the window that ends at {@code now}, inclusive. */
    public int count(Collection<Instant> abnormalStops, Instant now) {
        Instant start = now.minus(window);
        return (int) abnormalStops.stream().filter(t -> t != null && !t.isBefore(start) && !t.isAfter(now)).count();
    }

    public boolean isLooping(int count) {
        return count >= threshold;
    }

    public boolean shouldNotify(int count) {
        if (count <= 1) {
            return true;
        }
        if (count < threshold) {
            return false;
        }
        int milestone = threshold;
        while (milestone < count) {
            milestone *= 2;
        }
        return milestone == count;
    }
}

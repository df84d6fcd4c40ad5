package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CrashLoopTest {
    private final CrashLoop loop = new CrashLoop(3, Duration.ofMinutes(15));

    @Test
    void notifiesOnTheFirstTheThresholdAndThenAtDoublingCounts() {
        List<Integer> notified = IntStream.rangeClosed(1, 50).filter(loop::shouldNotify).boxed().toList();
        assertEquals(List.of(1, 3, 6, 12, 24, 48), notified);
    }

    @Test
    void aConfiguredThresholdMovesTheMilestones() {
        CrashLoop five = new CrashLoop(5, Duration.ofMinutes(10));
        assertEquals(List.of(1, 5, 10, 20, 40), IntStream.rangeClosed(1, 40).filter(five::shouldNotify).boxed().toList());
        assertFalse(five.isLooping(4));
        assertTrue(five.isLooping(5));
    }

    @Test
    void countsOnlyStopsInsideTheWindowEndingAtTheStopBeingHandled() {
        Instant now = Instant.parse("2026-11-24T09:41:06Z");
        List<Instant> stops = List.of(now, now.minusSeconds(60), now.minus(Duration.ofMinutes(15)),
                now.minus(Duration.ofMinutes(15)).minusMillis(1), now.plusSeconds(30));
        assertEquals(3, loop.count(stops, now), "the window's start is inclusive; older and later stops are out");
    }
}

package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrashLoopTest {
    private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");
    private final CrashLoop loop = new CrashLoop(3, Duration.ofMinutes(15));

    @Test
    void notifiesOnTheFirstTheThresholdAndThenAtDoublingCountsInARow() {
        List<Integer> notified = IntStream.rangeClosed(1, 50)
                .filter(n -> loop.shouldNotify(new CrashLoop.Count(3, n))).boxed().toList();
        assertEquals(List.of(1, 3, 6, 12, 24, 48), notified);
    }

    @Test
    void aConfiguredThresholdMovesTheMilestones() {
        CrashLoop five = new CrashLoop(5, Duration.ofMinutes(10));
        assertEquals(List.of(1, 5, 10, 20, 40), IntStream.rangeClosed(1, 40)
                .filter(n -> five.shouldNotify(new CrashLoop.Count(5, n))).boxed().toList());
        assertFalse(five.isLooping(new CrashLoop.Count(4, 9)));
        assertTrue(five.isLooping(new CrashLoop.Count(5, 5)));
    }

    @Test
    void countsTheWindowEndingAtTheStopBeingHandledAndTheRunBeforeIt() {
        Instant now = START.plus(Duration.ofMinutes(60));
        List<Instant> stops = List.of(now, now.minusSeconds(60), now.minus(Duration.ofMinutes(15)),
                now.minus(Duration.ofMinutes(29)), now.minus(Duration.ofMinutes(50)), now.plusSeconds(30));
        CrashLoop.Count count = loop.count(stops, now);
        assertEquals(3, count.inWindow(), "the window's start is inclusive; older and later stops are out");
        assertEquals(4, count.inARow(), "the stop 21 minutes before the last of the run is more than a window away");
    }

    /**
     * A loop that goes on at a steady rate: the window's count levels off, so the milestones follow the run instead.
     * Rows: minutes between crashes, how many crashes, the crashes that are notified, and the first that is critical.
     */
    @ParameterizedTest
    @CsvSource({
            "6, 30, '1 3 6 12 24', 3",
            "4, 30, '1 3 6 12 24', 3",
            "20, 6, '1 2 3 4 5 6', 0",
            "1, 13, '1 3 6 12', 3"})
    void aSteadyLoopIsNeitherRepeatedOnEveryStopNorSilenced(int minutesApart, int crashes, String expectedNotified, int firstCritical) {
        List<Instant> history = new ArrayList<>();
        List<Integer> notified = new ArrayList<>();
        int critical = 0;
        for (int i = 1; i <= crashes; i++) {
            Instant now = START.plus(Duration.ofMinutes((long) minutesApart * i));
            history.add(now);
            CrashLoop.Count count = loop.count(history, now);
            if (loop.shouldNotify(count)) {
                notified.add(i);
            }
            if (critical == 0 && loop.isLooping(count)) {
                critical = i;
            }
        }
        assertEquals(expectedNotified, String.join(" ", notified.stream().map(String::valueOf).toList()));
        assertEquals(firstCritical, critical);
    }
}

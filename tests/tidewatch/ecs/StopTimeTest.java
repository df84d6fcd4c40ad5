package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A stop's time: unknown rather than an error when missing or absurd, and still counted in the crash loop. */
class StopTimeTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "null", value = {
            "2026-11-24T09:41:06.512Z, 2026-11-24T09:41:06.512Z",
            "2026-11-24T09:41:07Z, 2026-11-24T09:41:07Z",
            "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
            "-1000000000-01-01T00:00:00Z, null",
            "+1000000000-12-31T23:59:59Z, null",
            "1969-12-31T23:59:59Z, null",
            "yesterday, null",
            "'', null",
            "null, null"})
    void knownTimes(String value, String expected) {
        assertEquals(expected == null ? null : Instant.parse(expected), TaskStopEvent.knownTime(value));
    }

    @Test
    void anAbsurdStoppedAtFallsBackToTheEventTimeAndNoTimeAtAllIsUnknown() {
        TaskStopEvent absurd = SampleEvents.event(SampleEvents.variant("ecs-service-task-crashed.json",
                d -> d.put("stoppedAt", "-1000000000-01-01T00:00:00Z")));
        assertEquals(Instant.parse(SampleEvents.envelope("ecs-service-task-crashed.json").get("time").toString()), absurd.stoppedAt());
        var envelope = SampleEvents.variant("ecs-service-task-crashed.json", d -> d.remove("stoppedAt"));
        envelope.put("time", "+1000000000-12-31T23:59:59Z");
        assertNull(SampleEvents.event(envelope).stoppedAt());
    }

    @Test
    void aStopOfUnknownTimeCountsAsTheNewestAfterTheKnownOnes() {
        CrashLoop loop = new CrashLoop(3, Duration.ofMinutes(15));
        Instant t = Instant.parse("2026-11-24T09:00:00Z");
        assertEquals(new CrashLoop.Count(1, 1), loop.countUntimed(List.of()));
        assertEquals(new CrashLoop.Count(3, 3), loop.countUntimed(List.of(t, t.plusSeconds(60))));
        assertEquals(new CrashLoop.Count(2, 2), loop.countUntimed(List.of(t.minus(Duration.ofHours(1)), t)),
                "a stop an hour earlier is outside the window and breaks the run");
    }
}

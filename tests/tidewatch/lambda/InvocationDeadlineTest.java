package tidewatch.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InvocationDeadlineTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-03T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private static Context remaining(int millis) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getRemainingTimeInMillis") ? millis : null);
    }

    @Test
    void theBudgetIsLambdasRemainingTimeLessTheMarginAndCountsDown() {
        ManualClock clock = new ManualClock();
        InvocationDeadline deadline = InvocationDeadline.of(remaining(30_000), Duration.ofSeconds(2), clock);
        assertEquals(Duration.ofSeconds(28), deadline.remaining());

        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(18), deadline.remaining());
        assertEquals(Duration.ofSeconds(4), deadline.cap(Duration.ofSeconds(4)), "a call's own timeout when shorter");
        clock.advance(Duration.ofSeconds(16));
        assertEquals(Duration.ofSeconds(2), deadline.cap(Duration.ofSeconds(4)), "cut to what is left");
        assertTrue(deadline.allows(Duration.ofSeconds(2)));
        assertFalse(deadline.allows(Duration.ofMillis(2001)));
        assertFalse(deadline.expired());
    }

    @Test
    void aStepsBudgetEndsAtTheSoonerOfItsOwnAndTheInvocations() {
        ManualClock clock = new ManualClock();
        InvocationDeadline deadline = InvocationDeadline.of(remaining(30_000), Duration.ofSeconds(2), clock);
        assertEquals(Duration.ofSeconds(6), deadline.within(Duration.ofSeconds(6)).remaining());
        clock.advance(Duration.ofSeconds(25));
        assertEquals(Duration.ofSeconds(3), deadline.within(Duration.ofSeconds(6)).remaining(), "the invocation ends first");
        Duration unbounded = InvocationDeadline.unbounded().within(Duration.ofSeconds(6)).cap(Duration.ofSeconds(12));
        assertTrue(unbounded.compareTo(Duration.ofSeconds(5)) > 0 && unbounded.compareTo(Duration.ofSeconds(6)) <= 0, unbounded.toString());
    }

    @Test
    void aSpentBudgetIsZeroNeverNegative() {
        ManualClock clock = new ManualClock();
        InvocationDeadline deadline = InvocationDeadline.of(remaining(1_500), Duration.ofSeconds(2), clock);
        assertEquals(Duration.ZERO, deadline.remaining());
        assertTrue(deadline.expired());
        assertEquals(Duration.ZERO, deadline.cap(Duration.ofSeconds(4)));

        InvocationDeadline spentLater = InvocationDeadline.after(Duration.ofMillis(100), clock);
        clock.advance(Duration.ofSeconds(1));
        assertTrue(spentLater.expired());
    }

    @Test
    void withoutAContextEveryCallKeepsItsOwnTimeout() {
        InvocationDeadline none = InvocationDeadline.of(null, Duration.ofSeconds(2), new ManualClock());
        assertEquals(InvocationDeadline.LONGEST_INVOCATION, none.remaining());
        assertEquals(Duration.ofSeconds(12), none.cap(Duration.ofSeconds(12)));
        assertFalse(InvocationDeadline.unbounded().expired());
    }

    @Test
    void aDeadlineKeepingAReserveEndsThatMuchEarlierOnTheSameClock() {
        ManualClock clock = new ManualClock();
        InvocationDeadline deadline = InvocationDeadline.after(Duration.ofSeconds(20), clock);
        InvocationDeadline work = deadline.keeping(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(15), work.remaining());

        clock.advance(Duration.ofSeconds(16));
        assertTrue(work.expired(), "the work's time is spent");
        assertEquals(Duration.ofSeconds(4), deadline.remaining(), "the reserve is still there");
        assertEquals(InvocationDeadline.LONGEST_INVOCATION, InvocationDeadline.unbounded().keeping(Duration.ofSeconds(5)).remaining());
    }
}

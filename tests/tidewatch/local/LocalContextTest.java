package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The local Context's remaining time, on a clock the test moves. */
class LocalContextTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T00:00:00Z"));
    private final InstantSource clock = now::get;

    @Test
    void theRemainingTimeCountsDownFromTheTimeoutFromTheInvocationsStart() {
        Instant initStart = now.get();
        Instant invocationStart = initStart.plusSeconds(4); // init took 4 s: that time is not the invocation's
        now.set(invocationStart);
        LocalContext context = new LocalContext("VpnAlarmFunction", 512, Duration.ofSeconds(30), invocationStart, clock);
        assertEquals(30_000, context.getRemainingTimeInMillis());
        now.set(invocationStart.plusMillis(12_345));
        assertEquals(17_655, context.getRemainingTimeInMillis());
        now.set(invocationStart.plusSeconds(31));
        assertEquals(0, context.getRemainingTimeInMillis(), "never negative");
    }

    @Test
    void anInitPastLambdasTenSecondLimitCountsAgainstTheInvocation() {
        Instant initStart = now.get();
        assertEquals(initStart.plusSeconds(3), LambdaBootstrap.invocationStart(initStart, initStart.plusSeconds(3)));
        assertEquals(initStart.plusSeconds(10), LambdaBootstrap.invocationStart(initStart, initStart.plusSeconds(14)));
    }

    @Test
    void theTimeoutErrorIsWordedAsLambdasIs() {
        assertEquals("Task timed out after 30.00 seconds", LambdaBootstrap.timedOutError(Duration.ofSeconds(30)));
    }
}

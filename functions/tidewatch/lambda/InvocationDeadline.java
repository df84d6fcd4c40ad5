package tidewatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When this invocation must have finished its work: Lambda's remaining time minus a safety margin, kept for what
 * comes after the work (the response, the summary line). Every call made inside an invocation takes a timeout no
 * longer than {@link #remaining()}, so that Lambda never kills an invocation half way through telling people.
 */
public final class InvocationDeadline {
    /** Kept back for writing the response and the log lines after the last call. */
    public static final Duration SAFETY_MARGIN = Duration.ofSeconds(2);
    /** Lambda's longest invocation: what an unbounded deadline always has left. */
    public static final Duration LONGEST_INVOCATION = Duration.ofMinutes(15);

    private final Clock clock;
    /** Null for no deadline. */
    private final Instant end;

    private InvocationDeadline(Clock clock, Instant end) {
        this.clock = clock;
        this.end = end;
    }

    /** The deadline of the invocation {@code context} describes; {@link #unbounded()} without one (tests, priming). */
    public static InvocationDeadline of(Context context) {
        return of(context, SAFETY_MARGIN, Clock.systemUTC());
    }

    public static InvocationDeadline of(Context context, Duration margin, Clock clock) {
        if (context == null) {
            return unbounded();
        }
        return after(Duration.ofMillis(context.getRemainingTimeInMillis()).minus(margin), clock);
    }

    /** A budget of {@code budget} from now (a negative budget is already spent). */
    public static InvocationDeadline after(Duration budget, Clock clock) {
        return new InvocationDeadline(clock, clock.instant().plus(budget));
    }

    /** No deadline: always {@link #LONGEST_INVOCATION} left, so each call keeps its own timeout. */
    public static InvocationDeadline unbounded() {
        return new InvocationDeadline(Clock.systemUTC(), null);
    }

    /**
     * The deadline of the work that comes before a last step needing {@code reserve}: {@code reserve} earlier, on the
     * same clock (an unbounded deadline stays unbounded). The ECS function decides its stops within it and keeps the
     * reserve for telling people.
     */
    public InvocationDeadline keeping(Duration reserve) {
        return end == null ? this : new InvocationDeadline(clock, end.minus(reserve));
    }

    /** The deadline of a step that may take at most {@code budget}: the sooner of this deadline and {@code budget} from now. */
    public InvocationDeadline within(Duration budget) {
        Instant stepEnd = clock.instant().plus(budget);
        return new InvocationDeadline(clock, end == null || stepEnd.isBefore(end) ? stepEnd : end);
    }

    /** The time left, never negative. */
    public Duration remaining() {
        if (end == null) {
            return LONGEST_INVOCATION;
        }
        Duration left = Duration.between(clock.instant(), end);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean expired() {
        return remaining().isZero();
    }

    /** {@code wanted}, cut to the time left: the timeout to give one call. */
    public Duration cap(Duration wanted) {
        Duration left = remaining();
        return wanted.compareTo(left) > 0 ? left : wanted;
    }

    /** Whether at least {@code needed} is left, for a step that is worth starting only when it can finish. */
    public boolean allows(Duration needed) {
        return remaining().compareTo(needed) >= 0;
    }

    @Override
    public String toString() {
        return "InvocationDeadline[" + remaining().toMillis() + " ms left]";
    }
}

package tidewatch.notify;

import java.time.Duration;

/**
 * Bounded exponential backoff: attempt n waits base * 2^(n-1), capped; a server's Retry-After wins when it is
 * shorter than the cap, and is cut to the cap otherwise so one invocation never waits unboundedly.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(250), Duration.ofSeconds(3));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBeforeRetry(int retry, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
        }
        Duration exponential = baseDelay.multipliedBy(1L << Math.min(retry - 1, 20));
        return exponential.compareTo(maxDelay) > 0 ? maxDelay : exponential;
    }
}

package tidewatch.notify;

import java.time.Duration;

/**
 * The one rule for what a Slack webhook attempt leads to, as Alertmanager's {@code Retrier.Check} decides for its
 * notifiers: deliver, retry after a wait, read the webhook again, reject the message or give up on Slack. Pure: the
 * channel's loop does what it says. A webhook has no idempotency key, so a request Slack may have taken (sent, no
 * answer; a gateway's 504) is never sent again: at most one visible copy.
 */
record SlackAnswer(Action action, Duration delay, String reason) {
    enum Action {
        DELIVERED,
        /** Slack did not take the request: send it again after {@link #delay}. */
        RETRY,
        /** The webhook is revoked or rotated: this message fails, the URL is read again for the next. */
        READ_WEBHOOK_AGAIN,
        /** Slack refused this message; the next may pass. */
        REJECTED,
        /** Slack is unusable for the rest of this invocation. */
        GIVE_UP
    }

    /** The least time worth starting another attempt with, after the wait. */
    static final Duration LEAST_ATTEMPT_TIME = Duration.ofMillis(500);

    /**
     * @param attempt what the attempt came to
     * @param number  the attempt's number, from 1
     * @param left    the invocation's time left, after this attempt
     */
    static SlackAnswer classify(SlackAttempt attempt, int number, RetryPolicy policy, Duration left) {
        if (attempt instanceof SlackAttempt.NoAnswer noAnswer) {
            return giveUp(number, "sent, no answer in time (" + noAnswer.failure() + "); not sent again, Slack may have posted it");
        }
        if (attempt instanceof SlackAttempt.NotSent notSent) {
            return retryOrGiveUp("not sent (" + notSent.failure() + ")", null, number, policy, left);
        }
        SlackAttempt.Answered answer = (SlackAttempt.Answered) attempt;
        int status = answer.status();
        String described = "HTTP " + status + (answer.slackError() == null ? " (" + kind(status) + ")" : " " + answer.slackError());
        if (status >= 200 && status < 300) {
            return new SlackAnswer(Action.DELIVERED, Duration.ZERO, described);
        }
        if (status == 429) {
            return retryOrGiveUp(described, seconds(answer.retryAfter()), number, policy, left);
        }
        if (status == 504) {
            return giveUp(number, described + "; not sent again, Slack may have posted it behind the gateway");
        }
        if (status >= 500) {
            return retryOrGiveUp(described, null, number, policy, left);
        }
        if (status == 403 || status == 404 || status == 410) {
            return new SlackAnswer(Action.READ_WEBHOOK_AGAIN, Duration.ZERO, "Slack rejected the message: " + described
                    + "; the webhook is read again for the next message");
        }
        return new SlackAnswer(Action.REJECTED, Duration.ZERO, "Slack rejected the message: " + described);
    }

    private static SlackAnswer retryOrGiveUp(String described, Duration retryAfter, int number, RetryPolicy policy, Duration left) {
        if (number >= policy.maxAttempts()) {
            return giveUp(number, described);
        }
        Duration wait = policy.delayBeforeRetry(number, retryAfter);
        if (wait.plus(LEAST_ATTEMPT_TIME).compareTo(left) > 0) {
            return giveUp(number, described + "; no time left for a retry");
        }
        return new SlackAnswer(Action.RETRY, wait, described);
    }

    private static SlackAnswer giveUp(int attempts, String last) {
        return new SlackAnswer(Action.GIVE_UP, Duration.ZERO,
                "Slack failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ", last: " + last);
    }

    private static String kind(int status) {
        if (status >= 200 && status < 300) {
            return "ok";
        }
        return status == 429 ? "rate limited" : status >= 500 ? "server error" : status >= 400 ? "refused" : "unexpected status";
    }

    /** A Retry-After of whole seconds; an HTTP date or garbage means none, and the backoff applies. */
    private static Duration seconds(String header) {
        try {
            return header == null ? null : Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

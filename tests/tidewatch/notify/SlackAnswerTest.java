package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tidewatch.notify.SlackAnswer.Action.DELIVERED;
import static tidewatch.notify.SlackAnswer.Action.GIVE_UP;
import static tidewatch.notify.SlackAnswer.Action.READ_WEBHOOK_AGAIN;
import static tidewatch.notify.SlackAnswer.Action.REJECTED;
import static tidewatch.notify.SlackAnswer.Action.RETRY;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every outcome of a webhook attempt and what it leads to: the whole retry rule in one table. */
class SlackAnswerTest {
    private static final Duration PLENTY = Duration.ofSeconds(60);

    private record Row(String name, SlackAttempt attempt, int number, Duration left,
                       SlackAnswer.Action action, Duration delay, String reason) {}

    private static SlackAttempt status(int status) {
        return SlackAttempt.Answered.of(status, null, "");
    }

    private static final List<Row> TABLE = List.of(
            new Row("200 ok", status(200), 1, PLENTY, DELIVERED, Duration.ZERO, "HTTP 200 (ok)"),
            new Row("429 with Retry-After: 2", SlackAttempt.Answered.of(429, "2", ""), 1, PLENTY,
                    RETRY, Duration.ofSeconds(2), "HTTP 429 (rate limited)"),
            new Row("429 Retry-After: 120 is capped", SlackAttempt.Answered.of(429, "120", ""), 1, PLENTY,
                    RETRY, Duration.ofSeconds(3), "HTTP 429 (rate limited)"),
            new Row("429 Retry-After as a date: backoff", SlackAttempt.Answered.of(429, "Wed, 21 Oct 2015 07:28:00 GMT", ""), 2, PLENTY,
                    RETRY, Duration.ofMillis(500), "HTTP 429 (rate limited)"),
            new Row("500 first attempt", status(500), 1, PLENTY, RETRY, Duration.ofMillis(250), "HTTP 500 (server error)"),
            new Row("500 with Slack's code", SlackAttempt.Answered.of(500, null, "rollup_error\n"), 2, PLENTY,
                    RETRY, Duration.ofMillis(500), "HTTP 500 rollup_error"),
            new Row("503 last attempt", status(503), 3, PLENTY, GIVE_UP, Duration.ZERO,
                    "Slack failed after 3 attempts, last: HTTP 503 (server error)"),
            new Row("503, no time for the wait", status(503), 1, Duration.ofMillis(600), GIVE_UP, Duration.ZERO,
                    "Slack failed after 1 attempt, last: HTTP 503 (server error); no time left for a retry"),
            new Row("504: a gateway may have passed it on", status(504), 1, PLENTY, GIVE_UP, Duration.ZERO,
                    "Slack failed after 1 attempt, last: HTTP 504 (server error); not sent again, Slack may have posted it behind the gateway"),
            new Row("connection refused: not sent", new SlackAttempt.NotSent("ConnectException"), 1, PLENTY,
                    RETRY, Duration.ofMillis(250), "not sent (ConnectException)"),
            new Row("not sent, last attempt", new SlackAttempt.NotSent("UnknownHostException"), 3, PLENTY, GIVE_UP, Duration.ZERO,
                    "Slack failed after 3 attempts, last: not sent (UnknownHostException)"),
            new Row("read timeout: sent, maybe posted", new SlackAttempt.NoAnswer("SocketTimeoutException"), 1, PLENTY,
                    GIVE_UP, Duration.ZERO,
                    "Slack failed after 1 attempt, last: sent, no answer in time (SocketTimeoutException); not sent again, Slack may have posted it"),
            new Row("410 revoked", SlackAttempt.Answered.of(410, null, "channel_is_archived"), 1, PLENTY, READ_WEBHOOK_AGAIN, Duration.ZERO,
                    "Slack rejected the message: HTTP 410 channel_is_archived; the webhook is read again for the next message"),
            new Row("404 no_service", SlackAttempt.Answered.of(404, null, "no_service"), 1, PLENTY, READ_WEBHOOK_AGAIN, Duration.ZERO,
                    "Slack rejected the message: HTTP 404 no_service; the webhook is read again for the next message"),
            new Row("403", status(403), 1, PLENTY, READ_WEBHOOK_AGAIN, Duration.ZERO,
                    "Slack rejected the message: HTTP 403 (refused); the webhook is read again for the next message"),
            new Row("400 invalid_payload", SlackAttempt.Answered.of(400, null, "invalid_payload"), 1, PLENTY, REJECTED, Duration.ZERO,
                    "Slack rejected the message: HTTP 400 invalid_payload"),
            new Row("400 with an echoed body: only the status", SlackAttempt.Answered.of(400, null, "POST /services/T/B/secret"), 1, PLENTY,
                    REJECTED, Duration.ZERO, "Slack rejected the message: HTTP 400 (refused)"),
            new Row("302 redirect", status(302), 1, PLENTY, REJECTED, Duration.ZERO,
                    "Slack rejected the message: HTTP 302 (unexpected status)"));

    @Test
    void eachOutcomeLeadsToItsAction() {
        for (Row row : TABLE) {
            SlackAnswer answer = SlackAnswer.classify(row.attempt(), row.number(), RetryPolicy.DEFAULT, row.left());
            assertEquals(new SlackAnswer(row.action(), row.delay(), row.reason()), answer, row.name());
        }
    }
}

package tidewatch.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import tidewatch.text.Text;

/**
 * Posts messages to a Slack incoming webhook over the same HTTP client the SDK uses. Retries HTTP 429 (honouring
 * Retry-After), 5xx, timeouts and connection failures with bounded backoff; any other 4xx is final.
 */
public final class SlackChannel implements Channel {
    private static final int MAX_ERROR_BODY = 200;
    /** How long Slack counts as down after it failed every attempt. */
    static final Duration OUTAGE_MEMORY = Duration.ofMinutes(1);
    private static final long NEVER = System.nanoTime() - Duration.ofDays(1).toNanos();

    private volatile long gaveUpAt = NEVER;

    private final SlackWebhook webhook;
    private final SdkHttpClient http;
    private final RetryPolicy retryPolicy;
    private final RetryPolicy.Sleeper sleeper;

    public SlackChannel(SlackWebhook webhook, SdkHttpClient http, RetryPolicy retryPolicy, RetryPolicy.Sleeper sleeper) {
        this.webhook = webhook;
        this.http = http;
        this.retryPolicy = retryPolicy;
        this.sleeper = sleeper;
    }

    @Override
    public String name() {
        return "slack";
    }

    SlackWebhook webhook() {
        return webhook;
    }

    @Override
    public void deliver(Message message) throws DeliveryException, InterruptedException {
        byte[] body = SlackMessage.render(message).getBytes(StandardCharsets.UTF_8);
        String lastFailure = "";
        // Right after Slack failed every attempt, one attempt per message: an outage must not spend a whole batch's
        // time on retries while SNS carries the messages.
        int attempts = System.nanoTime() - gaveUpAt < OUTAGE_MEMORY.toNanos() ? 1 : retryPolicy.maxAttempts();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                    .uri(webhook.url())
                    .method(SdkHttpMethod.POST)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .build();
            Duration retryAfter = null;
            try {
                HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                        .request(request)
                        .contentStreamProvider(() -> new ByteArrayInputStream(body))
                        .build()).call();
                int status = response.httpResponse().statusCode();
                String answer = readBounded(response);
                if (status >= 200 && status < 300) {
                    gaveUpAt = NEVER;
                    return;
                }
                lastFailure = "HTTP " + status + (answer.isEmpty() ? "" : " " + answer);
                if (status != 429 && status < 500) {
                    if (status == 403 || status == 404 || status == 410) {
                        webhook.forget(); // revoked or rotated: read it again next time
                    }
                    throw new DeliveryException("Slack rejected the message: " + lastFailure);
                }
                retryAfter = response.httpResponse().firstMatchingHeader("Retry-After")
                        .map(SlackChannel::seconds).orElse(null);
            } catch (IOException | RuntimeException e) {
                // The exception text can quote the URL, which is a secret: keep only its type. The HTTP client wraps
                // some I/O failures in unchecked exceptions, which are retried the same way.
                lastFailure = e.getClass().getSimpleName();
            }
            if (attempt < attempts) {
                sleeper.sleep(retryPolicy.delayBeforeRetry(attempt, retryAfter));
            }
        }
        gaveUpAt = System.nanoTime();
        throw new DeliveryException("Slack failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + ", last: " + lastFailure);
    }

    private static String readBounded(HttpExecuteResponse response) throws IOException {
        if (response.responseBody().isEmpty()) {
            return "";
        }
        try (InputStream in = response.responseBody().get()) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            return Text.oneLine(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static Duration seconds(String header) {
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

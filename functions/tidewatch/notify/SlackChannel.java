package tidewatch.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tidewatch.aws.AwsClients;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.lambda.Sleeper;

/**
 * Posts messages to a Slack incoming webhook. Each attempt's outcome goes to {@link SlackAnswer}, which says whether
 * to retry (only where Slack did not take the request), read the webhook again or give up. Every post has a connect
 * and read timeout no longer than the invocation's time left.
 *
 * <p>Nothing the server says, and nothing that quotes the URL (the JDK's exception texts do), goes into an exception
 * or a log line: only the status, Slack's documented error code and the failure's type.
 */
public final class SlackChannel implements Channel {
    /** The most of an error body read, to find Slack's error code in it. */
    private static final int MAX_ERROR_BODY = 200;

    /** Which messages a Slack channel takes. */
    public enum Takes {
        EVERY_MESSAGE, ONLY_CRITICAL, ALL_BUT_CRITICAL;

        boolean takes(Severity severity) {
            return this == EVERY_MESSAGE || (this == ONLY_CRITICAL) == (severity == Severity.CRITICAL);
        }
    }

    private final String name;
    private final SlackWebhook webhook;
    private final Duration readTimeout;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final SlackMention mention;
    private final Takes takes;

    /** @param readTimeout how long a post waits for Slack's answer, at most (Slack answers a webhook in well under 1 s) */
    public SlackChannel(SlackWebhook webhook, Duration readTimeout, RetryPolicy retryPolicy, Sleeper sleeper) {
        this("slack", webhook, readTimeout, retryPolicy, sleeper, null, Takes.EVERY_MESSAGE);
    }

    /**
     * @param name    "slack", or "slack-critical" for the on-call channel's webhook
     * @param mention put first in critical messages; null for none
     */
    public SlackChannel(String name, SlackWebhook webhook, Duration readTimeout, RetryPolicy retryPolicy, Sleeper sleeper,
                        SlackMention mention, Takes takes) {
        this.name = name;
        this.webhook = webhook;
        this.readTimeout = readTimeout;
        this.retryPolicy = retryPolicy;
        this.sleeper = sleeper;
        this.mention = mention;
        this.takes = takes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean accepts(Message message) {
        return takes.takes(message.severity());
    }

    SlackWebhook webhook() {
        return webhook;
    }

    /** Reads the webhook's URL (once: it is kept), so that the first post does not wait for it ({@link SlackWebhook#prefetch}). */
    @Override
    public void prepare(InvocationDeadline deadline) {
        webhook.prefetch(deadline);
    }

    @Override
    public void deliver(Message message, InvocationDeadline deadline) throws DeliveryException, InterruptedException {
        byte[] body = SlackMessage.render(message, mention).getBytes(StandardCharsets.UTF_8);
        URI url = webhook.url(deadline);
        for (int attempt = 1; ; attempt++) {
            SlackAnswer answer = SlackAnswer.classify(post(url, body, deadline), attempt, retryPolicy, deadline.remaining());
            switch (answer.action()) {
                case DELIVERED -> {
                    return;
                }
                case RETRY -> sleeper.sleep(answer.delay());
                case READ_WEBHOOK_AGAIN -> {
                    webhook.forget();
                    throw DeliveryException.refused(answer.reason());
                }
                case REJECTED -> throw DeliveryException.refused(answer.reason());
                case GIVE_UP -> throw new DeliveryException(answer.reason());
            }
        }
    }

    /**
     * One POST, in fixed-length streaming mode: the JDK never resends a streamed request by itself, and it checks a
     * kept-alive connection is still open before sending on it (about 1 ms), so a stale one is replaced, not failed.
     */
    private SlackAttempt post(URI url, byte[] body, InvocationDeadline deadline) {
        if (!deadline.allows(SlackAnswer.LEAST_ATTEMPT_TIME)) {
            return new SlackAttempt.NotSent("no time left in the invocation");
        }
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(millis(deadline.cap(AwsClients.CONNECT_TIMEOUT)));
            connection.setReadTimeout(millis(deadline.cap(readTimeout)));
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", "application/json; charset=utf-8");
            connection.connect();
        } catch (IOException | RuntimeException e) {
            return new SlackAttempt.NotSent(e.getClass().getSimpleName());
        }
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        } catch (IOException | RuntimeException e) {
            // A body cut short is one Slack cannot act on: its Content-Length was not reached.
            connection.disconnect();
            return new SlackAttempt.NotSent(e.getClass().getSimpleName());
        }
        try {
            int status = connection.getResponseCode();
            String answer = readBounded(status < 300 ? connection.getInputStream() : connection.getErrorStream());
            return SlackAttempt.Answered.of(status, connection.getHeaderField("Retry-After"), answer);
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            return new SlackAttempt.NoAnswer(e.getClass().getSimpleName());
        }
    }

    /** Reads at most {@link #MAX_ERROR_BODY} bytes: enough for Slack's error code, never a whole error page. */
    private static String readBounded(InputStream stream) throws IOException {
        if (stream == null) {
            return "";
        }
        try (InputStream in = stream) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        }
    }

    private static int millis(Duration duration) {
        // 0 would mean "no timeout" to HttpURLConnection.
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}

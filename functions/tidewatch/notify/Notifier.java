package tidewatch.notify;

import java.util.ArrayList;
import java.util.List;
import tidewatch.aws.AwsClients;
import tidewatch.config.ConfigurationException;
import tidewatch.config.Settings;
import tidewatch.log.Log;

/**
 * Sends each message to every channel independently: one channel failing never stops the others. When every channel
 * fails the message would be lost, so {@link #send} throws and the invocation fails (Lambda then retries and the
 * event ends in the dead-letter destination).
 */
public final class Notifier {
    private final List<Channel> channels;

    public Notifier(List<Channel> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("at least one notification channel is required");
        }
        this.channels = List.copyOf(channels);
    }

    /**
     * The channels the settings name: SNS when {@code NOTIFY_TOPIC_ARN} is set, Slack when {@code SLACK_WEBHOOK_SECRET}
     * is set. At least one is required, or messages would have nowhere to go.
     */
    public static Notifier fromSettings(Settings settings, AwsClients aws) {
        List<Channel> channels = new ArrayList<>();
        String topicArn = settings.optional("NOTIFY_TOPIC_ARN", null);
        if (topicArn != null) {
            channels.add(new SnsChannel(aws.sns(), topicArn));
        }
        String webhook = settings.optional("SLACK_WEBHOOK_SECRET", null);
        if (webhook != null) {
            SlackWebhook.validateReference("SLACK_WEBHOOK_SECRET", webhook);
            boolean parameter = SlackWebhook.isParameter(webhook);
            channels.add(new SlackChannel(
                    new SlackWebhook(webhook, parameter ? null : aws.secretsManager(), parameter ? aws.ssm() : null),
                    aws.http(), RetryPolicy.DEFAULT, RetryPolicy.Sleeper.REAL));
        }
        if (channels.isEmpty()) {
            throw new ConfigurationException("no notification channel: set NOTIFY_TOPIC_ARN and/or SLACK_WEBHOOK_SECRET");
        }
        return new Notifier(channels);
    }

    /** Delivers the message; returns the channels that took it. */
    public List<String> send(Message message) {
        List<String> delivered = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Channel channel : channels) {
            try {
                channel.deliver(message);
                delivered.add(channel.name());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(channel.name() + ": interrupted");
            } catch (Exception e) {
                failures.add(channel.name() + ": " + e.getMessage());
                Log.error("notification channel failed", "channel", channel.name(), "key", message.key(),
                        "severity", message.severity().wireName(), "error", e.getMessage());
            }
        }
        if (delivered.isEmpty()) {
            throw new NotificationFailedException("no channel delivered message " + message.key() + " ("
                    + String.join("; ", failures) + ")");
        }
        Log.info("notification sent", "key", message.key(), "severity", message.severity().wireName(),
                "channels", delivered, "failedChannels", failures.size());
        return delivered;
    }

    List<Channel> channels() {
        return channels;
    }

    public List<String> channelNames() {
        return channels.stream().map(Channel::name).toList();
    }
}

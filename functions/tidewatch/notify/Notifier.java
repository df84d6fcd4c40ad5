package tidewatch.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tidewatch.aws.AwsClients;
import tidewatch.config.ConfigurationException;
import tidewatch.config.Settings;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.lambda.Sleeper;
import tidewatch.log.Log;

/**
 * Sends each message to every channel at once, each on its own thread: one channel failing or hanging never stops or
 * delays the others, and none is waited on past the invocation's deadline. A channel that is down once in an
 * invocation is not tried again for the rest of it. When every channel fails the message would be lost, so
 * {@link #send} throws and the invocation fails (Lambda then retries and the event ends in the dead-letter destination).
 */
public final class Notifier {
    /** A second Slack webhook (the on-call channel) that critical messages go to as well, or only (with the next). */
    static final String CRITICAL_WEBHOOK = "SLACK_CRITICAL_WEBHOOK_SECRET";
    static final String CRITICAL_ONLY_THERE = "SLACK_CRITICAL_ONLY_THERE";
    private final List<Channel> channels;
    private final ExecutorService senders;
    private volatile Invocation invocation = new Invocation(InvocationDeadline.unbounded());

    public Notifier(List<Channel> channels) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("at least one notification channel is required");
        }
        this.channels = List.copyOf(channels);
        this.senders = senders(2 * channels.size());
    }

    /**
     * The channels the settings name: SNS when {@code NOTIFY_TOPIC_ARN} is set, Slack when {@code SLACK_WEBHOOK_SECRET}
     * is set, the on-call Slack channel for critical messages when {@link #CRITICAL_WEBHOOK} is set (and only there,
     * not in the main one, with {@link #CRITICAL_ONLY_THERE}); {@link SlackMention#VARIABLE} puts a mention first in
     * critical messages on both. At least one channel is required, or messages would have nowhere to go.
     */
    public static Notifier fromSettings(Settings settings, AwsClients aws) {
        List<Channel> channels = new ArrayList<>();
        String topicArn = settings.optional("NOTIFY_TOPIC_ARN", null);
        if (topicArn != null) {
            channels.add(new SnsChannel(aws.sns(), topicArn));
        }
        SlackMention mention = SlackMention.parse(settings.optional(SlackMention.VARIABLE, null));
        String webhook = settings.optional("SLACK_WEBHOOK_SECRET", null);
        String criticalWebhook = settings.optional(CRITICAL_WEBHOOK, null);
        boolean criticalOnlyThere = settings.flag(CRITICAL_ONLY_THERE, false);
        if (criticalOnlyThere && criticalWebhook == null) {
            throw new ConfigurationException(CRITICAL_ONLY_THERE + "=true needs " + CRITICAL_WEBHOOK
                    + ": critical messages would reach no Slack channel");
        }
        if (webhook != null) {
            channels.add(slack("slack", "SLACK_WEBHOOK_SECRET", webhook, aws, mention,
                    criticalOnlyThere ? SlackChannel.Takes.ALL_BUT_CRITICAL : SlackChannel.Takes.EVERY_MESSAGE));
        }
        if (criticalWebhook != null) {
            channels.add(slack("slack-critical", CRITICAL_WEBHOOK, criticalWebhook, aws, mention, SlackChannel.Takes.ONLY_CRITICAL));
        }
        if (channels.isEmpty()) {
            throw new ConfigurationException("no notification channel: set NOTIFY_TOPIC_ARN and/or SLACK_WEBHOOK_SECRET");
        }
        return new Notifier(channels);
    }

    /** A Slack channel on the webhook the {@code variable} names: read on first use, cached, never logged. */
    private static SlackChannel slack(String name, String variable, String reference, AwsClients aws, SlackMention mention,
                                      SlackChannel.Takes takes) {
        SlackWebhook.validateReference(variable, reference);
        boolean parameter = SlackWebhook.isParameter(reference);
        return new SlackChannel(name, new SlackWebhook(reference, parameter ? null : aws.secretsManager(), parameter ? aws.ssm() : null),
                AwsClients.READ_TIMEOUT, RetryPolicy.DEFAULT, Sleeper.REAL, mention, takes);
    }

    /**
     * Starts an invocation: its deadline bounds every send, and channels found down in the previous one are tried
     * again. Handlers call it first thing ({@code notifier.beginInvocation(InvocationDeadline.of(context))}).
     */
    public void beginInvocation(InvocationDeadline deadline) {
        invocation = new Invocation(deadline);
    }

    /**
     * Lets each channel get what its first delivery needs, in the background, once per invocation: called when a
     * message is likely (an abnormal stop was found), so that the webhook's read overlaps the deciding.
     */
    public void prepare() {
        Invocation current = invocation;
        if (current.prepared) {
            return;
        }
        current.prepared = true;
        for (Channel channel : channels) {
            senders.submit(() -> channel.prepare(current.deadline));
        }
    }

    /** Delivers the message; returns the channels that took it. */
    public List<String> send(Message message) {
        Invocation current = invocation;
        List<String> failures = new ArrayList<>();
        List<String> notTried = new ArrayList<>();
        Map<Channel, Future<?>> sending = new LinkedHashMap<>();
        for (Channel channel : channels) {
            if (!channel.accepts(message)) {
                continue;
            }
            String down = current.down(channel.name());
            if (down != null) {
                failures.add(channel.name() + ": not tried, down earlier in this invocation (" + down + ")");
                notTried.add(channel.name());
            } else {
                sending.put(channel, senders.submit(() -> {
                    channel.deliver(message, current.deadline);
                    return null;
                }));
            }
        }
        List<String> delivered = new ArrayList<>();
        for (Map.Entry<Channel, Future<?>> entry : sending.entrySet()) {
            String name = entry.getKey().name();
            String failure = await(entry.getValue(), name, current);
            if (failure == null) {
                delivered.add(name);
            } else {
                failures.add(name + ": " + failure);
                Log.error("notification channel failed", "channel", name, "key", message.key(),
                        "severity", message.severity().wireName(), "error", failure);
            }
        }
        if (delivered.isEmpty()) {
            throw new NotificationFailedException("no channel delivered message " + message.key() + " ("
                    + String.join("; ", failures) + ")");
        }
        Log.info("notification sent", "key", message.key(), "severity", message.severity().wireName(),
                "channels", delivered, "failedChannels", failures.size(), "notTried", notTried);
        return delivered;
    }

    List<Channel> channels() {
        return channels;
    }

    public List<String> channelNames() {
        return channels.stream().map(Channel::name).toList();
    }

    /** Waits for one channel within the deadline; returns null when it delivered, else why not. */
    private static String await(Future<?> sending, String channel, Invocation current) {
        try {
            sending.get(Math.max(1, current.deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeliveryException failure) {
                if (failure.channelDown()) {
                    current.markDown(channel, failure.getMessage());
                }
                return failure.getMessage();
            }
            return e.getCause() instanceof InterruptedException ? "interrupted"
                    : e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            sending.cancel(true);
            String failure = "no answer within the invocation's time left";
            current.markDown(channel, failure);
            return failure;
        } catch (InterruptedException e) {
            sending.cancel(true);
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Two threads per channel, so that a channel still hung from the previous message never queues the next one;
     * idle threads end, so a SnapStart snapshot holds none.
     */
    private static ExecutorService senders(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "notify-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** One invocation's deadline and the channels found down in it. */
    private static final class Invocation {
        /** Whether {@link #prepare} ran in this invocation. */
        private volatile boolean prepared;
        /** Without {@link #beginInvocation}, a channel down is forgotten after Lambda's longest invocation. */
        private static final long FORGET_AFTER_NANOS = InvocationDeadline.LONGEST_INVOCATION.toNanos();
        private final InvocationDeadline deadline;
        private final Map<String, Down> down = new ConcurrentHashMap<>();

        Invocation(InvocationDeadline deadline) {
            this.deadline = deadline;
        }

        void markDown(String channel, String failure) {
            down.putIfAbsent(channel, new Down(failure, System.nanoTime()));
        }

        String down(String channel) {
            Down entry = down.get(channel);
            return entry == null || System.nanoTime() - entry.atNanos > FORGET_AFTER_NANOS ? null : entry.failure;
        }

        private record Down(String failure, long atNanos) {}
    }
}

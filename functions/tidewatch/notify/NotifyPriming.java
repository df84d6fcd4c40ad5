package tidewatch.notify;

import tidewatch.lambda.InvocationDeadline;
import java.util.ArrayList;
import java.util.List;
import tidewatch.priming.SnapStartPriming;

/**
 * The notification side of SnapStart priming (see {@link SnapStartPriming}): a sample message rendered for both
 * channels, and each channel's AWS call (SNS Publish, the webhook's secret read), all stopped before they are sent.
 */
public final class NotifyPriming {
    private NotifyPriming() {}

    /** A message with every part a real one has. */
    public static Message sample(String source) {
        return new Message("Priming <sample> & title", Severity.WARNING, "A *sample* summary\nover two lines",
                List.of(new Message.Field("Cluster", "tidewatch-priming"), new Message.Field("Reason", "Essential container exited")),
                List.of(new Message.Link("Open in the console", "https://console.aws.amazon.com/ecs/v2/clusters")),
                new Message.Evidence("Last log lines", List.of("line one", "```fenced```", "line <three>")),
                source + "/priming", source);
    }

    /** The sample rendered for both channels (and thrown away). */
    public static void renderSample(String source) {
        Message message = sample(source);
        SlackMessage.render(message);
        SnsMessage.render(message);
    }

    /**
     * The AWS calls of the notifier's channels: SNS delivers the sample (its Publish stopped); Slack reads its webhook
     * (the read stopped: the URL stays unread until the first message, by design), and posts nothing.
     */
    public static List<SnapStartPriming.Request> requests(Notifier notifier, String source) {
        List<SnapStartPriming.Request> requests = new ArrayList<>();
        for (Channel channel : notifier.channels()) {
            if (channel instanceof SnsChannel sns) {
                requests.add(() -> sns.deliver(sample(source), InvocationDeadline.unbounded()));
            } else if (channel instanceof SlackChannel slack) {
                requests.add(() -> slack.webhook().url());
            }
        }
        return requests;
    }
}

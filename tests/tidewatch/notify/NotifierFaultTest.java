package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** The retry and isolation rules, with faults injected at the HTTP level by the sandbox. */
class NotifierFaultTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    private final List<Duration> sleeps = new ArrayList<>();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    private Notifier notifier(World world, Duration readTimeout) {
        sandbox = sandboxes.start(world.topic(TOPIC).declare(Map.of("SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url")))
                .slowResponse(readTimeout.multipliedBy(3));
        AwsClients aws = sandbox.clients(readTimeout);
        SlackChannel slack = new SlackChannel(
                new SlackWebhook("/tidewatch/slack-webhook-url", null, aws.ssm()), readTimeout,
                RetryPolicy.DEFAULT, sleeps::add);
        return new Notifier(List.of(slack, new SnsChannel(aws.sns(), TOPIC)));
    }

    private Notifier notifier(World world) {
        return notifier(world, Duration.ofSeconds(2));
    }

    @Test
    void deliversToBothChannelsWithTheRealWireFormats() {
        Notifier notifier = notifier(World.empty());
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("Exit 1", List.of("boom"))));

        Sandbox.Call publish = sandbox.calls("sns", "Publish").get(0);
        assertEquals(TOPIC, publish.params().get("TopicArn"));
        assertEquals("[WARNING] web crashed in prod", publish.params().get("Subject"));
        assertEquals(Map.of("severity", Map.of("DataType", "String", "StringValue", "warning"),
                "source", Map.of("DataType", "String", "StringValue", "ecs")), publish.params().get("MessageAttributes"));
        Sandbox.Call post = sandbox.calls("slack", "post").get(0);
        assertTrue(String.valueOf(post.params().get("text")).startsWith("WARNING: web crashed in prod"));
        assertEquals(1, sandbox.calls("ssm", "GetParameter").size());
    }

    @Test
    void theWebhookIsReadOnceAndCachedForTheContainer() {
        Notifier notifier = notifier(World.empty());
        notifier.send(Messages.crash("one", null));
        notifier.send(Messages.crash("two", null));
        assertEquals(1, sandbox.calls("ssm", "GetParameter").size());
        assertEquals(2, sandbox.calls("slack", "post").size());
    }

    @Test
    void slack429IsRetriedAfterTheServersRetryAfter() {
        Notifier notifier = notifier(World.empty().fault("slack", 429, 200));
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("r", null)));
        assertEquals(2, sandbox.calls("slack", "post").size());
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps, "Retry-After: 1 from the sandbox");
    }

    @Test
    void slack5xxIsRetriedWithBoundedBackoffThenTheOtherChannelStillDelivers() {
        Notifier notifier = notifier(World.empty().fault("slack", 500));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("r", null)));
        assertEquals(RetryPolicy.DEFAULT.maxAttempts(), sandbox.calls("slack", "post").size());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), sleeps);
        assertTrue(logs.text().contains("\"channel\":\"slack\""));
    }

    @Test
    void aSlackDownOnceIsNotTriedAgainInTheInvocationButIsInTheNext() {
        Notifier notifier = notifier(World.empty().fault("slack", 503));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("first", null)));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("second", null)));
        assertEquals(RetryPolicy.DEFAULT.maxAttempts(), sandbox.calls("slack", "post").size(),
                "an outage does not spend every message's time on retries");
        assertTrue(logs.text().contains("\"notTried\":[\"slack\"]"), logs.text());

        sandbox.world().fault("slack", 200);
        notifier.beginInvocation(InvocationDeadline.unbounded());
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("third", null)));
    }

    @Test
    void aRevokedWebhookIsReadAgainForTheNextMessage() {
        Notifier notifier = notifier(World.empty().fault("slack", 410, 200));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("first", null)));
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("second", null)));
        assertEquals(2, sandbox.calls("ssm", "GetParameter").size(), "410 Gone: the cached URL is dropped");
    }

    @Test
    void slack4xxIsFinalAndNotRetried() {
        Notifier notifier = notifier(World.empty().fault("slack", 404));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("r", null)));
        assertEquals(1, sandbox.calls("slack", "post").size());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void aPostSlackTookButAnsweredTooLateIsNotSentAgain() {
        Notifier notifier = notifier(World.empty().fault("slack", "timeout", 200), Duration.ofMillis(300));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("r", null)));
        assertEquals(1, sandbox.calls("slack", "post").size(), "a second post could be a second visible copy");
        assertTrue(sleeps.isEmpty());
        assertTrue(logs.text().contains("sent, no answer in time (SocketTimeoutException); not sent again"), logs.text());
    }

    @Test
    void aConnectionResetAfterThePostWasReadIsNotSentAgain() {
        Notifier notifier = notifier(World.empty().fault("slack", "reset", 200));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("r", null)));
        assertEquals(1, sandbox.calls("slack", "post").size(), "the sandbox read the post before closing");
    }

    @Test
    void aWebhookThatRefusesConnectionsIsRetriedSinceNothingWasSent() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Notifier notifier = notifier(World.empty().parameter("/tidewatch/slack-webhook-url",
                "http://127.0.0.1:" + closedPort + "/services/T0/B0/closedPortToken"));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("r", null)));
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), sleeps, "3 attempts, nothing was sent");
        assertTrue(logs.text().contains("last: not sent (ConnectException)"), logs.text());
        assertFalse(logs.text().contains("closedPortToken"));
    }

    @Test
    void snsThrottlingIsRetriedByTheSdk() {
        Notifier notifier = notifier(World.empty().fault("sns", "Throttling", 200));
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("r", null)));
        assertEquals(2, sandbox.calls("sns", "Publish").size());
    }

    @Test
    void snsAccessDeniedIsNotRetriedButSlackStillDelivers() {
        Notifier notifier = notifier(World.empty().fault("sns", "AuthorizationError"));
        assertEquals(List.of("slack"), notifier.send(Messages.crash("r", null)));
        assertEquals(1, sandbox.calls("sns", "Publish").size());
    }

    @Test
    void whenEveryChannelFailsTheInvocationFails() {
        Notifier notifier = notifier(World.empty().fault("slack", 503).fault("sns", 500));
        NotificationFailedException failure = assertThrows(NotificationFailedException.class,
                () -> notifier.send(Messages.crash("r", null)));
        assertTrue(failure.getMessage().contains("ecs/prod/service:web/crash"));
        assertTrue(failure.getMessage().contains("slack: Slack failed after 3 attempts, last: HTTP 503"), failure.getMessage());
        assertTrue(failure.getMessage().contains("sns: SNS Publish failed"), failure.getMessage());
    }

    @Test
    void aSecretThatIsNotAWebhookUrlFailsSlackOnlyAndIsNeverPrinted() {
        String notAUrl = "xoxb-token-that-must-not-leak";
        Notifier notifier = notifier(World.empty().parameter("/tidewatch/slack-webhook-url", notAUrl));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("r", null)));
        assertFalse(logs.text().contains(notAUrl));
        assertTrue(sandbox.calls("slack", "post").isEmpty());
    }

    @Test
    void theWebhookUrlNeverAppearsInLogsOrRecordedCalls() {
        Notifier notifier = notifier(World.empty().fault("slack", "reset"));
        notifier.send(Messages.crash("r", null));
        String url = sandbox.slackWebhookUrl();
        String secretPart = url.substring(url.lastIndexOf('/') + 1);
        assertFalse(logs.text().contains(secretPart));
        assertFalse(sandbox.calls().toString().contains(secretPart));
    }

    @Test
    void settingsChooseTheChannelsAndRejectAWebhookUrlGivenDirectly() {
        sandbox = sandboxes.start(World.empty());
        AwsClients aws = sandbox.clients(Duration.ofSeconds(1));
        assertEquals(List.of("sns"), Notifier.fromSettings(new Settings(Map.of("NOTIFY_TOPIC_ARN", TOPIC)), aws).channelNames());
        assertEquals(List.of("sns", "slack"), Notifier.fromSettings(new Settings(Map.of(
                "NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", "tidewatch/slack")), aws).channelNames());
        Exception noChannel = assertThrows(RuntimeException.class, () -> Notifier.fromSettings(new Settings(Map.of()), aws));
        assertTrue(noChannel.getMessage().contains("NOTIFY_TOPIC_ARN"));
        Exception url = assertThrows(RuntimeException.class, () -> Notifier.fromSettings(new Settings(Map.of(
                "SLACK_WEBHOOK_SECRET", "https://hooks.slack.com/services/T/B/XyZzY123")), aws));
        assertFalse(url.getMessage().contains("XyZzY123"));
        assertTrue(url.getMessage().contains("SLACK_WEBHOOK_SECRET"));
    }
}

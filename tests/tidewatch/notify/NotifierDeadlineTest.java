package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/**
 * The notifier inside an invocation's deadline, through the sandbox and the real clients: channels sent at once, a
 * hung one never delaying the other past the budget, and one outage memory per channel for the invocation.
 */
class NotifierDeadlineTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";
    private static final String WEBHOOK = "/tidewatch/slack-webhook-url";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BUDGET = Duration.ofMillis(1500);

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private final List<Duration> sleeps = new ArrayList<>();
    private Sandbox sandbox;

    /** Both channels; a hung call answers after 10 s, far past the budget. */
    private Notifier notifier(World world, Duration readTimeout) {
        sandbox = sandboxes.start(world.parameter(WEBHOOK).topic(TOPIC)).slowResponse(Duration.ofSeconds(10));
        AwsClients aws = sandbox.clients(readTimeout);
        return new Notifier(List.of(
                new SlackChannel(new SlackWebhook(WEBHOOK, null, aws.ssm()), readTimeout, RetryPolicy.DEFAULT, sleeps::add),
                new SnsChannel(aws.sns(), TOPIC)));
    }

    /** Read timeouts longer than the budget: the deadline cuts every call. */
    private Notifier notifier(World world) {
        return notifier(world, READ_TIMEOUT);
    }

    private static InvocationDeadline budget() {
        return InvocationDeadline.after(BUDGET, Clock.systemUTC());
    }

    @Test
    void whileSnsHangsSlackDeliversWithinTheBudget() {
        Notifier notifier = notifier(World.empty().fault("sns", "timeout"));
        notifier.beginInvocation(budget());

        long started = System.nanoTime();
        assertEquals(List.of("slack"), notifier.send(Messages.crash("r", null)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(BUDGET.plusMillis(400)) < 0, "took " + took.toMillis() + " ms");
        assertEquals(1, sandbox.calls("sns", "Publish").size());
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    @Test
    void whileSlackHangsSnsDeliversWithinTheBudgetAndSlackIsNotPostedAgain() {
        Notifier notifier = notifier(World.empty().fault("slack", "timeout"), Duration.ofMillis(500));
        notifier.beginInvocation(budget());

        long started = System.nanoTime();
        assertEquals(List.of("sns"), notifier.send(Messages.crash("first", null)));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("second", null)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(BUDGET.plusMillis(400)) < 0, "two messages took " + took.toMillis() + " ms");
        assertEquals(1, sandbox.calls("slack", "post").size(), "the hung post is not repeated, the second not tried");
        assertEquals(2, sandbox.calls("sns", "Publish").size());
    }

    @Test
    void anSnsDownOnceIsNotTriedAgainInTheInvocation() {
        Notifier notifier = notifier(World.empty().fault("sns", 500));
        notifier.beginInvocation(InvocationDeadline.unbounded());

        assertEquals(List.of("slack"), notifier.send(Messages.crash("first", null)));
        assertEquals(3, sandbox.calls("sns", "Publish").size(), "a 5xx is retried: SNS did not take the request");
        assertEquals(List.of("slack"), notifier.send(Messages.crash("second", null)));
        assertEquals(3, sandbox.calls("sns", "Publish").size(), "down for the rest of the invocation");

        sandbox.world().fault("sns", 200);
        notifier.beginInvocation(InvocationDeadline.unbounded());
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("next invocation", null)));
    }

    @Test
    void anSnsThatTookThePublishButAnsweredTooLateIsNotPublishedAgain() {
        sandbox = sandboxes.start(World.empty().topic(TOPIC).fault("sns", "timeout")).slowResponse(Duration.ofMillis(900));
        AwsClients aws = sandbox.clients(Duration.ofMillis(300));
        Notifier notifier = new Notifier(List.of(new SnsChannel(aws.sns(), TOPIC)));

        NotificationFailedException failure = assertThrows(NotificationFailedException.class,
                () -> notifier.send(Messages.crash("r", null)));
        assertEquals(1, sandbox.calls("sns", "Publish").size(), "a standard topic has no deduplication");
        assertTrue(failure.getMessage().contains("SNS Publish failed"), failure.getMessage());
    }

    @Test
    void aWebhookReadThatFailedIsNotRepeatedInTheInvocation() {
        Notifier notifier = notifier(World.empty().fault("ssm.GetParameter", "AccessDeniedException"));
        notifier.beginInvocation(budget());

        assertEquals(List.of("sns"), notifier.send(Messages.crash("first", null)));
        assertEquals(List.of("sns"), notifier.send(Messages.crash("second", null)));
        assertEquals(1, sandbox.calls("ssm", "GetParameter").size());

        sandbox.world().fault("ssm.GetParameter", 200);
        notifier.beginInvocation(budget());
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("next invocation", null)));
        assertEquals(2, sandbox.calls("ssm", "GetParameter").size(), "a failed read is not cached across invocations");
    }

    @Test
    void aHungWebhookReadIsWaitedForOnce() {
        // The read's own bound (3 SDK attempts of 1 s) is the cost, once; every later message goes to SNS at once.
        Notifier notifier = notifier(World.empty().fault("ssm.GetParameter", "timeout"), Duration.ofSeconds(1));
        notifier.beginInvocation(InvocationDeadline.after(Duration.ofSeconds(8), Clock.systemUTC()));

        assertEquals(List.of("sns"), notifier.send(Messages.crash("first", null)));
        long started = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            assertEquals(List.of("sns"), notifier.send(Messages.crash("m" + i, null)));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofMillis(800)) < 0, "the next four messages took " + took.toMillis() + " ms");
        assertEquals(3, sandbox.calls("ssm", "GetParameter").size(), "one read, with the SDK's retries");
        assertEquals(5, sandbox.calls("sns", "Publish").size());
        assertTrue(sandbox.calls("slack", "post").isEmpty());
    }

    @Test
    void withTheBudgetSpentNoChannelIsCalled() {
        Notifier notifier = notifier(World.empty());
        notifier.beginInvocation(InvocationDeadline.after(Duration.ofMillis(-1), Clock.systemUTC()));

        assertThrows(NotificationFailedException.class, () -> notifier.send(Messages.crash("r", null)));
        assertTrue(sandbox.calls("sns", "Publish").isEmpty());
        assertTrue(sandbox.calls("slack", "post").isEmpty());
    }
}

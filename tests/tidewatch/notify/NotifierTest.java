package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.CapturedLog;

/** The notifier's own rules, with channels that stand in for Slack and SNS: concurrency, deadline, outage memory. */
class NotifierTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();

    /** A channel that counts its calls and does what it is told: deliver, hang until released, or fail. */
    private static final class StandIn implements Channel {
        private final String name;
        private final AtomicInteger calls = new AtomicInteger();
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile DeliveryException failure;
        private volatile boolean hangs;
        private volatile InvocationDeadline seen;
        private final AtomicInteger prepared = new AtomicInteger();

        StandIn(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void deliver(Message message, InvocationDeadline deadline) throws DeliveryException, InterruptedException {
            calls.incrementAndGet();
            seen = deadline;
            if (hangs) {
                release.await(30, TimeUnit.SECONDS);
            }
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void prepare(InvocationDeadline deadline) {
            prepared.incrementAndGet();
            seen = deadline;
        }
    }

    private static InvocationDeadline budget(Duration budget) {
        return InvocationDeadline.after(budget, Clock.systemUTC());
    }

    @Test
    void aHungChannelNeverDelaysTheOtherPastTheBudgetAndIsNotTriedAgain() {
        StandIn slack = new StandIn("slack");
        StandIn sns = new StandIn("sns");
        slack.hangs = true;
        Notifier notifier = new Notifier(List.of(slack, sns));
        notifier.beginInvocation(budget(Duration.ofMillis(400)));

        long started = System.nanoTime();
        assertEquals(List.of("sns"), notifier.send(Messages.crash("first", null)));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis >= 350 && tookMillis < 900, "waited for the hung channel " + tookMillis + " ms");
        assertTrue(logs.text().contains("no answer within the invocation's time left"), logs.text());

        assertEquals(List.of("sns"), notifier.send(Messages.crash("second", null)));
        assertEquals(1, slack.calls.get(), "down for the rest of the invocation");
        assertTrue(logs.text().contains("\"notTried\":[\"slack\"]"), logs.text());
        slack.release.countDown();
    }

    @Test
    void channelsAreSentAtOnceNotOneAfterTheOther() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        Channel[] channels = new Channel[2];
        for (int i = 0; i < 2; i++) {
            String name = i == 0 ? "slack" : "sns";
            channels[i] = new Channel() {
                @Override public String name() { return name; }

                @Override public void deliver(Message message, InvocationDeadline deadline) throws DeliveryException, InterruptedException {
                    both.countDown();
                    if (!both.await(2, TimeUnit.SECONDS)) {
                        throw new DeliveryException(name + " ran alone");
                    }
                }
            };
        }
        assertEquals(List.of("slack", "sns"), new Notifier(List.of(channels)).send(Messages.crash("r", null)),
                "each channel waits for the other to have started: only concurrent sending passes");
    }

    @Test
    void aMessageTheChannelRefusedLeavesItUsableForTheNext() {
        StandIn slack = new StandIn("slack");
        StandIn sns = new StandIn("sns");
        slack.failure = DeliveryException.refused("Slack rejected the message: HTTP 400 invalid_payload");
        Notifier notifier = new Notifier(List.of(slack, sns));
        notifier.beginInvocation(budget(Duration.ofSeconds(10)));

        assertEquals(List.of("sns"), notifier.send(Messages.crash("first", null)));
        slack.failure = null;
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("second", null)));
        assertEquals(2, slack.calls.get());
    }

    @Test
    void aChannelDownInOneInvocationIsTriedInTheNextAndGetsItsDeadline() {
        StandIn slack = new StandIn("slack");
        StandIn sns = new StandIn("sns");
        sns.failure = new DeliveryException("SNS Publish failed: InternalError");
        Notifier notifier = new Notifier(List.of(slack, sns));
        InvocationDeadline first = budget(Duration.ofSeconds(10));
        notifier.beginInvocation(first);

        assertEquals(List.of("slack"), notifier.send(Messages.crash("a", null)));
        assertEquals(List.of("slack"), notifier.send(Messages.crash("b", null)));
        assertEquals(1, sns.calls.get());
        assertEquals(first, sns.seen);

        sns.failure = null;
        InvocationDeadline next = budget(Duration.ofSeconds(10));
        notifier.beginInvocation(next);
        assertEquals(List.of("slack", "sns"), notifier.send(Messages.crash("c", null)));
        assertEquals(next, sns.seen);
    }

    @Test
    void channelsArePreparedInTheBackgroundOncePerInvocationWithItsDeadline() throws Exception {
        StandIn slack = new StandIn("slack");
        Notifier notifier = new Notifier(List.of(slack));
        InvocationDeadline first = budget(Duration.ofSeconds(5));
        notifier.beginInvocation(first);
        notifier.prepare();
        notifier.prepare();
        long until = System.nanoTime() + 2_000_000_000L;
        while (slack.prepared.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertEquals(1, slack.prepared.get(), "once per invocation");
        assertEquals(first, slack.seen, "within the invocation's deadline");
        notifier.beginInvocation(budget(Duration.ofSeconds(5)));
        notifier.prepare();
        until = System.nanoTime() + 2_000_000_000L;
        while (slack.prepared.get() == 1 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(2, slack.prepared.get(), "again in the next invocation");
        assertEquals(0, slack.calls.get(), "preparing delivers nothing");
    }
}

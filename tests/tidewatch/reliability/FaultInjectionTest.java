package tidewatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.ecs.EcsHandlerFactory;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.NotificationFailedException;
import tidewatch.notify.Notifier;
import tidewatch.notify.RetryPolicy;
import tidewatch.notify.SlackChannel;
import tidewatch.notify.SlackWebhook;
import tidewatch.notify.SnsChannel;
import tidewatch.vpn.VpnHandlerFactory;

/**
 * Faults injected at the HTTP level by the sandbox, one AWS operation (or Slack) at a time, against whole handlers:
 * each test shows the documented outcome, that is a retry (the calls are counted), a degraded message that says what
 * is missing, the other channel taking over, or a failure that makes Lambda (or SQS) deliver the event again.
 * The Slack and SNS retry rules on their own are in NotifierFaultTest; docs/reliability.md has the whole table.
 *
 * <p>AWS calls go through the production SDK configuration (standard retry mode: 3 attempts; throttling waits longer
 * than other errors), so a persistent fault costs three calls. Reads time out after 300 ms where a test delays them.
 */
class FaultInjectionTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";
    private static final String WEBHOOK = "/tidewatch/slack-webhook-url";
    private static final String VPN = "vpn-0a1b2c3d4e5f67890";
    private static final String TUNNEL_A = "203.0.113.10";
    /** 45 min after tunnel .10 of events/worlds/vpn-one-tunnel-down.json went down: past the 30 min threshold. */
    private static final Instant NOW = Instant.parse("2026-11-24T09:40:00Z");
    private static final Duration READ_TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    private final List<Duration> slackWaits = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Sandbox sandbox;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    // ---- EcsTaskStateFunction: reads that only enrich the message degrade ------------------------------------------

    @Test
    void aThrottledTaskDefinitionReadIsRetriedAndTheMessageIsWhole() throws Exception {
        RequestStreamHandler function = ecs(webCrashLoop().fault("ecs.DescribeTaskDefinition", "ThrottlingException", 200));

        assertEquals("NOTIFIED", invoke(function, sample("ecs-service-task-crashed.json")).string("result"));

        List<Sandbox.Call> reads = sandbox.calls("ecs", "DescribeTaskDefinition");
        assertEquals("ThrottlingException", reads.get(0).fault());
        assertEquals(reads.get(0).params(), reads.get(1).params(), "the SDK retried the same read");
        assertEquals(2, reads.size(), "then the revision is cached: " + reads);
        assertEquals("[CRITICAL] Service web is crash-looping in prod (3 abnormal stops)", subject());
        assertTrue(snsMessage().contains("Container log stream"), snsMessage());
    }

    @Test
    void aDeniedTaskDefinitionReadIsNotRetriedAndTheStopIsStillReported() throws Exception {
        RequestStreamHandler function = ecs(webCrashLoop().fault("ecs.DescribeTaskDefinition", "AccessDeniedException"));

        assertEquals("NOTIFIED", invoke(function, sample("ecs-service-task-crashed.json")).string("result"));

        List<Sandbox.Call> reads = sandbox.calls("ecs", "DescribeTaskDefinition");
        assertTrue(reads.stream().allMatch(c -> "AccessDeniedException".equals(c.fault())));
        assertEquals(4, reads.size(), "one call per lookup (the event's, then each of the 3 stopped tasks'): no SDK "
                + "retry of an access denial, and an unreadable revision is not cached");
        assertTrue(logged("WARN", "task definition unreadable; treating every container as essential"));
        assertTrue(sandbox.calls("logs", "GetLogEvents").isEmpty(), "without the task definition no log group is known");
        String message = snsMessage();
        assertTrue(subject().contains("Service web"), subject());
        assertFalse(message.contains("Container log stream"), message);
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    @Test
    void deniedStoppedTaskListCountsOnlyThisStopSoNoCrashLoopIsClaimed() throws Exception {
        RequestStreamHandler function = ecs(webCrashLoop().fault("ecs.ListTasks", "AccessDeniedException"));

        assertEquals("NOTIFIED", invoke(function, sample("ecs-service-task-crashed.json")).string("result"));

        assertEquals(1, sandbox.calls("ecs", "ListTasks").size(), "an access denial is not retried");
        assertTrue(logged("WARN", "stopped tasks unreadable; counting only the stops of this batch"));
        assertEquals("[WARNING] Service web in prod: an essential container exited with an error", subject(),
                "degraded: one stop known, where the world holds a crash loop of three");
    }

    @Test
    void aStoppedTaskListFailingWithServerErrorsIsTriedThreeTimesThenDegrades() throws Exception {
        RequestStreamHandler function = ecs(webCrashLoop().fault("ecs.ListTasks", 500));

        assertEquals("NOTIFIED", invoke(function, sample("ecs-service-task-crashed.json")).string("result"));

        assertEquals(3, sandbox.calls("ecs", "ListTasks").size(), "SDK standard retry: 3 attempts");
        assertFalse(subject().contains("crash-looping"), subject());
    }

    @Test
    void throttledStoppedTaskDetailsAreRetriedByTheSdk() throws Exception {
        RequestStreamHandler function = ecs(webCrashLoop().fault("ecs.DescribeTasks", "ThrottlingException", 200));

        assertEquals("NOTIFIED", invoke(function, sample("ecs-service-task-crashed.json")).string("result"));

        assertEquals(2, sandbox.calls("ecs", "DescribeTasks").size());
        assertEquals("[CRITICAL] Service web is crash-looping in prod (3 abnormal stops)", subject(),
                "the retried read counted every stop");
    }

    @Test
    void deniedLogLinesAreSaidToBeUnavailable() throws Exception {
        RequestStreamHandler function = ecs(webCrashLoop().fault("logs.GetLogEvents", "AccessDeniedException"));

        assertEquals("NOTIFIED", invoke(function, sample("ecs-service-task-crashed.json")).string("result"));

        assertEquals(1, sandbox.calls("logs", "GetLogEvents").size());
        String message = snsMessage();
        assertTrue(message.contains("Log lines: unavailable: AccessDeniedException"), message);
        assertTrue(message.contains("Container log stream"), "the link to the stream stays: " + message);
        assertTrue(logged("WARN", "log lines unreadable"));
    }

    @Test
    void logLinesFailingWithServerErrorsAreTriedThreeTimesThenSaidToBeUnavailable() throws Exception {
        RequestStreamHandler function = ecs(webCrashLoop().fault("logs.GetLogEvents", 503));

        assertEquals("NOTIFIED", invoke(function, sample("ecs-service-task-crashed.json")).string("result"));

        assertEquals(3, sandbox.calls("logs", "GetLogEvents").size());
        assertTrue(snsMessage().contains("Log lines: unavailable"), snsMessage());
    }

    // ---- EcsTaskStateFunction: the read that decides a restart, and the restart ------------------------------------

    @Test
    void aStandaloneTaskWhoseTagsCannotBeReadIsKeptForRedeliveryAndNotRestarted() throws Exception {
        RequestStreamHandler function = ecs(nightlyReport().fault("ecs.DescribeTasks", 503), "ENABLE_TASK_RESTARTS", "true");

        JsonObject output = invoke(function, sqsBatch("m-1", sample("ecs-standalone-task-crashed.json")));

        assertEquals(List.of(Map.of("itemIdentifier", "m-1")), output.array("batchItemFailures"), "a later delivery may read them");
        assertEquals(6, sandbox.calls("ecs", "DescribeTasks").size(),
                "read ahead for the batch, then for its own record, each with the SDK's 3 attempts");
        assertTrue(sandbox.calls("ecs", "RunTask").isEmpty(), "the restart policy is unknown, so nothing is restarted");
        assertTrue(sandbox.calls("sns", "Publish").isEmpty() && sandbox.calls("slack", "post").isEmpty(),
                "people hear of it on a later delivery, or from the dead-letter queue's alarm");
        assertTrue(logged("ERROR", "task stop not handled"));
    }

    @Test
    void oneRecordsFailureNeverFailsTheOthersInItsBatch() throws Exception {
        World world = mergedWorld().fault("ecs.DescribeTasks", 503);
        RequestStreamHandler function = ecs(world, "ENABLE_TASK_RESTARTS", "true");

        JsonObject output = invoke(function, sqsBatch("standalone", sample("ecs-standalone-task-crashed.json"),
                "service", sample("ecs-service-task-crashed.json")));

        assertEquals(List.of(Map.of("itemIdentifier", "standalone")), output.array("batchItemFailures"));
        assertEquals(1, sandbox.calls("sns", "Publish").size(), "the service task's stop is still reported");
        assertTrue(subject().startsWith("[WARNING] Service web in prod"), subject());
    }

    @Test
    void aRestartDeniedByIamIsReportedAndNotRetried() throws Exception {
        RequestStreamHandler function = ecs(nightlyReport().fault("ecs.RunTask", "AccessDeniedException"),
                "ENABLE_TASK_RESTARTS", "true");

        JsonObject output = invoke(function, sqsBatch("m-1", sample("ecs-standalone-task-crashed.json")));

        assertEquals(List.of(), output.array("batchItemFailures"), "access denied will not pass on a retry");
        assertEquals(1, sandbox.calls("ecs", "RunTask").size());
        assertTrue(snsMessage().contains("Restart failed (AccessDeniedException: injected by the sandbox"), snsMessage());
    }

    @Test
    void aRestartWhoseAnswerIsLostIsRetriedWithTheSameClientTokenAndStartsOneTask() throws Exception {
        // The first RunTask is carried out but answered too late: the SDK times out and tries again.
        RequestStreamHandler function = ecs(nightlyReport().fault("ecs.RunTask", "timeout", 200), "ENABLE_TASK_RESTARTS", "true");

        JsonObject output = invoke(function, sqsBatch("m-1", sample("ecs-standalone-task-crashed.json")));

        assertEquals(List.of(), output.array("batchItemFailures"));
        List<Sandbox.Call> runs = sandbox.calls("ecs", "RunTask");
        assertEquals(2, runs.size());
        assertEquals("timeout", runs.get(0).fault());
        assertEquals(runs.get(0).params().get("clientToken"), runs.get(1).params().get("clientToken"));
        awaitTasks(1);
        Thread.sleep(READ_TIMEOUT.multipliedBy(3).toMillis()); // until the late first answer has been carried out
        assertEquals(1, sandbox.world().tasks().size(), "ECS's clientToken idempotency: one task for both attempts");
        assertTrue(snsMessage().contains("Tidewatch did: Restarted as task "), snsMessage());
    }

    @Test
    void theSampleWorldWithSlackDownAndSnsThrottledStillNotifies() throws Exception {
        RequestStreamHandler function = ecs(World.load(Path.of("events/worlds/slack-down-sns-throttled.json")));

        JsonObject output = invoke(function, sqsBatch("m-1", sample("ecs-service-task-crashed.json")));

        assertEquals(List.of(), output.array("batchItemFailures"), "one channel delivered: nothing to redeliver");
        assertEquals(RetryPolicy.DEFAULT.maxAttempts(), sandbox.calls("slack", "post").size());
        List<Sandbox.Call> publishes = sandbox.calls("sns", "Publish");
        assertEquals(2, publishes.size(), "throttled once, then the SDK's retry went through");
        assertEquals("Throttling", publishes.get(0).fault());
        assertTrue(logged("ERROR", "notification channel failed"));
    }

    // ---- VpnAlarmFunction -----------------------------------------------------------------------------------------

    @Test
    void aThrottledVpnReadIsRetriedByTheSdkAndTheAlarmAnsweredInFull() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("ec2.DescribeVpnConnections", "RequestLimitExceeded", 200));

        invoke(function, sample("vpn-alarm-sns.json"));

        assertEquals(2, sandbox.calls("ec2", "DescribeVpnConnections").size());
        assertEquals(1, sandbox.calls("ec2", "ReplaceVpnTunnel").size());
        assertTrue(subject().startsWith("[WARNING] VPN degraded"), subject());
    }

    @Test
    void aThrottledKeepaliveInvokeIsRetriedByTheSdk() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("lambda.Invoke", "TooManyRequestsException", 200));

        JsonObject output = invoke(function, sample("vpn-alarm-sns.json"));

        assertEquals(2, sandbox.calls("lambda", "Invoke").size());
        assertEquals("done", action(output, "keepalive-burst").string("outcome"));
    }

    @Test
    void aFailingKeepaliveInvokeIsReportedAndTheReplacementStillRuns() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("lambda.Invoke", 500));

        JsonObject output = invoke(function, sample("vpn-alarm-sns.json"));

        assertEquals(3, sandbox.calls("lambda", "Invoke").size());
        assertEquals("failed", action(output, "keepalive-burst").string("outcome"));
        assertEquals("done", action(output, "replace-vpn-tunnel").string("outcome"));
        assertTrue(snsMessage().contains("keepalive burst of 3 rounds: failed, "), snsMessage());
    }

    @Test
    void aCooldownTagThatCannotBeWrittenMeansNoReplacement() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("ec2.CreateTags", 503));

        JsonObject output = invoke(function, sample("vpn-alarm-sns.json"));

        assertEquals(3, sandbox.calls("ec2", "CreateTags").size());
        assertTrue(sandbox.calls("ec2", "ReplaceVpnTunnel").isEmpty(), "without the cooldown tag the cooldown could not hold");
        assertEquals("failed", action(output, "replace-vpn-tunnel").string("outcome"));
        assertTrue(snsMessage().contains("tunnel " + TUNNEL_A + " replacement: not attempted, the cooldown tag could not be written"),
                snsMessage());
    }

    @Test
    void aThrottledReplacementIsNotRetriedAndItsCooldownHoldsForTheNextAlarm() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("ec2.ReplaceVpnTunnel", "ThrottlingException"));

        invoke(function, sample("vpn-alarm-sns.json"));
        assertEquals(1, sandbox.calls("ec2", "ReplaceVpnTunnel").size(), "no idempotency token, so sent once, even throttled");
        assertTrue(snsMessage().contains("replacement: failed, ThrottlingException: "), snsMessage());
        assertTrue(snsMessage().contains("the cooldown tag stays"), snsMessage());

        invoke(function, sample("vpn-alarm-eventbridge.json"));
        assertEquals(1, sandbox.calls("ec2", "ReplaceVpnTunnel").size(), "no second attempt inside the cooldown");
        assertTrue(snsMessage().contains("replacement: skipped, replaced 0 s ago"), snsMessage());
    }

    @Test
    void whenNoChannelDeliversTheInvocationFailsAndLambdasRetryDoesNotReplaceTheTunnelTwice() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("slack", 500).fault("sns", 500));

        assertThrows(NotificationFailedException.class, () -> invoke(function, sample("vpn-alarm-sns.json")));
        assertEquals(3, sandbox.calls("slack", "post").size());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), slackWaits);
        assertEquals(3, sandbox.calls("sns", "Publish").size());
        assertEquals(1, sandbox.calls("ec2", "ReplaceVpnTunnel").size());

        // Lambda retries the asynchronous invocation with the same event; the channels have recovered.
        sandbox.world().fault("slack", 200).fault("sns", 200);
        JsonObject output = invoke(function, sample("vpn-alarm-sns.json"));
        assertEquals(List.of("slack", "sns"), output.objects("results").get(0).strings("notified"));
        assertEquals(1, sandbox.calls("ec2", "ReplaceVpnTunnel").size(), "the cooldown tag from the first attempt holds");
        assertTrue(output.objects("results").get(0).objects("actions").stream().anyMatch(a -> "skipped".equals(a.string("outcome"))
                && a.string("detail").startsWith("tunnel " + TUNNEL_A + " replacement: skipped, replaced 0 s ago")), output.toString());
    }

    @Test
    void anSnsThatAnswersTooLateIsNotPublishedAgainAndSlackCarriesTheAlarm() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("sns", "timeout"));

        JsonObject output = invoke(function, sample("vpn-alarm-sns.json"));

        assertEquals(List.of("slack"), output.objects("results").get(0).strings("notified"));
        assertEquals(1, sandbox.calls("sns", "Publish").size(), "SNS took the request: a retry would be a second copy");
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    @Test
    void anUnreadableWebhookFailsSlackOnlyAndIsReadAgainForTheNextMessage() throws Exception {
        RequestStreamHandler function = vpn(vpnWorld().fault("ssm.GetParameter", "AccessDeniedException"));

        JsonObject first = invoke(function, sample("vpn-alarm-sns.json"));
        assertEquals(List.of("sns"), first.objects("results").get(0).strings("notified"));
        assertTrue(sandbox.calls("slack", "post").isEmpty());
        assertTrue(logs.text().contains("cannot read the Slack webhook from SSM parameter " + WEBHOOK));

        sandbox.world().fault("ssm.GetParameter", 200);
        JsonObject second = invoke(function, sample("vpn-alarm-ok-eventbridge.json"));
        assertEquals(List.of("slack", "sns"), second.objects("results").get(0).strings("notified"));
        assertEquals(2, sandbox.calls("ssm", "GetParameter").size(), "a failed read is not cached");
    }

    @Test
    void slackRetryAfterIsHonouredUpToThreeSeconds() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        String webhook = slackStandIn(posts, 429, "120", 200);
        RequestStreamHandler function = vpn(vpnWorld().parameter(WEBHOOK, webhook));

        JsonObject output = invoke(function, sample("vpn-alarm-sns.json"));

        assertEquals(List.of("slack", "sns"), output.objects("results").get(0).strings("notified"));
        assertEquals(2, posts.get());
        assertEquals(List.of(Duration.ofSeconds(3)), slackWaits, "Retry-After: 120 is capped at 3 s");
    }

    @Test
    void aRetryAfterThatIsNotSecondsFallsBackToTheBackoff() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        String webhook = slackStandIn(posts, 429, "Wed, 21 Oct 2015 07:28:00 GMT", 200);
        RequestStreamHandler function = vpn(vpnWorld().parameter(WEBHOOK, webhook));

        invoke(function, sample("vpn-alarm-sns.json"));

        assertEquals(2, posts.get());
        assertEquals(List.of(Duration.ofMillis(250)), slackWaits);
    }

    // ---- handlers and worlds --------------------------------------------------------------------------------------

    private RequestStreamHandler ecs(World world, String... env) {
        sandbox = open(Sandbox.start(world).slowResponse(READ_TIMEOUT.multipliedBy(3)));
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", WEBHOOK, "WATCHED_CLUSTERS", "prod"));
        for (int i = 0; i < env.length; i += 2) {
            settings.put(env[i], env[i + 1]);
        }
        return EcsHandlerFactory.ecsTaskState(new Settings(sandbox.declaring(settings)), sandbox.clients(READ_TIMEOUT));
    }

    /** The alarm handler with replacement on, Slack's waits recorded instead of slept, and the clock at NOW. */
    private RequestStreamHandler vpn(World world) {
        sandbox = open(Sandbox.start(world).slowResponse(READ_TIMEOUT.multipliedBy(3)));
        AwsClients aws = sandbox.clients(READ_TIMEOUT);
        Settings settings = new Settings(sandbox.declaring(Map.of("VPN_CONNECTION_IDS", VPN, "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive",
                "ENABLE_TUNNEL_REPLACEMENT", "true", "NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", WEBHOOK)));
        Notifier notifier = new Notifier(List.of(
                new SlackChannel(new SlackWebhook(WEBHOOK, null, aws.ssm()), READ_TIMEOUT, RetryPolicy.DEFAULT, slackWaits::add),
                new SnsChannel(aws.sns(), TOPIC)));
        return VpnHandlerFactory.vpnAlarm(settings, aws, notifier, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static World webCrashLoop() {
        return World.load(Path.of("events/worlds/web-crash-loop.json"));
    }

    private static World nightlyReport() {
        return World.load(Path.of("events/worlds/nightly-report-restart.json"));
    }

    private static World mergedWorld() {
        return World.parse(FuzzTest.mergedWorld("web-crash-loop.json", "nightly-report-restart.json"));
    }

    private static World vpnWorld() {
        return World.load(Path.of("events/worlds/vpn-one-tunnel-down.json"));
    }

    /**
     * A stand-in Slack webhook on loopback answering with the given statuses in turn (the last one repeats), the
     * first carrying {@code retryAfter}: the sandbox's Slack always says Retry-After: 1.
     */
    private String slackStandIn(AtomicInteger posts, int firstStatus, String retryAfter, int thenStatus) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                int n = posts.incrementAndGet();
                if (n == 1) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
                byte[] body = (n == 1 ? "rate_limited" : "ok").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(n == 1 ? firstStatus : thenStatus, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        opened.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    // ---- invoking and reading what happened -----------------------------------------------------------------------

    private static JsonObject invoke(RequestStreamHandler function, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private static String sample(String file) {
        return FuzzTest.read(Path.of("events", file));
    }

    private static String sqsBatch(String... idsAndBodies) {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < idsAndBodies.length; i += 2) {
            records.add(Map.of("messageId", idsAndBodies[i], "body", idsAndBodies[i + 1], "eventSource", "aws:sqs"));
        }
        return Json.write(Map.of("Records", records));
    }

    private String snsMessage() {
        List<Sandbox.Call> publishes = delivered("sns", "Publish");
        return (String) publishes.get(publishes.size() - 1).params().get("Message");
    }

    private String subject() {
        List<Sandbox.Call> publishes = delivered("sns", "Publish");
        return (String) publishes.get(publishes.size() - 1).params().get("Subject");
    }

    /** The calls that were answered, not failed by an injected fault. */
    private List<Sandbox.Call> delivered(String service, String operation) {
        List<Sandbox.Call> answered = sandbox.calls(service, operation).stream()
                .filter(c -> c.fault() == null || c.fault().equals("200")).toList();
        assertFalse(answered.isEmpty(), "no " + service + " " + operation + " went through: " + sandbox.calls());
        return answered;
    }

    private static JsonObject action(JsonObject output, String name) {
        return output.objects("results").get(0).objects("actions").stream()
                .filter(a -> name.equals(a.string("action"))).findFirst()
                .orElseThrow(() -> new AssertionError("no action " + name + " in " + output));
    }

    private boolean logged(String level, String message) {
        return logs.lines().stream()
                .map(line -> Json.parseObject(line, "log"))
                .anyMatch(line -> level.equals(line.string("level")) && message.equals(line.string("message")));
    }

    private void awaitTasks(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (sandbox.world().tasks().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}

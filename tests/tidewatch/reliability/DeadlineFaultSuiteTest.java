package tidewatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tidewatch.json.Json;
import tidewatch.local.CrashBatch;
import tidewatch.local.LocalRun;

/**
 * Issue 21's bad day, row by row, through the local runner: the code path of {@code bin/tidewatch invoke}, a fresh
 * JVM with the template's environment and its {@code Timeout} enforced as Lambda enforces it, against the sandbox
 * with the row's faults. Each row asserts both that the invocation ended by itself inside the template's timeout
 * (its own time, from the REPORT line; {@code "timedOut": false}) and what was delivered: the Publish calls and Slack
 * posts the sandbox received, and the batch's {@code batchItemFailures}.
 *
 * <p>A storm's crashes are each of their own service ({@link CrashBatch}), so each is a message of its own: a batch
 * groups the stops of one service and cause into one message. Faults: {@code "timeout"} holds the answer 10 s, past
 * every client's read timeout; {@code "delay:8000"} answers, successfully, after 8 s. docs/reliability.md lists the rows.
 */
class DeadlineFaultSuiteTest {
    private static final Path CRASH_LOOP_WORLD = Path.of("events/worlds/web-crash-loop.json");
    private static final Path VPN_WORLD = Path.of("events/worlds/vpn-both-tunnels-down.json");
    private static final Pattern SERVICE = Pattern.compile("Service (web-\\d\\d) in prod");
    private static final String TIME_UNKNOWN = "unknown: the event's stoppedAt and time are missing or out of range";

    // ---- (a) to (d): a storm while one channel, or the webhook's store, hangs or is slow -------------------------

    @Test
    void fifteenCrashesWhileSnsHangsAreAllToldOnSlack() {
        LocalRun run = ecs(CrashBatch.of(15), Map.of("sns", "timeout"));

        assertEveryCrashToldOnceOn("slack", 15, run);
        assertEquals(1, run.calls("sns", "Publish").size(),
                "SNS tried once, then remembered as down for the rest of the invocation: " + toldOn(run, "sns"));
    }

    @Test
    void fifteenCrashesWhileSsmHangsAreAllToldOnSnsAndTheWebhookIsReadOnce() {
        LocalRun run = ecs(CrashBatch.of(15), Map.of("ssm", "timeout", "secretsmanager", "timeout"));

        assertEveryCrashToldOnceOn("sns", 15, run);
        assertWebhookReadOnce(run.calls("ssm", "GetParameter"), "Name", "/tidewatch/slack-webhook-url");
        assertTrue(run.calls("slack", "post").isEmpty(), "no webhook URL, no post");
    }

    @Test
    void fifteenCrashesWhileSecretsManagerHangsAreAllToldOnSnsAndTheWebhookIsReadOnce() {
        LocalRun run = ecs(CrashBatch.of(15), Map.of("ssm", "timeout", "secretsmanager", "timeout"),
                "--env", "SLACK_WEBHOOK_SECRET=tidewatch/slack-webhook");

        assertEveryCrashToldOnceOn("sns", 15, run);
        assertWebhookReadOnce(run.calls("secretsmanager", "GetSecretValue"), "SecretId", "tidewatch/slack-webhook");
        assertTrue(run.calls("slack", "post").isEmpty());
    }

    @Test
    void thirtyCrashesWhileSlackHangsAreAllToldOnSns() {
        LocalRun run = ecs(CrashBatch.of(30), Map.of("slack", "timeout"));

        assertEveryCrashToldOnceOn("sns", 30, run);
        assertEquals(1, run.calls("slack", "post").size(),
                "one post, whose answer never came: not sent again (Slack may have taken it), and Slack not tried for the rest");
    }

    @Test
    void aSlackThatAnswersAfterEightSecondsGetsEachMessageAtMostOnce() {
        LocalRun run = ecs(CrashBatch.of(3), Map.of("slack", "delay:8000"));

        assertEveryCrashToldOnceOn("sns", 3, run);
        List<String> posted = serviceOf(run.calls("slack", "post"));
        assertEquals(posted.stream().distinct().toList(), posted, "no message posted twice: " + posted);
        assertEquals(1, posted.size(), "the first post was taken but not answered within the read timeout: "
                + "not repeated, and Slack not tried again in this invocation: " + posted);
        assertTrue(run.log().lines().anyMatch(line -> line.contains("\"message\":\"notification channel failed\"")
                && line.contains("\"channel\":\"slack\"")), "the slow answer is logged as Slack's failure");
    }

    // ---- (e) stop times that cannot be used ----------------------------------------------------------------------

    @Test
    void absurdAndMissingStopTimesAreToldAsCrashesOfUnknownTimeAndNotRetried() {
        String absurd = "-1000000000-01-01T00:00:00Z";
        List<Map<String, Object>> events = List.of(
                CrashBatch.crash(1, event -> { // parses as an Instant, but far outside any time a task stops
                    detail(event).put("stoppedAt", absurd);
                    event.put("time", absurd);
                }),
                CrashBatch.crash(2, event -> {
                    detail(event).remove("stoppedAt");
                    event.remove("time");
                }),
                CrashBatch.crash(3, event -> detail(event).put("stoppedAt", absurd))); // the envelope's time stands in
        LocalRun run = ecs(CrashBatch.batch(events), Map.of());

        assertInsideTimeout(run);
        assertNoRecordReturned(run);
        assertEquals(services(3), toldOn(run, "sns"));
        assertEquals(services(3), toldOn(run, "slack"));
        Map<String, String> snsByService = run.calls("sns", "Publish").stream()
                .collect(Collectors.toMap(c -> service(c), c -> String.valueOf(LocalRun.params(c).get("Message"))));
        for (String service : List.of("web-01", "web-02")) {
            String message = snsByService.get(service);
            assertTrue(message.contains("Cause: an essential container exited with an error"), message);
            assertTrue(message.contains("Stopped at: " + TIME_UNKNOWN), message);
        }
        assertFalse(snsByService.get("web-03").contains(TIME_UNKNOWN), "the event's own time is the stop's time");
        assertTrue(run.calls("slack", "post").stream().filter(c -> !"web-03".equals(service(c)))
                .allMatch(c -> Json.write(LocalRun.params(c)).contains(TIME_UNKNOWN)), "Slack says the time is unknown too");
    }

    // ---- a permanent AWS error ----------------------------------------------------------------------------------

    @Test
    void aStandaloneCrashWhoseRecordIsDeniedIsToldAtOnceWithTheMissingPermissionAndNotRetried() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> crash = (Map<String, Object>) Json.parse(Files.readString(Path.of("events/ecs-standalone-task-crashed.json")));
        LocalRun run = LocalRun.invoke("EcsTaskStateFunction", CrashBatch.write(CrashBatch.batch(List.of(crash)), "denied"),
                world(Path.of("events/worlds/nightly-report-restart.json"), Map.of("ecs.DescribeTasks", "AccessDeniedException")),
                "--env", "ENABLE_TASK_RESTARTS=true");

        assertInsideTimeout(run);
        assertNoRecordReturned(run); // a retry cannot pass: IAM does not change by itself within the hour
        assertTrue(run.calls("ecs", "RunTask").isEmpty(), "no restart without ECS's record of the task");
        List<Map<String, Object>> publishes = run.calls("sns", "Publish");
        assertEquals(1, publishes.size(), run.log());
        String message = String.valueOf(LocalRun.params(publishes.get(0)).get("Message"));
        assertTrue(message.contains("ecs:DescribeTasks"), "says which permission is missing: " + message);
        assertEquals(1, run.calls("slack", "post").size());
    }

    // ---- (f) an alarm while its reads, its response and one channel hang -----------------------------------------

    @Test
    void aVpnAlarmWhileEc2LambdaAndSnsHangIsToldOnSlackInsideTheTimeout() {
        LocalRun run = LocalRun.invoke("VpnAlarmFunction", Path.of("events/vpn-alarm-sns.json"),
                world(VPN_WORLD, Map.of("ec2", "timeout", "lambda", "timeout", "sns", "timeout")));

        assertInsideTimeout(run);
        List<Map<String, Object>> posts = run.calls("slack", "post");
        assertEquals(1, posts.size(), run.log());
        String text = String.valueOf(LocalRun.params(posts.get(0)).get("text"));
        assertTrue(text.contains("vpn-0a1b2c3d4e5f67890"), text);
        assertEquals(1, run.calls("sns", "Publish").size(), "a Publish whose answer is lost is not sent again");
        assertFalse(run.calls("ec2", "DescribeVpnConnections").isEmpty(), "the tunnels were asked for");
        Map<?, ?> result = (Map<?, ?>) ((List<?>) ((Map<?, ?>) run.output()).get("results")).get(0);
        assertEquals(List.of("slack"), result.get("notified"), String.valueOf(result));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static LocalRun ecs(Map<String, Object> batch, Map<String, Object> faults, String... options) {
        return LocalRun.invoke("EcsTaskStateFunction", CrashBatch.write(batch, "storm"), world(CRASH_LOOP_WORLD, faults), options);
    }

    /** A sample world with the row's faults. */
    private static Path world(Path sample, Map<String, Object> faults) {
        try {
            Map<String, Object> world = new LinkedHashMap<>(Json.parseObject(Files.readString(sample, StandardCharsets.UTF_8), "world").asMap());
            world.put("faults", faults);
            return CrashBatch.write(world, "world");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Ended by itself, inside the template's Timeout, by the invocation's own clock (what Lambda holds it to). */
    private static void assertInsideTimeout(LocalRun run) {
        assertFalse(run.timedOut(), "timed out: " + tail(run.log()));
        assertNull(run.error(), tail(run.log()));
        assertNotNull(run.invocation(), "a REPORT line: " + tail(run.log()));
        assertTrue(run.finishedInsideTimeout(), run.function() + " took " + run.invocation().toMillis() + " ms of its "
                + run.timeout().toSeconds() + " s timeout");
    }

    /** The storm ended inside the timeout, each crash told once on the channel, and no record came back for a retry. */
    private static void assertEveryCrashToldOnceOn(String channel, int crashes, LocalRun run) {
        assertInsideTimeout(run);
        assertNoRecordReturned(run);
        assertEquals(services(crashes), toldOn(run, channel), "every crash on " + channel + ", once");
    }

    private static void assertNoRecordReturned(LocalRun run) {
        assertEquals(Map.of("batchItemFailures", List.of()), run.output(), "nothing comes back for a retry: " + tail(run.log()));
    }

    /**
     * One read of the webhook for the whole storm: the SDK's standard attempts of one call (at most 3, the same
     * request each time), never a read per message.
     */
    private static void assertWebhookReadOnce(List<Map<String, Object>> reads, String member, String reference) {
        assertTrue(!reads.isEmpty() && reads.size() <= 3, "one read with the SDK's attempts: " + reads.size() + " calls");
        assertTrue(reads.stream().allMatch(c -> reference.equals(LocalRun.params(c).get(member))), String.valueOf(reads));
    }

    /** The services told on a channel, sorted: one entry per message the sandbox received, so a repeat shows. */
    private static List<String> toldOn(LocalRun run, String channel) {
        return serviceOf(channel.equals("sns") ? run.calls("sns", "Publish") : run.calls("slack", "post")).stream().sorted().toList();
    }

    private static List<String> serviceOf(List<Map<String, Object>> calls) {
        return calls.stream().map(DeadlineFaultSuiteTest::service).toList();
    }

    private static String service(Map<String, Object> call) {
        Map<String, Object> params = LocalRun.params(call);
        Object title = params.containsKey("Subject") ? params.get("Subject") : params.get("text");
        Matcher matcher = SERVICE.matcher(String.valueOf(title));
        return matcher.find() ? matcher.group(1) : "(not a crash message: " + title + ")";
    }

    private static List<String> services(int crashes) {
        return IntStream.rangeClosed(1, crashes).mapToObj(CrashBatch::service).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Map<String, Object> event) {
        return (Map<String, Object>) event.get("detail");
    }

    private static String tail(String log) {
        List<String> lines = new ArrayList<>(log.lines().toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}

package tidewatch.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.ecs.EcsHandlerFactory;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.keepalive.KeepaliveHandlerFactory;
import tidewatch.local.Sandbox;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Notifier;
import tidewatch.vpn.VpnHandlerFactory;

/**
 * Feeds every handler thousands of mutated sample events (see {@link EventMutator}) against the sandbox, with
 * restarts and tunnel replacement enabled so that an action is always possible, and checks each invocation:
 * <ol type="a">
 *   <li>nothing escapes but the documented rejection: InvalidInputException from the ECS bare event (or a whole SQS
 *       batch) and the keepalive; the VPN alarm handler never throws on bad input;
 *   <li>no infrastructure action (ECS RunTask, EC2 CreateTags/ReplaceVpnTunnel, Lambda Invoke, keepalive probes)
 *       comes from an input the handler rejected; an action is traced back to an accepted event;
 *   <li>every rejection is logged at ERROR/WARN with the problem named (or, for a thrown rejection, named by the
 *       exception, which the Lambda runtime logs);
 *   <li>every VPN alarm input is notified, except the two skips the code documents (an alarm configuration change,
 *       INSUFFICIENT_DATA -> INSUFFICIENT_DATA);
 *   <li>no Slack body carries a mention or link from the input ({@code <!}, {@code <@}, {@code <#}, {@code <http},
 *       {@code <mailto}) outside plain_text, and every button links to the AWS console.
 * </ol>
 * And for every handler: each log line is JSON and fits in one CloudWatch Logs event, and each SNS Publish stays
 * within SNS's limits (the sandbox accepts what AWS would refuse).
 * Reproducible: {@code -Dtidewatch.fuzz.seed=S} (default {@value #DEFAULT_SEED}), {@code -Dtidewatch.fuzz.count=N}
 * mutants per handler (default {@value #DEFAULT_COUNT}); {@code -Dtidewatch.fuzz.index=I} replays one mutant. The
 * counts per handler and outcome are printed and written to {@code target/fuzz-report.txt}.
 */
class FuzzTest {
    static final long DEFAULT_SEED = 20240501L;
    static final int DEFAULT_COUNT = 2000;
    static final long SEED = Long.getLong("tidewatch.fuzz.seed", DEFAULT_SEED);
    static final int COUNT = Integer.getInteger("tidewatch.fuzz.count", DEFAULT_COUNT);
    static final Integer ONLY_INDEX = Integer.getInteger("tidewatch.fuzz.index");
    /** A fresh sandbox and handler every so many mutants: bounds the calls the sandbox keeps and the world's growth. */
    static final int MUTANTS_PER_SANDBOX = 250;
    static final Path REPORT = Path.of("target", "fuzz-report.txt");
    /** Probability, in percent, that a mutant starts from another handler's sample (an event of the wrong kind). */
    static final int FOREIGN_PERCENT = 8;
    /** CloudWatch Logs' limit for one event is 256 KB (minus 26 bytes of overhead); a line must fit in one. */
    static final int MAX_LOG_LINE = 256 * 1024 - 26;

    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";
    static final String WEBHOOK_PARAMETER = "/tidewatch/slack-webhook-url";
    static final String VPN = "vpn-0a1b2c3d4e5f67890";
    /** 45 min after tunnel .10 of events/worlds/vpn-one-tunnel-down.json went down: a replacement is due. */
    static final Instant VPN_CLOCK_START = Instant.parse("2026-11-24T09:40:00Z");

    private static final Pattern SLACK_CONTROL = Pattern.compile("(?i)<(!|@|#|https?:|mailto:)");
    private static final Pattern CONSOLE_URL = Pattern.compile("https://([a-z0-9-]+\\.)?console\\.aws\\.amazon\\.com/[^\\s<>|\"]*");
    /** SNS subjects: ASCII, no control characters, fewer than 100 characters. */
    private static final Pattern SNS_SUBJECT = Pattern.compile("[\\x20-\\x7E]{1,99}");
    private static final Map<String, Tally> TALLIES = new LinkedHashMap<>();

    @RegisterExtension
    final CapturedLog logBuffer = new CapturedLog();

    @AfterAll
    static void writeReport() throws IOException {
        StringBuilder report = new StringBuilder("Tidewatch fuzz report\n")
                .append("seed ").append(SEED).append(", ").append(ONLY_INDEX != null ? "only mutant " + ONLY_INDEX : COUNT + " mutants per handler")
                .append(" (-Dtidewatch.fuzz.seed=S -Dtidewatch.fuzz.count=N -Dtidewatch.fuzz.index=I)\n");
        synchronized (TALLIES) {
            TALLIES.values().forEach(tally -> report.append('\n').append(tally.render()));
        }
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    // ---- the three handlers ---------------------------------------------------------------------------------------

    @Test
    void ecsTaskStateFunction() {
        String world = mergedWorld("web-crash-loop.json", "nightly-report-restart.json");
        List<Seed> own = new ArrayList<>(samples("ecs-"));
        own.add(new Seed("(every ECS sample in one SQS batch)", sqsBatchOfEverySample(own)));
        fuzz("EcsTaskStateFunction", own, foreign("vpn-alarm-sns.json", "keepalive-burst.json", "vpn-alarm-eventbridge.json"),
                () -> {
                    Sandbox sandbox = Sandbox.start(World.parse(world));
                    Settings settings = new Settings(sandbox.declaring(Map.of("NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", WEBHOOK_PARAMETER,
                            "ENABLE_TASK_RESTARTS", "true")));
                    return new Harness(EcsHandlerFactory.ecsTaskState(settings, sandbox.clients(Duration.ofSeconds(2))), sandbox, null);
                },
                FuzzTest::ecsVerdict);
    }

    @Test
    void vpnAlarmFunction() {
        List<Seed> own = new ArrayList<>(samples("vpn-"));
        own.addAll(samples("keepalive-alarm"));
        own.addAll(derivedAlarmSeeds());
        AtomicLong ticks = new AtomicLong();
        fuzz("VpnAlarmFunction", own, foreign("ecs-service-task-crashed.json", "ecs-sqs-batch.json", "keepalive-scheduled.json"),
                () -> {
                    Sandbox sandbox = Sandbox.start(World.load(Path.of("events/worlds/vpn-one-tunnel-down.json")));
                    AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
                    Settings settings = new Settings(sandbox.declaring(Map.of("NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", WEBHOOK_PARAMETER,
                            "VPN_CONNECTION_IDS", VPN, "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive",
                            "ENABLE_TUNNEL_REPLACEMENT", "true")));
                    // Seven hours a step: each invocation is past the 6 h replacement cooldown the previous one tagged,
                    // so a replacement stays possible for every mutant.
                    return new Harness(VpnHandlerFactory.vpnAlarm(settings, aws, Notifier.fromSettings(settings, aws),
                            new SteppingClock(VPN_CLOCK_START, Duration.ofHours(7), ticks)), sandbox, null);
                },
                FuzzTest::vpnVerdict);
    }

    @Test
    void vpnKeepaliveFunction() {
        List<Seed> own = new ArrayList<>(samples("keepalive-scheduled"));
        own.addAll(samples("keepalive-burst"));
        own.add(new Seed("(empty object)", "{}"));
        fuzz("VpnKeepaliveFunction", own, foreign("ecs-service-task-crashed.json", "vpn-alarm-lambda-action.json"),
                () -> {
                    CountingPort port = new CountingPort();
                    List<Duration> pauses = new ArrayList<>();
                    Settings settings = new Settings(Map.of("KEEPALIVE_TARGETS", "127.0.0.1:" + port.port(), "KEEPALIVE_TIMEOUT", "2s"));
                    return new Harness(KeepaliveHandlerFactory.vpnKeepalive(settings, Clock.systemUTC(), pauses::add), null,
                            new Probes(port, pauses));
                },
                FuzzTest::keepaliveVerdict);
    }

    // ---- the loop -------------------------------------------------------------------------------------------------

    /** One handler under test, with the sandbox it talks to (none for the keepalive) and what it probes. */
    record Harness(RequestStreamHandler handler, Sandbox sandbox, Probes probes) implements AutoCloseable {
        @Override
        public void close() {
            if (sandbox != null) {
                sandbox.close();
            }
            if (probes != null) {
                probes.port().close();
            }
        }
    }

    record Probes(CountingPort port, List<Duration> pauses) {}

    record Seed(String name, String text) {}

    /** What one invocation did. {@code thrown} is whatever escaped the handler. */
    record Invocation(byte[] input, String output, Throwable thrown, List<Sandbox.Call> calls, List<JsonObject> log,
                      List<String> unreadableLog, int largestLogLine, Harness harness, int probesBefore) {

        List<Sandbox.Call> calls(String service, String operation) {
            return calls.stream().filter(c -> c.service().equals(service) && c.operation().equals(operation)).toList();
        }

        List<JsonObject> logged(String level, String message) {
            return log.stream().filter(l -> level.equals(l.string("level")) && message.equals(l.string("message"))).toList();
        }

        String text() {
            return new String(input, StandardCharsets.UTF_8);
        }
    }

    /** The judgement of one invocation: its outcome class, counters for the report, and any broken rule. */
    static final class Verdict {
        String outcome = "?";
        final Map<String, Integer> counters = new TreeMap<>();
        final List<String> problems = new ArrayList<>();

        void count(String what, int n) {
            if (n != 0) {
                counters.merge(what, n, Integer::sum);
            }
        }

        void check(boolean ok, String problem) {
            if (!ok) {
                problems.add(problem);
            }
        }
    }

    interface Checker {
        Verdict judge(Invocation invocation);
    }

    interface HarnessFactory {
        Harness create() throws IOException;
    }

    private void fuzz(String name, List<Seed> own, List<Seed> foreign, HarnessFactory factory, Checker checker) {
        Tally tally = new Tally(name);
        synchronized (TALLIES) {
            TALLIES.put(name, tally);
        }
        System.out.println("fuzz " + name + ": seed " + SEED + ", " + (ONLY_INDEX != null ? "mutant " + ONLY_INDEX : COUNT + " mutants")
                + ", seeds " + own.stream().map(Seed::name).toList());
        long started = System.nanoTime();
        Harness harness = null;
        try {
            int first = ONLY_INDEX != null ? ONLY_INDEX : 0;
            int end = ONLY_INDEX != null ? ONLY_INDEX + 1 : COUNT;
            for (int i = first; i < end; i++) {
                if (harness == null || (i - first) % MUTANTS_PER_SANDBOX == 0) {
                    if (harness != null) {
                        harness.close();
                    }
                    harness = factory.create();
                }
                Random random = new Random(mix(SEED, name, i));
                Seed seed = random.nextInt(100) < FOREIGN_PERCENT ? foreign.get(random.nextInt(foreign.size()))
                        : own.get(random.nextInt(own.size()));
                EventMutator.Mutant mutant = new EventMutator(random).mutate(seed.text());
                Invocation invocation = invoke(harness, mutant.bytes());
                Verdict verdict = checker.judge(invocation);
                tally.add(i, seed, mutant, invocation, verdict);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (harness != null) {
                harness.close();
            }
            tally.elapsed = Duration.ofNanos(System.nanoTime() - started);
        }
        System.out.println(tally.render());
        assertTrue(tally.violations == 0, tally.violations + " of " + tally.mutants + " mutants broke a rule; first ones:\n"
                + String.join("\n\n", tally.examples));
    }

    private Invocation invoke(Harness harness, byte[] input) {
        int callsBefore = harness.sandbox() == null ? 0 : harness.sandbox().calls().size();
        int probesBefore = harness.probes() == null ? 0 : harness.probes().port().count();
        logBuffer.reset();
        String output = null;
        Throwable thrown = null;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            harness.handler().handleRequest(new ByteArrayInputStream(input), out, null);
            output = out.toString(StandardCharsets.UTF_8);
        } catch (Throwable e) { // anything at all, to be judged: an Error is as much a finding as an exception
            thrown = e;
        }
        List<Sandbox.Call> calls = List.of();
        if (harness.sandbox() != null) {
            List<Sandbox.Call> all = harness.sandbox().calls();
            calls = all.subList(callsBefore, all.size());
        }
        List<JsonObject> log = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int largest = 0;
        for (String line : logBuffer.text().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            largest = Math.max(largest, line.length());
            try {
                log.add(Json.parseObject(line, "log"));
            } catch (InvalidInputException e) {
                unreadable.add(line.length() > 200 ? line.substring(0, 200) + "..." : line);
            }
        }
        return new Invocation(input, output, thrown, calls, log, unreadable, largest, harness, probesBefore);
    }

    // ---- EcsTaskStateFunction -------------------------------------------------------------------------------------

    static Verdict ecsVerdict(Invocation inv) {
        Verdict v = common(inv);
        List<Sandbox.Call> runTasks = inv.calls("ecs", "RunTask");
        int slack = inv.calls("slack", "post").size();
        int sns = inv.calls("sns", "Publish").size();
        v.count("action: ecs RunTask", runTasks.size());
        Object root = lenientParse(inv.text());
        List<Map<String, Object>> records = sqsRecords(root);

        if (inv.thrown() != null) {
            if (!(inv.thrown() instanceof InvalidInputException rejection)) {
                v.outcome = "failed";
                v.problems.add("uncaught " + describe(inv.thrown()) + (inv.thrown() instanceof IllegalStateException
                        ? " (the event failed without any fault injected: bad input must be rejected, not retried)" : ""));
                return v;
            }
            v.check(rejection.getMessage() != null && !rejection.getMessage().isBlank(), "a rejection without a message");
            if (records != null) {
                // The whole batch fails: records before the bad one may have acted, each action must trace to one of them.
                v.outcome = "rejected (whole SQS batch)";
                // Lambda then redelivers every record, the good ones too, and the earlier ones had already been handled.
                v.count("finding: whole SQS batch failed after earlier records were handled", inv.calls().isEmpty() ? 0 : 1);
                for (Sandbox.Call run : runTasks) {
                    v.check(records.stream().anyMatch(r -> Objects.equals(clientToken(lenientParse(r.get("body"))), run.params().get("clientToken"))),
                            "RunTask with clientToken " + run.params().get("clientToken") + " matches no record of the batch");
                }
            } else {
                v.outcome = "rejected";
                v.check(inv.calls().isEmpty(), "a rejected event made AWS calls: " + operations(inv.calls()));
            }
            return v;
        }

        JsonObject output = Json.parseObject(inv.output(), "output");
        if (output.has("result")) {
            String result = output.string("result");
            v.outcome = "IGNORED".equals(result) ? "ignored" : "accepted";
            v.count("result " + result, 1);
            if ("IGNORED".equals(result)) {
                v.check(inv.calls().isEmpty(), "an ignored event made AWS calls: " + operations(inv.calls()));
            }
            v.check(runTasks.size() <= 1, runTasks.size() + " RunTask calls for one event");
            for (Sandbox.Call run : runTasks) {
                v.check(Objects.equals(clientToken(root), run.params().get("clientToken")),
                        "RunTask clientToken " + run.params().get("clientToken") + " is not derived from the event's task ARN");
            }
            boolean notified = "NOTIFIED".equals(result);
            v.check(slack == (notified ? 1 : 0) && sns == (notified ? 1 : 0),
                    "result " + result + " with " + slack + " Slack posts and " + sns + " SNS publishes");
            v.check(!"FAILED".equals(result), "result FAILED");
            return v;
        }
        if (!output.has("batchItemFailures") || records == null) {
            v.outcome = "failed";
            v.problems.add("unexpected output " + abbreviate(inv.output()));
            return v;
        }

        List<Object> failed = new ArrayList<>();
        for (JsonObject failure : output.objects("batchItemFailures")) {
            failed.add(failure.asMap().get("itemIdentifier"));
        }
        Map<Object, String> rejectedInLog = new LinkedHashMap<>();
        for (JsonObject line : inv.logged("ERROR", "rejected an SQS message that is not an ECS event")) {
            rejectedInLog.put(line.asMap().get("messageId"), line.string("error"));
            v.check(line.string("error") != null && !line.string("error").isBlank(), "a rejection logged without the problem");
        }
        for (JsonObject line : inv.logged("ERROR", "task stop not handled")) {
            v.problems.add("a record failed without any fault injected (bad input must be rejected, not retried): " + line.string("error"));
        }
        for (Object id : failed) {
            v.check(id instanceof String, "batchItemFailures holds a non-string itemIdentifier " + id);
            v.check(rejectedInLog.containsKey(id), "record " + id + " reported failed without an ERROR line naming the problem");
        }
        int droppedSilently = 0;
        for (Object id : rejectedInLog.keySet()) {
            if (id == null) {
                droppedSilently++; // no messageId to report: the record is deleted, only the log line remains
            }
        }
        v.count("finding: rejected SQS record without messageId, not reported for redelivery", droppedSilently);
        // A record is known rejected by its messageId; one without a messageId cannot be told apart, so it may act.
        List<Map<String, Object>> notRejected = records.stream()
                .filter(r -> !(r.get("messageId") instanceof String id) || !failed.contains(id) && !rejectedInLog.containsKey(id))
                .toList();
        List<Map<String, Object>> accepted = notRejected.stream().filter(r -> r.get("messageId") instanceof String).toList();
        v.count("SQS records accepted", accepted.size());
        v.count("SQS records rejected", rejectedInLog.size());
        for (Sandbox.Call run : runTasks) {
            v.check(notRejected.stream().anyMatch(r -> Objects.equals(clientToken(lenientParse(r.get("body"))), run.params().get("clientToken"))),
                    "RunTask with clientToken " + run.params().get("clientToken") + " does not come from an accepted record");
        }
        if (notRejected.isEmpty()) {
            v.check(inv.calls().isEmpty(), "a batch of rejected records made AWS calls: " + operations(inv.calls()));
        }
        v.check(slack == sns && slack <= notRejected.size(), slack + " Slack posts and " + sns + " SNS publishes for "
                + notRejected.size() + " records not rejected");
        v.outcome = rejectedInLog.isEmpty() ? "accepted (SQS batch)" : accepted.isEmpty() ? "rejected (every SQS record)" : "mixed SQS batch";
        return v;
    }

    /** ECS RunTask's clientToken, derived independently here: the stopped task's ARN, hashed (a task stops once). */
    static String clientToken(Object envelope) {
        if (!(envelope instanceof Map<?, ?> map) || !(map.get("detail") instanceof Map<?, ?> detail)
                || !(detail.get("taskArn") instanceof String taskArn)) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(taskArn.getBytes(StandardCharsets.UTF_8));
            return "tidewatch-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- VpnAlarmFunction -----------------------------------------------------------------------------------------

    static Verdict vpnVerdict(Invocation inv) {
        Verdict v = common(inv);
        int slack = inv.calls("slack", "post").size();
        int sns = inv.calls("sns", "Publish").size();
        int invokes = inv.calls("lambda", "Invoke").size();
        int keepaliveTags = (int) inv.calls("ec2", "CreateTags").stream().filter(FuzzTest::isKeepaliveTag).count()
                + inv.calls("ec2", "DeleteTags").size();
        int tags = inv.calls("ec2", "CreateTags").size() - (keepaliveTags - inv.calls("ec2", "DeleteTags").size());
        int replacements = inv.calls("ec2", "ReplaceVpnTunnel").size();
        v.count("action: lambda Invoke (keepalive burst)", invokes);
        v.count("action: ec2 CreateTags (cooldown)", tags);
        v.count("action: ec2 CreateTags/DeleteTags (keepalive's alarm)", keepaliveTags);
        v.count("action: ec2 ReplaceVpnTunnel", replacements);
        if (inv.thrown() != null) {
            v.outcome = "failed";
            v.problems.add("the alarm handler threw on input with every channel working: " + describe(inv.thrown()));
            return v;
        }
        List<JsonObject> results = Json.parseObject(inv.output(), "output").objects("results");
        v.check(!results.isEmpty(), "no result at all");
        int alarms = 0;
        int checks = 0;
        int unrecognised = 0;
        int skipped = 0;
        int burstsRun = 0;
        int replacementsRun = 0;
        int keepaliveTagsReported = 0;
        boolean scheduled = inv.text().contains("Scheduled Event");
        for (JsonObject result : results) {
            if (result.has("skipped")) {
                skipped++;
                String reason = result.string("reason");
                boolean configurationChange = "not an alarm state change".equals(reason)
                        && result.string("skipped").startsWith("CloudWatch Alarm Configuration Change")
                        && inv.text().contains("CloudWatch Alarm Configuration Change");
                boolean stillNoData = reason != null && reason.startsWith("still INSUFFICIENT_DATA")
                        && inv.text().split("INSUFFICIENT_DATA", -1).length > 2;
                // The scheduled tunnel re-check is no alarm: it speaks only when it replaces a tunnel.
                boolean quietCheck = "tunnel check".equals(result.string("skipped")) && scheduled;
                v.check(configurationChange || stillNoData || quietCheck,
                        "an input skipped without notification for an undocumented reason: " + result);
                v.count(configurationChange ? "skipped: alarm configuration change" : stillNoData
                        ? "skipped: INSUFFICIENT_DATA repeated" : "skipped: tunnel check with nothing to replace", 1);
                checks += quietCheck ? 1 : 0;
                continue;
            }
            String keepaliveTag = result.string("keepaliveTag");
            keepaliveTagsReported += keepaliveTag != null && !keepaliveTag.startsWith("not written") ? 1 : 0;
            v.check(keepaliveTag == null || result.has("alarm"), "a keepalive tag for something that is no alarm: " + result);
            List<JsonObject> actions = result.objects("actions");
            if ("Unrecognised alarm".equals(result.string("title"))) {
                unrecognised++;
                v.check(actions.isEmpty(), "an unrecognised payload led to responses: " + actions);
            } else if (result.has("alarm")) {
                alarms++;
            } else {
                checks++;
                v.check(scheduled && result.string("key").endsWith("/tunnel-check"), "a message neither alarm nor tunnel check: " + result);
                v.count("results: tunnel check replaced a tunnel", 1);
            }
            for (JsonObject action : actions) {
                boolean ran = !"skipped".equals(action.string("outcome"));
                if (ran && "keepalive-burst".equals(action.string("action"))) {
                    burstsRun++;
                }
                if (ran && "replace-vpn-tunnel".equals(action.string("action"))) {
                    replacementsRun++;
                }
            }
            v.check(!result.strings("notified").isEmpty(), "a result notified on no channel: " + result);
        }
        int notifications = results.size() - skipped;
        v.count("results: alarm notified", alarms);
        v.count("results: unrecognised payload notified", unrecognised);
        v.check(slack == notifications && sns == notifications, notifications + " messages but " + slack
                + " Slack posts and " + sns + " SNS publishes");
        v.check(notifications > 0 || skipped == results.size(), "an input that was neither notified nor a documented skip");
        v.check(invokes == burstsRun, invokes + " Lambda Invoke calls, but the results report " + burstsRun + " bursts");
        v.check(tags == replacementsRun && replacements <= tags, tags + " CreateTags and " + replacements
                + " ReplaceVpnTunnel calls, but the results report " + replacementsRun + " replacements");
        v.check(keepaliveTags == keepaliveTagsReported, keepaliveTags + " keepalive tag calls, but the results report "
                + keepaliveTagsReported);
        if (alarms == 0 && checks == 0) {
            List<Sandbox.Call> aws = inv.calls().stream().filter(c -> !isNotificationCall(c)).toList();
            v.check(aws.isEmpty(), "an input that is no readable alarm made AWS calls: " + operations(aws));
        }
        List<JsonObject> warned = inv.logged("WARN", "unrecognised payload");
        v.check(warned.size() == unrecognised, unrecognised + " unrecognised payloads but " + warned.size() + " WARN lines");
        for (JsonObject line : warned) {
            v.check(line.string("problem") != null && !line.string("problem").isBlank(), "an unrecognised payload logged without its problem");
        }
        v.outcome = alarms > 0 && unrecognised > 0 ? "mixed (alarm + unrecognised)" : alarms > 0 ? "accepted"
                : unrecognised > 0 ? "rejected (sent as unrecognised alarm)" : checks > 0 ? "accepted (tunnel check)"
                : "ignored (documented skip)";
        return v;
    }

    private static boolean isNotificationCall(Sandbox.Call call) {
        return call.service().equals("slack") || call.service().equals("sns") || call.service().equals("ssm")
                || call.service().equals("secretsmanager");
    }

    // ---- VpnKeepaliveFunction -------------------------------------------------------------------------------------

    static Verdict keepaliveVerdict(Invocation inv) {
        Verdict v = common(inv);
        Probes probes = inv.harness().probes();
        if (inv.thrown() != null) {
            if (!(inv.thrown() instanceof InvalidInputException)) {
                v.outcome = "failed";
                v.problems.add("uncaught " + describe(inv.thrown()));
                return v;
            }
            v.outcome = "rejected";
            int sent = probes.port().awaitCount(inv.probesBefore() + 1, Duration.ofMillis(1)) - inv.probesBefore();
            v.check(sent == 0, "a rejected input sent " + sent + " probes");
            v.check(probes.pauses().isEmpty(), "a rejected input paused for a burst");
            v.count("action: keepalive probes", sent);
            List<JsonObject> errors = inv.logged("ERROR", "keepalive input rejected, no probe sent");
            v.check(errors.size() == 1 && errors.get(0).string("error") != null && !errors.get(0).string("error").isBlank(),
                    "a rejection without its ERROR line naming the problem");
            return v;
        }
        v.outcome = "accepted";
        JsonObject summary = Json.parseObject(inv.output(), "output");
        long rounds = summary.integer("rounds");
        v.check(rounds >= 1 && rounds <= 10, "rounds " + rounds + " outside 1..10");
        int sent = probes.port().awaitCount(inv.probesBefore() + (int) rounds, Duration.ofSeconds(3)) - inv.probesBefore();
        v.check(sent == rounds, rounds + " rounds but " + sent + " probes reached the target");
        v.count("action: keepalive probes", sent);
        v.count("rounds " + rounds, 1);
        v.check(probes.pauses().size() == rounds - 1 && probes.pauses().stream().allMatch(Duration.ofSeconds(1)::equals),
                rounds + " rounds but pauses " + probes.pauses());
        probes.pauses().clear();
        return v;
    }

    // ---- rules for every handler ----------------------------------------------------------------------------------

    private static Verdict common(Invocation inv) {
        Verdict v = new Verdict();
        v.check(inv.unreadableLog().isEmpty(), "log lines that are not JSON: " + inv.unreadableLog());
        v.check(inv.largestLogLine() <= MAX_LOG_LINE, "a log line of " + inv.largestLogLine()
                + " characters: CloudWatch Logs splits events over 256 KB, and a split line is no longer JSON");
        v.count("notification: slack post", inv.calls("slack", "post").size());
        v.count("notification: sns Publish", inv.calls("sns", "Publish").size());
        if (inv.thrown() != null) {
            v.count("thrown: " + inv.thrown().getClass().getSimpleName(), 1);
        }
        for (Sandbox.Call post : inv.calls("slack", "post")) {
            slackProblems(post.params(), false, "", v.problems);
        }
        // SNS's own limits, which the sandbox does not enforce: a Publish outside them would fail in AWS.
        for (Sandbox.Call publish : inv.calls("sns", "Publish")) {
            String subject = String.valueOf(publish.params().get("Subject"));
            v.check(SNS_SUBJECT.matcher(subject).matches(), "an SNS subject SNS would refuse: " + abbreviate(subject));
            int bytes = String.valueOf(publish.params().get("Message")).getBytes(StandardCharsets.UTF_8).length;
            v.check(bytes <= 256 * 1024, "an SNS message of " + bytes + " bytes, over SNS's 256 KB");
        }
        return v;
    }

    /** Mentions and links from input: only inside plain_text (where Slack parses none) may a '<' stand unescaped. */
    static void slackProblems(Object node, boolean plainText, String path, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            boolean plain = "plain_text".equals(map.get("type"));
            map.forEach((key, value) -> {
                String where = path + "." + key;
                if ("url".equals(key) && value instanceof String url && !CONSOLE_URL.matcher(url).matches()) {
                    problems.add("Slack button " + where + " links outside the AWS console: " + abbreviate(url));
                }
                slackProblems(value, plain && "text".equals(key), where, problems);
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                slackProblems(list.get(i), false, path + "[" + i + "]", problems);
            }
        } else if (node instanceof String text && !plainText && SLACK_CONTROL.matcher(text).find()) {
            java.util.regex.Matcher found = SLACK_CONTROL.matcher(text);
            found.find();
            int at = found.start();
            problems.add("unescaped Slack control sequence in " + path + ": ..."
                    + EventMutator.printable(text.substring(Math.max(0, at - 20), Math.min(text.length(), at + 30))) + "...");
        }
    }

    // ---- seeds ----------------------------------------------------------------------------------------------------

    static List<Seed> samples(String prefix) {
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".json"))
                    .sorted()
                    .map(f -> new Seed(f.getFileName().toString(), read(f)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Seed> foreign(String... files) {
        return Stream.of(files).map(f -> new Seed(f + " (foreign)", read(Path.of("events", f)))).toList();
    }

    /** An SQS batch holding every bare ECS sample, shaped like the records of ecs-sqs-batch.json. */
    static String sqsBatchOfEverySample(List<Seed> ecs) {
        Map<String, Object> template = EventMutator.castMap(
                EventMutator.castList(Json.parseObject(read(Path.of("events/ecs-sqs-batch.json")), "batch").asMap().get("Records")).get(0));
        List<Object> records = new ArrayList<>();
        for (Seed seed : ecs) {
            if (seed.name().contains("sqs")) {
                continue;
            }
            Map<String, Object> record = EventMutator.castMap(EventMutator.copy(template));
            record.put("messageId", "fuzz-" + records.size() + "-" + seed.name());
            record.put("body", Json.write(Json.parse(seed.text())));
            records.add(record);
        }
        return Json.write(Map.of("Records", records));
    }

    /** The two shapes the alarm handler skips by design, and an SNS event of several records. */
    static List<Seed> derivedAlarmSeeds() {
        Map<String, Object> change = EventMutator.castMap(EventMutator.copy(Json.parse(read(Path.of("events/vpn-alarm-eventbridge.json")))));
        change.put("detail-type", "CloudWatch Alarm Configuration Change");
        EventMutator.castMap(change.get("detail")).put("operation", "update");

        Map<String, Object> noData = EventMutator.castMap(EventMutator.copy(Json.parse(read(Path.of("events/vpn-alarm-eventbridge.json")))));
        Map<String, Object> detail = EventMutator.castMap(noData.get("detail"));
        EventMutator.castMap(detail.get("state")).put("value", "INSUFFICIENT_DATA");
        EventMutator.castMap(detail.get("previousState")).put("value", "INSUFFICIENT_DATA");

        Map<String, Object> sns = EventMutator.castMap(EventMutator.copy(Json.parse(read(Path.of("events/vpn-alarm-sns.json")))));
        List<Object> records = EventMutator.castList(sns.get("Records"));
        Map<String, Object> first = EventMutator.castMap(records.get(0));
        for (String state : List.of("OK", "INSUFFICIENT_DATA")) {
            Map<String, Object> record = EventMutator.castMap(EventMutator.copy(first));
            Map<String, Object> notification = EventMutator.castMap(record.get("Sns"));
            notification.put("MessageId", notification.get("MessageId") + "-" + state);
            Map<String, Object> message = EventMutator.castMap(EventMutator.copy(Json.parse((String) notification.get("Message"))));
            message.put("OldStateValue", message.get("NewStateValue"));
            message.put("NewStateValue", state);
            notification.put("Message", Json.write(message));
            records.add(record);
        }
        return List.of(new Seed("(alarm configuration change)", Json.write(change)),
                new Seed("(INSUFFICIENT_DATA -> INSUFFICIENT_DATA)", Json.write(noData)),
                new Seed("(SNS event of three records)", Json.write(sns)));
    }

    /** The ECS sections of several world files in one world. */
    static String mergedWorld(String... files) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String file : files) {
            Map<String, Object> world = Json.parseObject(read(Path.of("events/worlds", file)), file).mutableCopy();
            world.forEach((section, content) -> {
                Map<String, Object> target = EventMutator.castMap(merged.computeIfAbsent(section, s -> new LinkedHashMap<String, Object>()));
                EventMutator.castMap(content).forEach((key, value) -> {
                    if (value instanceof List<?> list) {
                        EventMutator.castList(target.computeIfAbsent(key, k -> new ArrayList<>())).addAll(list);
                    } else {
                        target.put(key, value);
                    }
                });
            });
        }
        return Json.write(merged);
    }

    // ---- small helpers --------------------------------------------------------------------------------------------

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Object lenientParse(Object text) {
        if (!(text instanceof String json)) {
            return null;
        }
        try {
            return Json.parse(json);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static List<Map<String, Object>> sqsRecords(Object root) {
        if (!(root instanceof Map<?, ?> map) || !(map.get("Records") instanceof List<?> list)) {
            return null;
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> record) {
                records.add(EventMutator.castMap(record));
            }
        }
        return records;
    }

    static String operations(List<Sandbox.Call> calls) {
        return calls.stream().map(c -> c.service() + "." + c.operation()).toList().toString();
    }

    static String describe(Throwable error) {
        StackTraceElement[] trace = error.getStackTrace();
        return error.getClass().getName() + ": " + abbreviate(String.valueOf(error.getMessage()))
                + (trace.length > 0 ? " at " + trace[0] : "");
    }

    static String abbreviate(String text) {
        return text == null ? "null" : EventMutator.printable(text, 300) + (text.length() > 300 ? "..." : "");
    }

    /** A well-spread seed per handler and mutant, so that any one mutant can be replayed alone. */
    static long mix(long seed, String handler, int index) {
        long z = seed ^ ((long) handler.hashCode() << 32) ^ index * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A clock that moves on by {@code step} each time it is read. */
    static final class SteppingClock extends Clock {
        private final Instant start;
        private final Duration step;
        private final AtomicLong ticks;

        SteppingClock(Instant start, Duration step, AtomicLong ticks) {
            this.start = start;
            this.step = step;
            this.ticks = ticks;
        }

        @Override
        public Instant instant() {
            return start.plus(step.multipliedBy(ticks.getAndIncrement()));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A loopback port that accepts and counts connections: the keepalive's probes. */
    static final class CountingPort implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger accepted = new AtomicInteger();

        CountingPort() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket connection = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "fuzz-probe-target");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int count() {
            return accepted.get();
        }

        /** The count once it reaches {@code expected}, or after {@code patience}: the acceptor runs on its own thread. */
        int awaitCount(int expected, Duration patience) {
            long deadline = System.nanoTime() + patience.toNanos();
            int last = accepted.get();
            while (last < expected && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
                last = accepted.get();
            }
            return last;
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing a listener on loopback
            }
        }
    }

    /** The counts of one handler's run, and the first broken rules with what reproduces them. */
    static final class Tally {
        final String handler;
        int mutants;
        int violations;
        int largestLogLine;
        Duration elapsed = Duration.ZERO;
        final Map<String, Integer> outcomes = new TreeMap<>();
        final Map<String, Integer> counters = new TreeMap<>();
        final Map<String, Integer> mutations = new TreeMap<>();
        final List<String> examples = new ArrayList<>();

        Tally(String handler) {
            this.handler = handler;
        }

        void add(int index, Seed seed, EventMutator.Mutant mutant, Invocation invocation, Verdict verdict) {
            mutants++;
            largestLogLine = Math.max(largestLogLine, invocation.largestLogLine());
            outcomes.merge(verdict.outcome, 1, Integer::sum);
            verdict.counters.forEach((k, n) -> counters.merge(k, n, Integer::sum));
            mutant.kinds().forEach(k -> mutations.merge(k.name().toLowerCase(), 1, Integer::sum));
            if (!verdict.problems.isEmpty()) {
                violations++;
                if (examples.size() < 10) {
                    examples.add("mutant " + index + " of " + seed.name() + ": " + abbreviate(mutant.describe()) + "\n  input: "
                            + abbreviate(mutant.text()) + "\n  broke: " + String.join("\n         ", verdict.problems)
                            + "\n  logged: " + String.join("\n          ", invocation.log().stream()
                                    .filter(l -> "ERROR".equals(l.string("level")) || "WARN".equals(l.string("level")))
                                    .map(l -> abbreviate(l.toString())).toList())
                            + "\n  replay: ./mvnw -B test -Dtest='FuzzTest#" + method() + "' -Dtidewatch.fuzz.seed=" + SEED
                            + " -Dtidewatch.fuzz.index=" + index);
                }
            }
        }

        private String method() {
            return Character.toLowerCase(handler.charAt(0)) + handler.substring(1);
        }

        String render() {
            StringBuilder out = new StringBuilder();
            out.append(handler).append(": ").append(mutants).append(" mutants in ")
                    .append(String.format("%.1f s", elapsed.toMillis() / 1000.0)).append(", ").append(violations).append(" broke a rule\n");
            out.append("  outcomes:  ").append(join(outcomes)).append('\n');
            Map<String, Integer> notifications = new TreeMap<>();
            Map<String, Integer> actions = new TreeMap<>();
            Map<String, Integer> other = new TreeMap<>();
            counters.forEach((k, n) -> (k.startsWith("notification: ") ? notifications : k.startsWith("action: ") ? actions : other)
                    .put(k.replaceFirst("^(notification|action): ", ""), n));
            out.append("  notifications: ").append(notifications.isEmpty() ? "none" : join(notifications)).append('\n');
            out.append("  actions: ").append(actions.isEmpty() ? "none" : join(actions)).append('\n');
            out.append("  details: ").append(join(other)).append('\n');
            out.append("  mutations applied: ").append(join(mutations)).append('\n');
            out.append("  largest log line: ").append(largestLogLine).append(" characters\n");
            for (String example : examples) {
                out.append("  VIOLATION ").append(example.replace("\n", "\n  ")).append('\n');
            }
            return out.toString();
        }

        private static String join(Map<String, Integer> counts) {
            List<String> parts = new ArrayList<>();
            counts.forEach((k, n) -> parts.add(k + " " + n));
            return String.join(", ", parts);
        }
    }

    /** A CreateTags of the keepalive's alarm (tidewatch.datacenter.ReachabilityReader#KEEPALIVE_UNREACHABLE_TAG), not a cooldown. */
    private static boolean isKeepaliveTag(Sandbox.Call call) {
        return String.valueOf(call.params().get("Tag")).contains(tidewatch.datacenter.ReachabilityReader.KEEPALIVE_UNREACHABLE_TAG);
    }
}

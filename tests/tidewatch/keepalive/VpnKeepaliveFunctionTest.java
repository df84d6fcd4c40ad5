package tidewatch.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.keepalive.LoopbackHosts.HOST;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.log.CapturedLog;

/** The handler end to end, against stand-in hosts on 127.0.0.1. */
class VpnKeepaliveFunctionTest {
    private static final Instant NOW = Instant.parse("2025-03-14T09:25:00.250Z");
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final LoopbackHosts hosts = new LoopbackHosts();

    @RegisterExtension
    final CapturedLog logged = new CapturedLog();
    private final List<Duration> sleeps = new ArrayList<>();


    @AfterEach
    void restore() throws Exception {
        hosts.close();
    }

    @Test
    void aScheduledRoundReportsEveryTargetAndPublishesMetrics() throws Exception {
        String open = HOST + ":" + hosts.openPort().port();
        String refused = HOST + ":" + hosts.refusedPort();
        String silent = HOST + ":" + hosts.blackholedPort();
        String web = "http://" + HOST + ":" + hosts.httpServer(503, new ArrayList<>()) + "/health";

        JsonObject summary = invoke(function(open, refused, silent, web), Files.readString(Path.of("events/keepalive-scheduled.json")), null);

        assertEquals(1L, summary.integer("rounds"));
        assertEquals(3L, summary.integer("reachable"));
        assertEquals(1L, summary.integer("unreachable"));
        List<JsonObject> targets = summary.objects("targets");
        assertEquals(List.of(open, refused, silent, web), targets.stream().map(t -> t.string("target")).toList());
        assertEquals(List.of("connected", "refused", "timeout", "http 503"), targets.stream().map(t -> t.string("outcome")).toList());
        assertEquals(List.of(true, true, false, true), targets.stream().map(t -> t.bool("reachable")).toList());
        assertTrue(targets.get(2).integer("latencyMs") >= 250, targets.get(2).toString());

        List<JsonObject> metrics = emf();
        assertEquals(5, metrics.size(), logged.toString());
        for (int i = 0; i < 4; i++) {
            JsonObject record = metrics.get(i);
            JsonObject definition = definition(record);
            boolean reachable = targets.get(i).bool("reachable");
            assertEquals("Tidewatch/Test", definition.string("Namespace"));
            assertEquals(List.of(List.of("Target")), definition.array("Dimensions"));
            assertEquals(targets.get(i).string("target"), record.string("Target"));
            assertEquals(NOW.toEpochMilli(), definition(record).integer("Timestamp"));
            assertEquals(reachable ? 1L : 0L, record.integer("Reachable"));
            List<Map<String, Object>> expected = reachable
                    ? List.of(Map.of("Name", "Reachable", "Unit", "Count"), Map.of("Name", "LatencyMs", "Unit", "Milliseconds"))
                    : List.of(Map.of("Name", "Reachable", "Unit", "Count"));
            assertEquals(expected, definition.array("Metrics"));
            assertEquals(reachable ? targets.get(i).integer("latencyMs") : null, record.integer("LatencyMs"));
        }
        JsonObject run = metrics.get(4);
        assertEquals(List.of(List.of()), definition(run).array("Dimensions"));
        assertEquals(List.of(Map.of("Name", "ReachableTargets", "Unit", "Count"), Map.of("Name", "UnreachableTargets", "Unit", "Count")),
                definition(run).array("Metrics"));
        assertEquals(3L, run.integer("ReachableTargets"));
        assertEquals(1L, run.integer("UnreachableTargets"));
        assertFalse(run.has("Target"));

        List<JsonObject> rounds = logLines("keepalive round");
        assertEquals(1, rounds.size());
        assertEquals("INFO", rounds.get(0).string("level"));
        assertEquals("schedule", rounds.get(0).string("source"));
        assertEquals(3L, rounds.get(0).integer("reachable"));
        assertTrue(rounds.get(0).objects("targets").get(2).string("detail").contains("SocketTimeoutException"));
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void anUnreachableOnlyRoundReportsZeroReachableTargets() throws Exception {
        JsonObject summary = invoke(function(HOST + ":" + hosts.blackholedPort()), "{}", null);

        assertEquals(0L, summary.integer("reachable"));
        assertEquals(0L, emf().get(1).integer("ReachableTargets"));
        assertEquals(1L, emf().get(1).integer("UnreachableTargets"));
    }

    @Test
    void probesRunConcurrently() throws Exception {
        VpnKeepaliveFunction function = function(HOST + ":" + hosts.blackholedPort(), HOST + ":" + hosts.blackholedPort(),
                HOST + ":" + hosts.blackholedPort());

        long started = System.nanoTime();
        JsonObject summary = invoke(function, "{}", null);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(3L, summary.integer("unreachable"));
        assertTrue(elapsed >= 300 && elapsed < 900, "three 300 ms probes took " + elapsed + " ms");
        // Each waited out its own timeout: run one after another, the later ones would find the budget spent.
        for (JsonObject target : summary.objects("targets")) {
            assertTrue(target.integer("latencyMs") >= 250, target.toString());
        }
    }

    @Test
    void aBurstRunsNRoundsASecondApart() throws Exception {
        LoopbackHosts.OpenPort open = hosts.openPort();

        JsonObject summary = invoke(function(HOST + ":" + open.port()), Files.readString(Path.of("events/keepalive-burst.json")), null);

        assertEquals(3L, summary.integer("rounds"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), sleeps);
        assertEquals(3, logLines("keepalive round").size());
        assertEquals(6, emf().size());
        awaitAccepted(open, 3);
    }

    @Test
    void aBurstAboveTenIsClampedToTenAndSaysSo() throws Exception {
        JsonObject summary = invoke(function(HOST + ":" + hosts.openPort().port()), "{\"burst\": 25}", null);

        assertEquals(10L, summary.integer("rounds"));
        assertEquals(9, sleeps.size());
        JsonObject warning = logLines("keepalive burst clamped").get(0);
        assertEquals("WARN", warning.string("level"));
        assertEquals(25L, warning.integer("requested"));
    }

    @Test
    void aBurstBelowOneRunsOneRound() throws Exception {
        JsonObject summary = invoke(function(HOST + ":" + hosts.openPort().port()), "{\"burst\": 0}", null);

        assertEquals(1L, summary.integer("rounds"));
        assertTrue(sleeps.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "[1]", "{\"burst\": 2.5}", "{\"burst\": \"3\"}", "{\"key1\": \"value1\"}"})
    void rejectedInputSendsNoProbe(String input) throws Exception {
        ServerSocket idle = hosts.idlePort();
        VpnKeepaliveFunction function = function(HOST + ":" + idle.getLocalPort());

        assertThrows(InvalidInputException.class, () -> invoke(function, input, null));

        assertFalse(LoopbackHosts.probed(idle), "a probe reached the target");
        assertTrue(emf().isEmpty(), logged.toString());
        assertEquals("ERROR", logLines("keepalive input rejected, no probe sent").get(0).string("level"));
    }

    @Test
    void theRoundIsBoundedByTheTimeTheInvocationHasLeft() throws Exception {
        // A 3 s timeout, but only 1.3 s left: the probe gets 1.3 s minus the 1 s kept back for reporting.
        VpnKeepaliveFunction function = function(Duration.ofSeconds(3), HOST + ":" + hosts.blackholedPort());

        long started = System.nanoTime();
        JsonObject summary = invoke(function, "{}", new RemainingTime(1_300));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals("timeout", summary.objects("targets").get(0).string("outcome"));
        assertTrue(elapsed >= 290 && elapsed < 800, "took " + elapsed + " ms with 300 ms to spare");
    }

    @Test
    void aBurstStopsEarlyWhenAnotherRoundWouldNotFit() throws Exception {
        String open = HOST + ":" + hosts.openPort().port();

        // Another round needs the pause, the timeout, the margin and the reserve: 1 s + 300 ms + 250 ms + 1 s.
        JsonObject cut = invoke(function(open), "{\"burst\": 3}", new RemainingTime(2_500));
        JsonObject whole = invoke(function(open), "{\"burst\": 3}", new RemainingTime(2_600));

        assertEquals(1L, cut.integer("rounds"));
        assertEquals(3L, whole.integer("rounds"));
        assertEquals(1, logLines("keepalive burst stopped early: too little time left").size());
    }

    private VpnKeepaliveFunction function(String... targets) {
        return function(TIMEOUT, targets);
    }

    private VpnKeepaliveFunction function(Duration timeout, String... targets) {
        List<KeepaliveTarget> parsed = List.of(targets).stream().map(KeepaliveTarget::parse).toList();
        return new VpnKeepaliveFunction(new KeepaliveSettings(parsed, timeout, "Tidewatch/Test"),
                Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add);
    }

    private static JsonObject invoke(VpnKeepaliveFunction function, String input, Context context) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, context);
        return Json.parseObject(output.toString(StandardCharsets.UTF_8), "summary");
    }

    private List<JsonObject> lines() {
        return logged.text().lines().map(line -> Json.parseObject(line, "log line")).toList();
    }

    private List<JsonObject> emf() {
        return lines().stream().filter(line -> line.has("_aws")).toList();
    }

    private List<JsonObject> logLines(String message) {
        return lines().stream().filter(line -> message.equals(line.string("message"))).toList();
    }

    private static JsonObject definition(JsonObject record) {
        JsonObject aws = record.object("_aws");
        List<JsonObject> definitions = aws.objects("CloudWatchMetrics");
        assertEquals(1, definitions.size());
        Map<String, Object> merged = new java.util.LinkedHashMap<>(definitions.get(0).asMap());
        merged.put("Timestamp", aws.integer("Timestamp"));
        return JsonObject.of(merged, "definition");
    }

    private static void awaitAccepted(LoopbackHosts.OpenPort open, int expected) throws InterruptedException {
        // The handshake completes in the kernel; the fixture's accept loop may still be catching up.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (open.accepted().get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, open.accepted().get());
    }

    /** A Lambda context that only knows how much time is left. */
    private record RemainingTime(int millis) implements Context {
        @Override public int getRemainingTimeInMillis() { return millis; }
        @Override public String getAwsRequestId() { return "test-request"; }
        @Override public String getLogGroupName() { return "/aws/lambda/tidewatch-VpnKeepalive"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "tidewatch-VpnKeepalive"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:tidewatch-VpnKeepalive"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getMemoryLimitInMB() { return 256; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}

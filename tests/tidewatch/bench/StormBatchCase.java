package tidewatch.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tidewatch.json.Json;
import tidewatch.local.CloudFormationTemplate;
import tidewatch.local.FunctionJvm;
import tidewatch.local.Sandbox;
import tidewatch.local.World;

/**
 * {@code bin/benchmark}'s storm of 500 stops in one SQS batch ({@link StormBatch}), through EcsTaskStateFunction in
 * fresh JVMs ({@link StormBatchProcess}), against a sandbox that answers every call normally (Slack and SNS
 * included) and runs in the benchmark's own JVM, so that its record of the calls can be read per run:
 * <ul>
 *   <li><b>500, primed</b>: the handler built, its SnapStart hook run, then the batch as the first invocation, which
 *       is what a container restored from the snapshot does (the restore itself excepted). Its figures carry the
 *       targets: own time (the invocation minus the sandbox's handling time of its calls) under 1 s, the AWS calls
 *       by operation, the messages, peak RSS;</li>
 *   <li><b>500, cold</b>: the same without the hook (a container without SnapStart), for information;</li>
 *   <li><b>5,000, primed</b>: ten batches of 500 distinct stops, one after another in one JVM (a warm container):
 *       the own time per stop of each batch, which must not grow.</li>
 * </ul>
 * Each run gets a fresh sandbox on the same world, so no run sees another's calls or effects; an untimed run of the
 * first batch goes first.
 */
final class StormBatchCase {
    static final double OWN_TIME_TARGET_MS = 1000;
    static final double PEAK_RSS_TARGET_MIB = Benchmark.PEAK_RSS_TARGET_MIB;
    static final int BATCHES = 10;
    /**
     * How much more a late batch may take per stop than the first warm one: identical batches in one JVM vary by up
     * to about a third on this shared 2-core machine (GC pauses, the other engineer's builds), and a leak or a
     * per-container list that grows with every stop would double the time by the tenth batch.
     */
    static final double GROWTH_TOLERANCE = 1.5;
    /** The batches whose median is compared with the first warm batch. */
    static final int LAST_BATCHES = 3;
    private static final Pattern MESSAGE_KEY = Pattern.compile("\\) key: (\\S+)\\s*$");

    /** Starts a storm JVM: {@code mainClass args} with the ECS function's environment pointed at {@code sandbox}. */
    interface Launcher {
        Benchmark.Sample launch(String label, URI sandbox, String mainClass, String... args) throws Exception;
    }

    /** One storm JVM's report and the calls its sandbox received. */
    record StormRun(String label, Benchmark.Sample sample, List<Sandbox.Call> calls) {
        double[] ownMs() {
            List<Object> total = sample.result().array("totalNanos");
            List<Object> sandbox = sample.result().array("sandboxNanos");
            double[] own = new double[total.size()];
            for (int i = 0; i < own.length; i++) {
                own[i] = (((Number) total.get(i)).longValue() - ((Number) sandbox.get(i)).longValue()) / 1e6;
            }
            return own;
        }

        double totalMs(int batch) {
            return ((Number) sample.result().array("totalNanos").get(batch)).longValue() / 1e6;
        }

        long recordsReturned() {
            return sample.result().array("recordsReturned").stream().mapToLong(v -> ((Number) v).longValue()).sum();
        }

        double peakMiB() {
            return sample.peakMiB();
        }
    }

    /** The lines printed and whether every target was met. */
    record Result(List<String> lines, boolean pass) {}

    private StormBatchCase() {}

    static Result run(Launcher launcher, CloudFormationTemplate template, Path out) throws Exception {
        Path dir = out.resolve("storm-batch");
        Files.createDirectories(dir);
        StormBatch.Storm storm = StormBatch.build(BATCHES);
        List<String> files = new ArrayList<>();
        for (int b = 0; b < storm.batches().size(); b++) {
            Path file = dir.resolve("batch-" + (b + 1) + ".json");
            Files.writeString(file, Json.write(storm.batches().get(b)), StandardCharsets.UTF_8);
            files.add(file.toAbsolutePath().toString());
        }
        String world = Json.write(storm.world());
        String handler = template.functionHandler("EcsTaskStateFunction");
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;

        // One untimed run first: the sandbox's server in this JVM, cold, parses and hands off requests slowly, outside
        // the handling time it counts, which would land in the first run's own time (and the page cache is cold).
        run(launcher, template, world, "storm-warmup", className, "primed", files.subList(0, 1));
        StormRun primed = run(launcher, template, world, "storm-500-primed", className, "primed", files.subList(0, 1));
        StormRun cold = run(launcher, template, world, "storm-500-cold", className, "cold", files.subList(0, 1));
        StormRun series = run(launcher, template, world, "storm-5000-primed", className, "primed", files);
        return report(primed, cold, series, dir);
    }

    private static StormRun run(Launcher launcher, CloudFormationTemplate template, String world, String label,
                                String className, String mode, List<String> files) throws Exception {
        try (Sandbox sandbox = Sandbox.start(FunctionJvm.declareTemplateResources(World.parse(world), template, Map.of()))) {
            List<String> args = new ArrayList<>(List.of(className, Benchmark.Run.resultFile(label).toString(), mode));
            args.addAll(files);
            Benchmark.Sample sample = launcher.launch(label, sandbox.endpoint(), StormBatchProcess.class.getName(), args.toArray(String[]::new));
            return new StormRun(label, sample, sandbox.calls());
        }
    }

    private static Result report(StormRun primed, StormRun cold, StormRun series, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        int stops = StormBatch.stopsPerBatch();
        Map<String, Integer> byOperation = byOperation(primed.calls());
        double own = primed.ownMs()[0];
        lines.add(String.format(Locale.ROOT, "storm-500: one SQS batch of %d stops (%s) through EcsTaskStateFunction, sandbox answering normally",
                stops, mixText()));
        lines.add(String.format(Locale.ROOT, "  primed (SnapStart path): own time %.0f ms (invocation %.0f ms less the sandbox's %.0f ms), peak RSS %.0f MiB,"
                        + " records returned %d", own, primed.totalMs(0), primed.totalMs(0) - own, primed.peakMiB(), primed.recordsReturned()));
        lines.add(String.format(Locale.ROOT, "  cold (no SnapStart hook, for information): own time %.0f ms (invocation %.0f ms), peak RSS %.0f MiB",
                cold.ownMs()[0], cold.totalMs(0), cold.peakMiB()));
        lines.add("  AWS calls by operation: " + byOperation);
        List<String> keys = messageKeys(primed.calls());
        int slack = byOperation.getOrDefault("slack post", 0);
        lines.add(String.format(Locale.ROOT, "  messages sent: slack %d, sns %d; keys %s", slack, keys.size(), keys));

        List<String> verdicts = new ArrayList<>();
        boolean pass = verdict(verdicts, own < OWN_TIME_TARGET_MS && primed.recordsReturned() == 0, String.format(Locale.ROOT,
                "storm-500 own time %.0f ms < %.0f ms for %d stops (first invocation after priming; records returned %d)",
                own, OWN_TIME_TARGET_MS, stops, primed.recordsReturned()));
        int recordReads = describeTasks(primed.calls(), true);
        int historyReads = describeTasks(primed.calls(), false);
        int listTasks = byOperation.getOrDefault("ecs ListTasks", 0);
        pass &= verdict(verdicts, describeTasksWithin(recordReads, historyReads, listTasks, stops), String.format(Locale.ROOT,
                "storm-500 DescribeTasks %d: %d reading the batch's task records (%d standalone stops, 100 a call) <= ceil(%d/100) = %d, "
                        + "and %d reading stopped-task history <= one per ListTasks page (%d)",
                recordReads + historyReads, recordReads, StormBatch.standaloneStopsPerBatch(), stops, ceilHundreds(stops),
                historyReads, listTasks));
        Map<String, Integer> listed = listTasksByService(primed.calls());
        pass &= verdict(verdicts, oncePerService(listed, StormBatch.servicesWithAbnormalStops()), String.format(Locale.ROOT,
                "storm-500 ListTasks once per service with an abnormal stop: %s (expected each of %s once)", listed,
                StormBatch.servicesWithAbnormalStops()));
        Set<String> expected = StormBatch.expectedMessageKeys();
        pass &= verdict(verdicts, onePerKey(keys, expected) && slack == expected.size(), String.format(Locale.ROOT,
                "storm-500 one message per service and cause: %d on Slack, %d on SNS for %d abnormal service/family+cause groups",
                slack, keys.size(), expected.size()));
        pass &= verdict(verdicts, primed.peakMiB() < PEAK_RSS_TARGET_MIB, String.format(Locale.ROOT,
                "storm-500 peak resident memory %.0f MiB < %.0f MiB", primed.peakMiB(), PEAK_RSS_TARGET_MIB));

        double[] perStop = Arrays.stream(series.ownMs()).map(ms -> ms / stops).toArray();
        double late = lateMedian(perStop);
        lines.add(String.format(Locale.ROOT, "storm-5000: %d batches of %d distinct stops in one primed JVM, own ms per stop by batch: %s;"
                        + " peak RSS %.0f MiB; AWS calls %d; records returned %d", perStop.length, stops, joined(perStop), series.peakMiB(),
                series.calls().size(), series.recordsReturned()));
        pass &= verdict(verdicts, noGrowth(perStop) && series.recordsReturned() == 0, String.format(Locale.ROOT,
                "storm-5000 no growth: median of the last %d batches %.3f ms per stop <= %.1f x the first warm batch's (batch 2) %.3f ms",
                LAST_BATCHES, late, GROWTH_TOLERANCE, perStop.length > 1 ? perStop[1] : Double.NaN));
        lines.addAll(verdicts);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stopsPerBatch", stops);
        json.put("primedOwnMs", round(own));
        json.put("primedInvocationMs", round(primed.totalMs(0)));
        json.put("primedPeakRssMiB", round(primed.peakMiB()));
        json.put("coldOwnMs", round(cold.ownMs()[0]));
        json.put("coldInvocationMs", round(cold.totalMs(0)));
        json.put("coldPeakRssMiB", round(cold.peakMiB()));
        json.put("callsByOperation", byOperation);
        json.put("messageKeys", keys);
        json.put("seriesOwnMsPerStop", Arrays.stream(perStop).map(StormBatchCase::round).boxed().toList());
        json.put("seriesPeakRssMiB", round(series.peakMiB()));
        json.put("pass", pass);
        Files.writeString(dir.resolve("results.json"), Json.writePretty(json), StandardCharsets.UTF_8);
        lines.add("storm-batch details: " + dir.resolve("results.json") + ", the JVMs' logs: "
                + Benchmark.Run.resultFile(primed.label()).getParent() + "/storm-*.log");
        return new Result(lines, pass);
    }

    private static boolean verdict(List<String> verdicts, boolean pass, String text) {
        verdicts.add((pass ? "PASS " : "FAIL ") + text);
        return pass;
    }

    /** Calls counted by "service Operation", sorted. */
    static Map<String, Integer> byOperation(List<Sandbox.Call> calls) {
        Map<String, Integer> counts = new TreeMap<>();
        calls.forEach(call -> counts.merge(call.service() + " " + call.operation(), 1, Integer::sum));
        return counts;
    }

    /** DescribeTasks calls with tags (the batch's own task records, read ahead) or without (the stopped-task history). */
    static int describeTasks(List<Sandbox.Call> calls, boolean withTags) {
        return (int) calls.stream().filter(c -> c.service().equals("ecs") && c.operation().equals("DescribeTasks"))
                .filter(c -> String.valueOf(c.params().get("include")).contains("TAGS") == withTags).count();
    }

    /**
     * The batch's own task records at most one DescribeTasks per 100 stops of the batch, and the stopped-task history
     * one DescribeTasks per ListTasks page at most.
     */
    static boolean describeTasksWithin(int recordReads, int historyReads, int listTasks, int stops) {
        return recordReads <= ceilHundreds(stops) && historyReads <= listTasks;
    }

    static int ceilHundreds(int n) {
        return (n + 99) / 100;
    }

    /** ListTasks calls by the service they list. */
    static Map<String, Integer> listTasksByService(List<Sandbox.Call> calls) {
        Map<String, Integer> counts = new TreeMap<>();
        calls.stream().filter(c -> c.service().equals("ecs") && c.operation().equals("ListTasks"))
                .forEach(c -> counts.merge(String.valueOf(c.params().get("serviceName")), 1, Integer::sum));
        return counts;
    }

    static boolean oncePerService(Map<String, Integer> listed, Set<String> services) {
        return listed.keySet().equals(services) && listed.values().stream().allMatch(n -> n == 1);
    }

    /** The keys of the messages published to SNS, in order: each message's body ends with its key. */
    static List<String> messageKeys(List<Sandbox.Call> calls) {
        List<String> keys = new ArrayList<>();
        for (Sandbox.Call call : calls) {
            if (call.service().equals("sns") && call.operation().equals("Publish")) {
                Matcher key = MESSAGE_KEY.matcher(String.valueOf(call.params().get("Message")));
                keys.add(key.find() ? key.group(1) : "(no key)");
            }
        }
        return keys;
    }

    /** Every expected key exactly once, and no other. */
    static boolean onePerKey(List<String> keys, Set<String> expected) {
        return keys.size() == expected.size() && Set.copyOf(keys).equals(expected);
    }

    /** The median per-stop time of the last {@link #LAST_BATCHES} batches. */
    static double lateMedian(double[] perStop) {
        return Benchmark.median(Arrays.copyOfRange(perStop, Math.max(1, perStop.length - LAST_BATCHES), perStop.length));
    }

    /** No growth: the last batches' median per-stop time within {@link #GROWTH_TOLERANCE} of the first warm batch's. */
    static boolean noGrowth(double[] perStop) {
        return perStop.length > LAST_BATCHES && lateMedian(perStop) <= GROWTH_TOLERANCE * perStop[1];
    }

    private static String mixText() {
        List<String> kinds = new ArrayList<>();
        for (StormBatch.Kind kind : StormBatch.MIX) {
            kinds.add(kind.perBatch() + " " + kind.group() + " " + kind.cause());
        }
        return String.join(", ", kinds);
    }

    private static String joined(double[] values) {
        List<String> texts = new ArrayList<>();
        for (double value : values) {
            texts.add(String.format(Locale.ROOT, "%.3f", value));
        }
        return String.join(" ", texts);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}

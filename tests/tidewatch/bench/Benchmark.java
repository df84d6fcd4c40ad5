package tidewatch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.TimeUnit;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.CloudFormationTemplate;
import tidewatch.local.FunctionJvm;

/**
 * {@code bin/benchmark [--samples N] [--warm N] [--function ID ...] [--jvm-option OPTION ...] [--no-primed]
 * [--memory MB] [--storm-crashes N] [--storm-only] [--storm-batch]}: cold start against each function's floor, the
 * first invocation after SnapStart priming, warm latency and memory of each function, a storm of 500 stops in one
 * SQS batch and of 5,000 in ten, and a storm with SNS hung.
 *
 * <p>Each sample of each function is a fresh JVM started the way the local runner starts one (the template's
 * environment and JAVA_TOOL_OPTIONS, the managed runtime's JVM options), against a sandbox that runs in a process of
 * its own. The JVM reports init (JVM start to handler constructed), the first invocation, {@code --warm} more
 * invocations with the sandbox's own handling time of each, and its peak resident memory (VmHWM). Each sample also
 * runs the baseline (a bare JVM that builds one SDK client and makes one call), each function's floors
 * ({@link FloorProcess}: the function's AWS calls without its logic, measured like the baseline) and a primed JVM of
 * each function (the SnapStart hook between init and the first invocation). Medians over the samples are compared
 * with the targets (issue 18): init+first within {@value #FLOOR_RATIO_TARGET} x the function's floor (the median of
 * the per-sample ratios), the first invocation after priming within {@value #FIRST_PRIMED_TARGET_MS} ms, the warm
 * median and the peak RSS; the ratio to the baseline is printed for information. Then the {@link StormBatchCase}
 * (500 stops in one batch, 5,000 in ten; {@code --storm-batch} runs it alone) and the {@link StormCase} (a batch of
 * crashes with SNS hung, {@code --storm-crashes}, 15 by default; {@code --storm-only} runs it alone).
 * {@code --memory MB} runs every measured JVM as a function of that memory size ({@link CpuShare}: MaxRAM and heap,
 * and Lambda's CPU share where a quota can be set). The exit status is 1 when a target is missed or a storm fails.
 */
public final class Benchmark {
    static final String USAGE = "usage: bin/benchmark [--samples N] [--warm N] [--function ID ...] [--jvm-option OPTION ...] [--no-primed]"
            + " [--memory MB] [--storm-crashes N] [--storm-only] [--storm-batch]";
    /** Init+first of a function within this many times its floor's (issue 18; the 1.3 x baseline of before is information now). */
    static final double FLOOR_RATIO_TARGET = 1.05;
    /** The first invocation after SnapStart priming, for the functions with a floor (ECS and VPN alarm). */
    static final double FIRST_PRIMED_TARGET_MS = 50.0;
    static final double WARM_MEDIAN_TARGET_MS = 5.0;
    static final double PEAK_RSS_TARGET_MIB = 160.0;
    private static final Path OUT = Path.of("target", "benchmark");
    private static final int CHILD_TIMEOUT_SECONDS = 300;
    static final List<String> FUNCTIONS = List.of("EcsTaskStateFunction", "VpnAlarmFunction", "VpnKeepaliveFunction");

    /**
     * A function under test: its sample event, the world its sandbox answers from, and the {@link FloorProcess}
     * floors measured with it, the first of them all of its AWS calls.
     */
    record Workload(String function, Path event, Path world, Map<String, String> env, List<String> floors) {}

    /** One JVM's report, with the parent's clock reading just before it started the process. */
    record Sample(String kind, long spawned, JsonObject result) {
        double ms(String from, String to) {
            return (result.integer(to) - (from == null ? spawned : result.integer(from))) / 1e6;
        }

        double initMs() {
            return ms(null, "ready");
        }

        double firstMs() {
            return ms("firstStart", "firstDone");
        }

        /** Init plus first invocation; for the baseline, JVM start to the call's answer. */
        double coldMs() {
            return result.has("ready") ? initMs() + firstMs() : ms(null, "firstDone");
        }

        double peakMiB() {
            return result.integer("peakKiB") / 1024.0;
        }

        String error() {
            return result.string("error");
        }
    }

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        int samples = 5;
        int warm = 1000;
        boolean primed = true;
        int stormCrashes = StormCase.DEFAULT_CRASHES;
        boolean stormOnly = false;
        boolean stormBatchOnly = false;
        Integer memory = null;
        List<String> only = new ArrayList<>();
        List<String> jvmOptions = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--samples" -> samples = positive(value(args, ++i), "--samples");
                    case "--warm" -> warm = Integer.parseInt(value(args, ++i));
                    case "--function" -> only.add(value(args, ++i));
                    case "--jvm-option" -> jvmOptions.add(value(args, ++i));
                    case "--no-primed" -> primed = false;
                    case "--storm-crashes" -> stormCrashes = positive(value(args, ++i), "--storm-crashes");
                    case "--storm-only" -> stormOnly = true;
                    case "--storm-batch" -> stormBatchOnly = true;
                    case "--memory" -> memory = positive(value(args, ++i), "--memory");
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (warm < 0) {
                throw new IllegalArgumentException("--warm must be 0 or more");
            }
            for (String function : only) {
                if (!FUNCTIONS.contains(function)) {
                    throw new IllegalArgumentException("--function " + function + ": expected one of " + FUNCTIONS);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        boolean pass = true;
        if (!stormOnly) {
            try (CpuShare cpu = memory == null ? null : CpuShare.of(memory)) {
                Run run = new Benchmark.Run(samples, warm, primed, only, jvmOptions, memory, cpu);
                pass = stormBatchOnly || run.run() == 0;
                if (stormBatchOnly || only.isEmpty() || only.contains("EcsTaskStateFunction")) {
                    pass &= run.stormBatch();
                }
            }
        }
        if (!stormBatchOnly) {
            StormCase.Result storm = StormCase.run(stormCrashes, OUT);
            System.out.println(storm.text());
            System.out.println("storm details: " + OUT.resolve("storm-sns-hung.json") + ", its log: " + OUT.resolve("storm-sns-hung.log"));
            pass &= storm.pass();
        }
        System.exit(pass ? 0 : 1);
    }

    private static int positive(String text, String option) {
        int value = Integer.parseInt(text);
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be 1 or more");
        }
        return value;
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    /** One benchmark run: sandboxes and keepalive target up, samples taken, report printed. */
    static final class Run {
        private final int samples;
        private final int warm;
        private final boolean primed;
        private final List<String> only;
        private final List<String> jvmOptions;
        private final Integer memory; // null: the template's MemorySize
        private final CpuShare cpu; // null: the machine's CPUs
        private final CloudFormationTemplate template = CloudFormationTemplate.load(Path.of("template.yaml"));
        private final String functionClasspath = System.getProperty("tidewatch.bench.classpath", System.getProperty("java.class.path"));
        private final List<Process> sandboxes = new ArrayList<>();

        Run(int samples, int warm, boolean primed, List<String> only, List<String> jvmOptions, Integer memory, CpuShare cpu) {
            this.samples = samples;
            this.warm = warm;
            this.primed = primed;
            this.only = only;
            this.jvmOptions = jvmOptions;
            this.memory = memory;
            this.cpu = cpu;
        }

        /** The storm of 500 stops in one batch and 5,000 in ten ({@link StormBatchCase}); prints its figures and verdicts. */
        boolean stormBatch() throws Exception {
            Files.createDirectories(OUT.resolve("logs"));
            String load = loadAverage();
            StormBatchCase.Result result = StormBatchCase.run((label, sandbox, mainClass, args) -> run("storm",
                    jvm(memory("EcsTaskStateFunction"), mainClass, args), environment("EcsTaskStateFunction", sandbox), label), template, OUT);
            System.out.println();
            System.out.println("load average (1, 5, 15 min): " + load + " before the storm-batch case, " + loadAverage() + " after"
                    + (cpu == null ? "" : "; " + cpu.describe()));
            result.lines().forEach(System.out::println);
            return result.pass();
        }

        /** The memory size a function's JVM is run as: {@code --memory}, else the template's. */
        private int memory(String function) {
            return memory != null ? memory : FunctionJvm.memorySize(template, function);
        }

        /** The function's environment against the sandbox, with {@code --memory}'s size where given. */
        private Map<String, String> environment(String function, URI sandbox) {
            Map<String, String> env = FunctionJvm.environment(template, function, Map.of(), sandbox);
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory(function)));
            return env;
        }

        int run() throws Exception {
            Files.createDirectories(OUT.resolve("logs"));
            long started = System.nanoTime();
            String loadBefore = loadAverage();
            try (ServerSocket keepaliveTarget = keepaliveTarget()) {
                URI empty = startSandbox(null);
                List<Workload> workloads = new ArrayList<>(List.of(
                        new Workload("EcsTaskStateFunction", Path.of("events/ecs-service-task-crashed.json"),
                                Path.of("events/worlds/web-crash-loop.json"), Map.of(), List.of("ecs")),
                        new Workload("VpnAlarmFunction", Path.of("events/vpn-alarm-eventbridge.json"),
                                Path.of("events/worlds/vpn-one-tunnel-down.json"), Map.of(), List.of("vpn", "vpn-telemetry")),
                        new Workload("VpnKeepaliveFunction", Path.of("events/keepalive-scheduled.json"), null,
                                Map.of("KEEPALIVE_TARGETS", "127.0.0.1:" + keepaliveTarget.getLocalPort()), List.of())));
                workloads.removeIf(w -> !only.isEmpty() && !only.contains(w.function()));
                Map<String, URI> endpoints = new LinkedHashMap<>();
                for (Workload workload : workloads) {
                    endpoints.put(workload.function(), workload.world() == null ? empty : startSandbox(workload.world()));
                }
                Map<String, String> baselineEnv = environment("EcsTaskStateFunction", empty);

                System.err.printf(Locale.ROOT, "benchmark: %d samples, %d warm invocations per JVM, functions %s%n",
                        samples, warm, workloads.stream().map(Workload::function).toList());
                // One untimed round first, so that the first sample does not pay for a cold page cache.
                runBaseline(baselineEnv, "warmup-baseline");
                for (Workload workload : workloads) {
                    runFunction(workload, endpoints.get(workload.function()), 0, false, "warmup-" + workload.function());
                }

                List<Sample> baseline = new ArrayList<>();
                Map<String, List<Sample>> cold = new LinkedHashMap<>();
                Map<String, List<Sample>> primedSamples = new LinkedHashMap<>();
                Map<String, Map<String, List<Sample>>> floors = new LinkedHashMap<>();
                for (int i = 1; i <= samples; i++) {
                    System.err.printf(Locale.ROOT, "benchmark: sample %d of %d%n", i, samples);
                    baseline.add(runBaseline(baselineEnv, "baseline-" + i));
                    for (Workload workload : workloads) {
                        URI endpoint = endpoints.get(workload.function());
                        // Floors first: nearer the baseline JVM they are paired with, before the warm loop heats the machine.
                        for (String floor : workload.floors()) {
                            floors.computeIfAbsent(workload.function(), k -> new LinkedHashMap<>()).computeIfAbsent(floor, k -> new ArrayList<>())
                                    .add(runFloor(workload, floor, endpoint, workload.function() + "-floor-" + floor + "-" + i));
                        }
                        cold.computeIfAbsent(workload.function(), k -> new ArrayList<>())
                                .add(runFunction(workload, endpoint, warm, false, workload.function() + "-" + i));
                        if (primed) {
                            primedSamples.computeIfAbsent(workload.function(), k -> new ArrayList<>())
                                    .add(runFunction(workload, endpoint, 0, true, workload.function() + "-primed-" + i));
                        }
                    }
                }
                return new Report(samples, warm, baseline, cold, primedSamples, floors, template, jvmOptions,
                        (System.nanoTime() - started) / 1e9, loadBefore + " before, " + loadAverage() + " after",
                        memory, cpu == null ? null : cpu.describe()).print();
            } finally {
                for (Process sandbox : sandboxes) {
                    sandbox.getOutputStream().close(); // the server stops when its standard input closes
                    if (!sandbox.waitFor(5, TimeUnit.SECONDS)) {
                        sandbox.destroy();
                    }
                }
            }
        }

        /** A loopback port that accepts connections and closes them: the keepalive's TCP target. */
        private static ServerSocket keepaliveTarget() throws IOException {
            ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket ignored = server.accept()) {
                        // accepted and closed: the handshake is what the keepalive measures
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "keepalive-target");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        }

        /** Starts a SandboxServer process and returns the endpoint it prints. */
        private URI startSandbox(Path world) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), "tidewatch.local.SandboxServer", "--no-params",
                    "--template", "template.yaml"));
            if (world != null) {
                command.addAll(List.of("--world", world.toString()));
            }
            Path log = OUT.resolve("logs").resolve("sandbox-" + sandboxes.size() + ".log");
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            sandboxes.add(process);
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("http://")) {
                throw new IllegalStateException("the sandbox did not start (see " + log + "): " + line);
            }
            return URI.create(line.trim());
        }

        private Sample runBaseline(Map<String, String> env, String label) throws Exception {
            List<String> command = jvm(memory("EcsTaskStateFunction"), BaselineProcess.class.getName(),
                    resultFile(label).toString());
            return run("baseline", command, env, label);
        }

        private Sample runFloor(Workload workload, String floor, URI sandbox, String label) throws Exception {
            Map<String, String> env = environment(workload.function(), sandbox);
            env.putAll(workload.env());
            List<String> command = jvm(memory(workload.function()), FloorProcess.class.getName(),
                    floor, resultFile(label).toString());
            return run("floor", command, env, label);
        }

        private Sample runFunction(Workload workload, URI sandbox, int warmInvocations, boolean prime, String label) throws Exception {
            Map<String, String> env = environment(workload.function(), sandbox);
            env.putAll(workload.env());
            String handler = template.functionHandler(workload.function());
            String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            List<String> command = jvm(memory(workload.function()), FunctionProcess.class.getName(),
                    className, workload.event().toAbsolutePath().toString(), String.valueOf(warmInvocations),
                    resultFile(label).toString(), prime ? "primed" : "cold");
            return run(workload.function(), command, env, label);
        }

        private List<String> jvm(int memoryMiB, String mainClass, String... args) {
            List<String> command = FunctionJvm.command(memoryMiB, functionClasspath, mainClass, args);
            command.addAll(1, jvmOptions);
            return cpu == null ? command : cpu.wrap(command);
        }

        static Path resultFile(String label) {
            return OUT.resolve("logs").resolve(label + ".json");
        }

        private Sample run(String kind, List<String> command, Map<String, String> env, String label) throws Exception {
            Path result = resultFile(label);
            Files.deleteIfExists(result);
            Path log = OUT.resolve("logs").resolve(label + ".log");
            ProcessBuilder builder = FunctionJvm.processBuilder(command, env, false)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            long spawned = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(label + ": no result after " + CHILD_TIMEOUT_SECONDS + " s (see " + log + ")");
            }
            if (!Files.isRegularFile(result)) {
                throw new IllegalStateException(label + ": the JVM exited with " + process.exitValue() + " and no result (see " + log + ")");
            }
            Sample sample = new Sample(kind, spawned, Json.parseObject(Files.readString(result), label));
            if (sample.error() != null) {
                throw new IllegalStateException(label + " failed: " + sample.error() + " (see " + log + ")");
            }
            return sample;
        }
    }

    /** The figures, the targets and the verdicts. */
    static final class Report {
        private final int samples;
        private final int warm;
        private final List<Sample> baseline;
        private final Map<String, List<Sample>> cold;
        private final Map<String, List<Sample>> primed;
        private final Map<String, Map<String, List<Sample>>> floors;
        private final CloudFormationTemplate template;
        private final List<String> jvmOptions;
        private final double seconds;
        private final String load;
        private final Integer memory;
        private final String cpu;

        Report(int samples, int warm, List<Sample> baseline, Map<String, List<Sample>> cold, Map<String, List<Sample>> primed,
               Map<String, Map<String, List<Sample>>> floors, CloudFormationTemplate template, List<String> jvmOptions,
               double seconds, String load, Integer memory, String cpu) {
            this.samples = samples;
            this.warm = warm;
            this.baseline = baseline;
            this.cold = cold;
            this.primed = primed;
            this.floors = floors;
            this.template = template;
            this.jvmOptions = jvmOptions;
            this.seconds = seconds;
            this.load = load;
            this.memory = memory;
            this.cpu = cpu;
        }

        int print() throws IOException {
            Map<String, Object> json = new LinkedHashMap<>();
            List<String> verdicts = new ArrayList<>();
            boolean allPass = true;
            double baselineMs = median(baseline.stream().mapToDouble(Sample::coldMs).toArray());
            String toolOptions = template.functionEnvironment("EcsTaskStateFunction", FunctionJvm.localParameters(template, Map.of()))
                    .getOrDefault("JAVA_TOOL_OPTIONS", "");

            StringBuilder out = new StringBuilder();
            out.append("Tidewatch benchmark\n");
            out.append(String.format(Locale.ROOT, "machine: %d cores, %s, %s %s (%s)%n", Runtime.getRuntime().availableProcessors(),
                    cpuModel(), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("os.arch")));
            List<String> command = FunctionJvm.command(memory == null ? 512 : memory, "CP", "MAIN");
            out.append("function JVMs: ").append(String.join(" ", command.subList(1, command.indexOf("-cp"))))
                    .append(jvmOptions.isEmpty() ? "" : " " + String.join(" ", jvmOptions))
                    .append(", JAVA_TOOL_OPTIONS=").append(toolOptions).append('\n');
            if (cpu != null) {
                out.append("memory size: ").append(cpu).append('\n');
            }
            out.append(String.format(Locale.ROOT, "%d samples (fresh JVM each), %d warm invocations per JVM; medians over samples (/base and /floor: "
                    + "median of each sample's function/baseline and function/floor), peak RSS is the highest sample; took %.0f s%n", samples, warm, seconds));
            // Other work on the machine moves every figure: a load average well above 1 means the run was not alone.
            out.append("load average (1, 5, 15 min): ").append(load).append("\n\n");

            out.append(String.format(Locale.ROOT, "%-30s %9s %9s %11s %6s %6s | %12s %12s %12s %6s | %9s | %9s %11s%n",
                    "", "init", "first", "init+first", "/base", "/floor", "warm p50", "warm p99", "p50 total", "calls", "peak RSS",
                    "prime", "1st primed"));
            out.append(String.format(Locale.ROOT, "%-30s %9s %9s %11s %6s %6s | %12s %12s %12s %6s | %9s |%n",
                    "baseline (1 client)", "", "", ms(baselineMs), "1.00", "", "", "", "", "1", mib(max(baseline.stream().mapToDouble(Sample::peakMiB).toArray()))));
            json.put("loadAverage", load);
            json.put("memorySize", memory == null ? "the template's" : cpu);
            json.put("baselineMs", round(baselineMs));
            json.put("baselinePeakMiB", round(max(baseline.stream().mapToDouble(Sample::peakMiB).toArray())));
            json.put("baselineClassesLoaded", baseline.get(0).result().integer("loadedClasses"));

            Map<String, Object> functions = new LinkedHashMap<>();
            for (Map.Entry<String, List<Sample>> entry : cold.entrySet()) {
                String function = entry.getKey();
                List<Sample> runs = entry.getValue();
                double init = median(runs.stream().mapToDouble(Sample::initMs).toArray());
                double first = median(runs.stream().mapToDouble(Sample::firstMs).toArray());
                double coldMs = median(runs.stream().mapToDouble(Sample::coldMs).toArray());
                // Each sample's function JVM against the baseline JVM of the same sample: drift on a noisy machine
                // moves both, so the median of the paired ratios is steadier than a ratio of medians.
                double ratio = median(pairedRatios(runs, baseline));
                double peak = max(runs.stream().mapToDouble(Sample::peakMiB).toArray());
                double[] own = warmOwnMs(runs);
                double[] total = warmMs(runs, "warmTotalNanos");
                Arrays.sort(own);
                Arrays.sort(total);
                double callsPerInvocation = warmCalls(runs);
                long failures = runs.stream().mapToLong(s -> s.result().has("warmFailures") ? s.result().integer("warmFailures") : 0).sum();
                List<Sample> primedRuns = primed.getOrDefault(function, List.of());
                double prime = primedRuns.isEmpty() ? Double.NaN : median(primedRuns.stream().mapToDouble(s -> s.ms("ready", "primed")).toArray());
                double firstPrimed = primedRuns.isEmpty() ? Double.NaN : median(primedRuns.stream().mapToDouble(Sample::firstMs).toArray());

                Map<String, List<Sample>> functionFloors = floors.getOrDefault(function, Map.of());
                // The first floor is all of the function's calls: the function against it, sample by sample.
                double toFloor = functionFloors.isEmpty() ? Double.NaN : functionToFloor(runs, functionFloors.values().iterator().next());
                out.append(String.format(Locale.ROOT, "%-30s %9s %9s %11s %6.2f %6s | %12s %12s %12s %6.2f | %9s | %9s %11s%n",
                        function, ms(init), ms(first), ms(coldMs), ratio, Double.isNaN(toFloor) ? "-" : String.format(Locale.ROOT, "%.2f", toFloor),
                        own.length == 0 ? "-" : ms3(percentile(own, 50)), own.length == 0 ? "-" : ms3(percentile(own, 99)),
                        total.length == 0 ? "-" : ms3(percentile(total, 50)), callsPerInvocation, mib(peak),
                        Double.isNaN(prime) ? "-" : ms(prime), Double.isNaN(firstPrimed) ? "-" : ms(firstPrimed)));
                // The function's floors: its AWS work without its logic (FloorProcess), each paired with the baseline
                // JVM of the same sample; the first (all of its calls) also with the function JVM of the same sample.
                Map<String, Object> floorFigures = new LinkedHashMap<>();
                String floorNote = "";
                String firstFloorMs = null;
                for (Map.Entry<String, List<Sample>> floor : functionFloors.entrySet()) {
                    List<Sample> floorRuns = floor.getValue();
                    double floorMs = median(floorRuns.stream().mapToDouble(Sample::coldMs).toArray());
                    double floorRatio = median(pairedRatios(floorRuns, baseline));
                    double floorPeak = max(floorRuns.stream().mapToDouble(Sample::peakMiB).toArray());
                    String label = FloorProcess.FLOORS.get(floor.getKey());
                    out.append(String.format(Locale.ROOT, "%-30s %9s %9s %11s %6.2f %6s | %12s %12s %12s %6s | %9s |%n",
                            "  " + label, "", "", ms(floorMs), floorRatio, "", "", "", "", "", mib(floorPeak)));
                    Map<String, Object> floorFigure = new LinkedHashMap<>();
                    floorFigure.put("what", label);
                    floorFigure.put("ms", round(floorMs));
                    floorFigure.put("ratioToBaseline", round(floorRatio));
                    floorNote += String.format(Locale.ROOT, "; %s %.2f x the baseline", label, floorRatio);
                    if (floorFigures.isEmpty()) { // the first floor: all of the function's calls
                        firstFloorMs = ms(floorMs);
                        floorFigure.put("functionToFloor", Math.round(toFloor * 1000) / 1000.0);
                    }
                    floorFigure.put("peakRssMiB", round(floorPeak));
                    floorFigure.put("samplesMs", floorRuns.stream().map(f -> round(f.coldMs())).toList());
                    floorFigures.put(floor.getKey(), floorFigure);
                }

                boolean ratioPass = true;
                if (Double.isNaN(toFloor)) {
                    // No floor: the keepalive makes no AWS call (a TCP connect per target and metric lines on stdout).
                    verdicts.add(String.format(Locale.ROOT, "INFO %s init+first %s, %.2f x the baseline (%s): no floor, it makes no AWS call",
                            function, ms(coldMs), ratio, ms(baselineMs)));
                } else {
                    ratioPass = withinFloor(toFloor);
                    verdicts.add(verdict(ratioPass, String.format(Locale.ROOT, "%s init+first / its floor %.3f <= %.2f (medians %s and %s;"
                                    + " for information: %.2f x the baseline of %s%s)", function, toFloor, FLOOR_RATIO_TARGET, ms(coldMs), firstFloorMs,
                            ratio, ms(baselineMs), floorNote)));
                }
                boolean primedPass = true;
                if (!functionFloors.isEmpty()) { // the SnapStart target is the ECS and VPN alarm functions'
                    primedPass = !Double.isNaN(firstPrimed) && firstPrimed <= FIRST_PRIMED_TARGET_MS;
                    verdicts.add(verdict(primedPass, String.format(Locale.ROOT, "%s first invocation after priming %s <= %.0f ms",
                            function, Double.isNaN(firstPrimed) ? "(not measured: --no-primed)" : ms(firstPrimed), FIRST_PRIMED_TARGET_MS)));
                }
                boolean warmPass = own.length > 0 && percentile(own, 50) < WARM_MEDIAN_TARGET_MS && failures == 0;
                verdicts.add(verdict(warmPass, String.format(Locale.ROOT, "%s warm median excluding the sandbox %s < %.0f ms%s",
                        function, own.length == 0 ? "(not measured: --warm 0)" : ms3(percentile(own, 50)), WARM_MEDIAN_TARGET_MS,
                        failures == 0 ? "" : " (" + failures + " warm invocations threw)")));
                boolean peakPass = peak < PEAK_RSS_TARGET_MIB;
                verdicts.add(verdict(peakPass, String.format(Locale.ROOT, "%s peak resident memory %s < %.0f MiB",
                        function, mib(peak), PEAK_RSS_TARGET_MIB)));
                allPass &= ratioPass && primedPass && warmPass && peakPass;

                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("initMs", round(init));
                figures.put("firstMs", round(first));
                figures.put("initPlusFirstMs", round(coldMs));
                figures.put("ratioToBaseline", round(ratio));
                figures.put("ratioToFloor", Double.isNaN(toFloor) ? null : Math.round(toFloor * 1000) / 1000.0);
                figures.put("warmOwnP50Ms", own.length == 0 ? null : round(percentile(own, 50)));
                figures.put("warmOwnP99Ms", own.length == 0 ? null : round(percentile(own, 99)));
                figures.put("warmTotalP50Ms", total.length == 0 ? null : round(percentile(total, 50)));
                figures.put("warmTotalP99Ms", total.length == 0 ? null : round(percentile(total, 99)));
                figures.put("sandboxCallsPerWarmInvocation", round(callsPerInvocation));
                figures.put("peakRssMiB", round(peak));
                figures.put("classesLoaded", runs.get(0).result().integer("loadedClasses"));
                figures.put("floors", floorFigures);
                figures.put("primeMs", Double.isNaN(prime) ? null : round(prime));
                figures.put("firstAfterPrimeMs", Double.isNaN(firstPrimed) ? null : round(firstPrimed));
                figures.put("samples", runs.stream().map(s -> Map.of("initMs", round(s.initMs()), "firstMs", round(s.firstMs()),
                        "peakRssMiB", round(s.peakMiB()))).toList());
                functions.put(function, figures);
            }
            json.put("functions", functions);
            json.put("baselineSamplesMs", baseline.stream().map(s -> round(s.coldMs())).toList());

            out.append('\n').append(String.join("\n", verdicts)).append('\n');
            out.append(allPass ? "ALL TARGETS PASS\n" : "SOME TARGETS MISSED\n");
            out.append("/floor: init+first over its floor's (the target); /base: over the baseline's (information); "
                    + "warm p50/p99: the function's own time (invocation time minus the sandbox's handling time of the calls it made); "
                    + "p50 total includes the sandbox; calls = sandbox requests per warm invocation; indented rows: the function's floors, "
                    + "its AWS calls made one after another on its client configuration without its logic (FloorProcess)\n");
            System.out.print(out);
            Path results = OUT.resolve("results.json");
            Files.writeString(results, Json.writePretty(json), StandardCharsets.UTF_8);
            System.out.println("details: " + results + ", logs: " + OUT.resolve("logs"));
            return allPass ? 0 : 1;
        }

        /** The function's init+first over its floor's, sample by sample (each pair ran back to back): their median. */
        static double functionToFloor(List<Sample> runs, List<Sample> floor) {
            return median(pairedRatios(runs, floor));
        }

        static boolean withinFloor(double functionToFloor) {
            return functionToFloor <= FLOOR_RATIO_TARGET;
        }

        private static double[] pairedRatios(List<Sample> runs, List<Sample> baseline) {
            double[] ratios = new double[Math.min(runs.size(), baseline.size())];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = runs.get(i).coldMs() / baseline.get(i).coldMs();
            }
            return ratios;
        }

        private static String verdict(boolean pass, String text) {
            return (pass ? "PASS " : "FAIL ") + text;
        }

        /** Every warm invocation of every sample, minus the sandbox's time for its calls, in ms. */
        private static double[] warmOwnMs(List<Sample> runs) {
            List<Double> values = new ArrayList<>();
            for (Sample run : runs) {
                if (!run.result().has("warmTotalNanos")) {
                    continue;
                }
                List<Object> total = run.result().array("warmTotalNanos");
                List<Object> sandbox = run.result().array("warmSandboxNanos");
                for (int i = 0; i < total.size(); i++) {
                    values.add((((Number) total.get(i)).longValue() - ((Number) sandbox.get(i)).longValue()) / 1e6);
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        private static double[] warmMs(List<Sample> runs, String member) {
            List<Double> values = new ArrayList<>();
            for (Sample run : runs) {
                if (run.result().has(member)) {
                    run.result().array(member).forEach(v -> values.add(((Number) v).longValue() / 1e6));
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        private static double warmCalls(List<Sample> runs) {
            long calls = 0;
            long invocations = 0;
            for (Sample run : runs) {
                if (run.result().has("warmCalls")) {
                    for (Object value : run.result().array("warmCalls")) {
                        calls += ((Number) value).longValue();
                        invocations++;
                    }
                }
            }
            return invocations == 0 ? 0 : (double) calls / invocations;
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f ms", value);
    }

    private static String ms3(double value) {
        return String.format(Locale.ROOT, "%.2f ms", value);
    }

    private static String mib(double value) {
        return String.format(Locale.ROOT, "%.0f MiB", value);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}

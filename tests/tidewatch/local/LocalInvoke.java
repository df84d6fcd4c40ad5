package tidewatch.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tidewatch.json.Json;

/**
 * {@code bin/tidewatch invoke FUNCTION EVENT_FILE [--world WORLD_FILE] [--env K=V ...] [--aws]}: runs one function
 * as Lambda would, in a fresh JVM whose environment comes from template.yaml, against the embedded sandbox (or real
 * AWS with --aws), and prints one JSON report of the calls it made, the metrics it emitted and its outcome.
 * The template's {@code Timeout} is enforced as Lambda enforces it, from the invocation's start. With
 * {@code --package DIR} the function's JVM loads the function from a built package (what {@code sam build} ships)
 * instead of the Maven build's classes; {@code --snapstart} runs its SnapStart hooks before the invocation.
 * Exit status: 0 when the handler returned, 1 when it threw or timed out, 2 for bad usage.
 */
public final class LocalInvoke {
    static final String USAGE = "usage: bin/tidewatch invoke FUNCTION EVENT_FILE [--world WORLD_FILE] [--env K=V ...] [--parameter P=V ...] [--aws]\n"
            + "                          [--package DIR] [--snapstart]\n"
            + "  FUNCTION is a function's logical id in template.yaml: EcsTaskStateFunction, VpnAlarmFunction, VpnKeepaliveFunction\n"
            + "  --package DIR runs the function from a built package (.aws-sam/build/FUNCTION: classes and lib/*.jar)\n"
            + "  --snapstart runs the handler's SnapStart hooks (beforeCheckpoint, afterRestore) between init and the invocation";

    /** The parsed command line. */
    record Arguments(String function, Path event, Path world, Map<String, String> env, Map<String, String> parameters, boolean aws,
                     Path template, Path packageDir, boolean snapStart) {}

    /** What one invocation produced. */
    record Report(String function, List<Map<String, Object>> calls, List<Map<String, Object>> metrics, Object output, String error,
                  boolean timedOut) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("function", function);
            json.put("calls", calls);
            json.put("metrics", metrics);
            json.put("output", output);
            json.put("error", error);
            json.put("timedOut", timedOut);
            return json;
        }
    }

    private LocalInvoke() {}

    public static void main(String[] args) {
        Arguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tidewatch: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Report report = run(arguments, System.err);
        System.out.println(Json.writePretty(report.toJson()));
        System.exit(exitStatus(report));
    }

    /** 0 when the handler returned; 1 when it threw or timed out (a timed-out report always carries Lambda's error). */
    static int exitStatus(Report report) {
        return report.error() == null ? 0 : 1;
    }

    static Arguments parse(String[] args) {
        if (args.length < 3 || !args[0].equals("invoke")) {
            throw new IllegalArgumentException(args.length == 0 ? "no command" : "expected: invoke FUNCTION EVENT_FILE");
        }
        Path world = null;
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> parameters = new LinkedHashMap<>();
        boolean aws = false;
        Path template = Path.of("template.yaml");
        Path packageDir = null;
        boolean snapStart = false;
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--world" -> world = Path.of(value(args, ++i, "--world"));
                case "--template" -> template = Path.of(value(args, ++i, "--template"));
                case "--aws" -> aws = true;
                case "--package" -> packageDir = Path.of(value(args, ++i, "--package"));
                case "--snapstart" -> snapStart = true;
                case "--env" -> putPair(env, "--env", value(args, ++i, "--env"));
                case "--parameter" -> putPair(parameters, "--parameter", value(args, ++i, "--parameter"));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        Path event = Path.of(args[2]);
        if (!Files.isRegularFile(event)) {
            throw new IllegalArgumentException("no event file at " + event);
        }
        if (world != null && !Files.isRegularFile(world)) {
            throw new IllegalArgumentException("no world file at " + world);
        }
        if (packageDir != null && !Files.isDirectory(packageDir)) {
            throw new IllegalArgumentException("no package directory at " + packageDir + " (sam build writes .aws-sam/build/FUNCTION)");
        }
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("no template at " + template + " (run from the project root)");
        }
        CloudFormationTemplate parsed = CloudFormationTemplate.load(template);
        if (!parsed.functionIds().contains(args[1])) {
            throw new IllegalArgumentException("no function '" + args[1] + "' in " + template + "; functions: " + parsed.functionIds());
        }
        if (aws) {
            refusePlaceholders(parsed, args[1], env, parameters);
        }
        return new Arguments(args[1], event, world, env, parameters, aws, template, packageDir, snapStart);
    }

    /**
     * With {@code --aws}, a variable resolved from the template's own resources or from a local stand-in parameter
     * holds a placeholder (an ARN in account 123456789012, the sample VPN id) that no real account has: the run
     * would fail, or act on the wrong thing. Each must be given by {@code --env} or {@code --parameter}.
     */
    static void refusePlaceholders(CloudFormationTemplate template, String function, Map<String, String> env, Map<String, String> parameters) {
        java.util.Set<String> standIns = new java.util.HashSet<>(FunctionJvm.standInParameters(template).keySet());
        standIns.removeAll(parameters.keySet());
        List<String> missing = new ArrayList<>();
        template.placeholderVariables(function, FunctionJvm.localParameters(template, parameters), standIns).forEach((variable, sources) -> {
            if (env.containsKey(variable)) {
                return;
            }
            List<String> fixes = new ArrayList<>();
            for (String source : sources) {
                fixes.add(source.startsWith("parameter ") ? "--parameter " + source.substring("parameter ".length()) + "=..." : null);
            }
            missing.add(variable + " (from the template's " + String.join(", ", sources) + "): set --env " + variable + "=..."
                    + fixes.stream().filter(java.util.Objects::nonNull).map(fix -> " or " + fix).reduce("", String::concat));
        });
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--aws: these would be placeholders, not your account's resources: "
                    + String.join("; ", missing));
        }
    }

    private static void putPair(Map<String, String> into, String option, String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(option + " takes NAME=VALUE, got '" + pair + "'");
        }
        into.put(pair.substring(0, eq), pair.substring(eq + 1));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /** Runs the invocation; the function's log goes to {@code log}. */
    static Report run(Arguments arguments, PrintStream log) {
        CloudFormationTemplate template = CloudFormationTemplate.load(arguments.template());
        World world = arguments.world() == null ? World.empty() : World.load(arguments.world());
        Sandbox sandbox = arguments.aws() ? null : Sandbox.start(world);
        try {
            Path result = Files.createTempFile("tidewatch-result", ".json");
            Map<String, String> env = FunctionJvm.environment(template, arguments.function(), arguments.parameters(),
                    sandbox == null ? null : sandbox.endpoint());
            if (sandbox != null) { // the template's own topic, webhook and keepalive exist; names given by --env need the world
                synchronized (world) {
                    FunctionJvm.declareTemplateResources(world, template, arguments.parameters());
                }
            }
            env.putAll(arguments.env());
            env.put(LambdaBootstrap.HANDLER, template.functionHandler(arguments.function()));
            env.put(LambdaBootstrap.EVENT_FILE, arguments.event().toAbsolutePath().toString());
            env.put(LambdaBootstrap.RESULT_FILE, result.toString());
            if (arguments.snapStart()) {
                env.put(LambdaBootstrap.SNAPSTART, "true");
            }
            Path recorded = null;
            if (sandbox == null) {
                recorded = Files.createTempFile("tidewatch-calls", ".jsonl"); // no sandbox: the SDK records its own calls
                env.put(CallRecorder.CALLS_FILE, recorded.toString());
            }

            List<Map<String, Object>> metrics = Collections.synchronizedList(new ArrayList<>());
            Duration timeout = Duration.ofSeconds(FunctionJvm.timeout(template, arguments.function()));
            String classpath = arguments.packageDir() == null ? System.getProperty("java.class.path")
                    : FunctionJvm.packageClasspath(arguments.packageDir());
            List<String> command = FunctionJvm.command(FunctionJvm.memorySize(template, arguments.function()), classpath,
                    LambdaBootstrap.class.getName());
            // The child stops itself at the timeout; this limit only catches a JVM that cannot.
            Duration backstop = LambdaBootstrap.INIT_LIMIT.plus(timeout).plusSeconds(30);
            boolean exited = runChild(FunctionJvm.processBuilder(command, env, arguments.aws()), backstop, line -> {
                log.println(line);
                metrics.addAll(EmbeddedMetricLines.metrics(line));
            });
            Map<String, Object> outcome;
            if (!exited) {
                outcome = Map.of("error", LambdaBootstrap.timedOutError(timeout) + " (the function's JVM was killed)", "timedOut", true);
            } else if (Files.size(result) == 0) {
                outcome = Map.of("error", "the function's JVM exited without a result", "timedOut", false);
            } else {
                outcome = Json.parseObject(Files.readString(result), "result").asMap();
            }
            Files.deleteIfExists(result);
            List<Map<String, Object>> calls = sandbox != null ? sandbox.calls().stream().map(Sandbox.Call::toJson).toList()
                    : recordedCalls(recorded);
            return new Report(arguments.function(), calls, metrics, outcome.get("output"), (String) outcome.get("error"),
                    Boolean.TRUE.equals(outcome.get("timedOut")));
        } catch (IOException e) {
            return new Report(arguments.function(), List.of(), List.of(), null, "runner failed: " + e.getMessage(), false);
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private static List<Map<String, Object>> recordedCalls(Path file) throws IOException {
        List<Map<String, Object>> calls = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                calls.add(Json.parseObject(line, "recorded call").asMap());
            }
        }
        Files.deleteIfExists(file);
        return calls;
    }

    /** Runs the function's JVM, passing each line of its output (its log) on; false when it had to be killed. */
    private static boolean runChild(ProcessBuilder builder, Duration limit, java.util.function.Consumer<String> logLine)
            throws IOException {
        builder.redirectErrorStream(true);
        Process process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(logLine);
            } catch (IOException e) {
                logLine.accept("tidewatch: lost the function's log: " + e.getMessage());
            }
        }, "function-log");
        reader.start();
        try {
            boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            reader.join(5_000);
            return finished;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }
}

package tidewatch.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tidewatch.json.Json;

/**
 * {@code bin/tidewatch invoke FUNCTION EVENT_FILE [--world WORLD_FILE] [--env K=V ...] [--aws]}: runs one function
 * as Lambda would, in a fresh JVM whose environment comes from template.yaml, against the embedded sandbox (or real
 * AWS with --aws), and prints one JSON report of the calls it made, the metrics it emitted and its outcome.
 * Exit status: 0 when the handler returned, 1 when it threw, 2 for bad usage.
 */
public final class LocalInvoke {
    static final String USAGE = "usage: bin/tidewatch invoke FUNCTION EVENT_FILE [--world WORLD_FILE] [--env K=V ...] [--parameter P=V ...] [--aws]\n"
            + "  FUNCTION is a function's logical id in template.yaml: EcsTaskStateFunction, VpnAlarmFunction, VpnKeepaliveFunction";

    /** The parsed command line. */
    record Arguments(String function, Path event, Path world, Map<String, String> env, Map<String, String> parameters, boolean aws,
                     Path template) {}

    /** What one invocation produced. */
    record Report(String function, List<Map<String, Object>> calls, List<Map<String, Object>> metrics, Object output, String error) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("function", function);
            json.put("calls", calls);
            json.put("metrics", metrics);
            json.put("output", output);
            json.put("error", error);
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
        System.exit(report.error() == null ? 0 : 1);
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
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--world" -> world = Path.of(value(args, ++i, "--world"));
                case "--template" -> template = Path.of(value(args, ++i, "--template"));
                case "--aws" -> aws = true;
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
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("no template at " + template + " (run from the project root)");
        }
        CloudFormationTemplate parsed = CloudFormationTemplate.load(template);
        if (!parsed.functionIds().contains(args[1])) {
            throw new IllegalArgumentException("no function '" + args[1] + "' in " + template + "; functions: " + parsed.functionIds());
        }
        return new Arguments(args[1], event, world, env, parameters, aws, template);
    }

    private static void putPair(Map<String, String> into, String option, String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(option + " takes NAME=VALUE, got '" + pair + "'");
        }
        into.put(pair.substring(0, eq), pair.substring(eq + 1));
    }

    /**
     * Parameter values for a local run: the template's own stand-ins for parameters without a default
     * ({@code Metadata: Tidewatch::LocalInvoke: Parameters}), then the command line's.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> localParameters(CloudFormationTemplate template, Map<String, String> fromCommandLine) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (template.root().get("Metadata") instanceof Map<?, ?> metadata
                && metadata.get("Tidewatch::LocalInvoke") instanceof Map<?, ?> local
                && local.get("Parameters") instanceof Map<?, ?> standIns) {
            ((Map<String, Object>) standIns).forEach((name, value) -> parameters.put(name,
                    value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value)));
        }
        parameters.putAll(fromCommandLine);
        return parameters;
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
        Map<String, Object> function = properties(template, arguments.function());
        World world = arguments.world() == null ? World.empty() : World.load(arguments.world());
        Sandbox sandbox = arguments.aws() ? null : Sandbox.start(world);
        try {
            Path result = Files.createTempFile("tidewatch-result", ".json");
            Map<String, String> env = new LinkedHashMap<>(template.functionEnvironment(arguments.function(),
                    localParameters(template, arguments.parameters())));
            env.putAll(lambdaEnvironment(arguments.function(), function, sandbox));
            env.putAll(arguments.env());
            env.put(LambdaBootstrap.HANDLER, template.functionHandler(arguments.function()));
            env.put(LambdaBootstrap.EVENT_FILE, arguments.event().toAbsolutePath().toString());
            env.put(LambdaBootstrap.RESULT_FILE, result.toString());

            List<Map<String, Object>> metrics = new ArrayList<>();
            int timeout = intProperty(function, template, "Timeout", 30);
            boolean finished = runChild(env, arguments.aws(), timeout + 30, line -> {
                log.println(line);
                metrics.addAll(EmbeddedMetricLines.metrics(line));
            });
            Map<String, Object> outcome = finished && Files.size(result) > 0
                    ? Json.parseObject(Files.readString(result), "result").asMap()
                    : Map.of("error", finished ? "the function's JVM exited without a result" : "timed out after " + timeout + " s");
            Files.deleteIfExists(result);
            List<Map<String, Object>> calls = sandbox == null ? List.of() : sandbox.calls().stream().map(Sandbox.Call::toJson).toList();
            return new Report(arguments.function(), calls, metrics, outcome.get("output"), (String) outcome.get("error"));
        } catch (IOException e) {
            return new Report(arguments.function(), List.of(), List.of(), null, "runner failed: " + e.getMessage());
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    /** The variables Lambda itself sets, plus the sandbox's endpoint and throwaway credentials. */
    private static Map<String, String> lambdaEnvironment(String name, Map<String, Object> function, Sandbox sandbox) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put(LambdaBootstrap.MEMORY, String.valueOf(function.getOrDefault("MemorySize", 512)));
        env.put(LambdaBootstrap.TIMEOUT, String.valueOf(function.getOrDefault("Timeout", 30)));
        if (sandbox != null) {
            env.put("AWS_REGION", Sandbox.REGION);
            env.put("AWS_DEFAULT_REGION", Sandbox.REGION);
            env.put("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
            env.put("AWS_SECRET_ACCESS_KEY", "sandbox-secret-key");
            env.put("AWS_ENDPOINT_URL", sandbox.endpoint().toString());
        }
        return env;
    }

    private static Map<String, Object> properties(CloudFormationTemplate template, String function) {
        Object properties = template.resource(function).get("Properties");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = properties instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return map;
    }

    @SuppressWarnings("unchecked")
    private static int intProperty(Map<String, Object> function, CloudFormationTemplate template, String name, int fallback) {
        Object value = function.get(name);
        if (value == null && template.root().get("Globals") instanceof Map<?, ?> globals
                && globals.get("Function") instanceof Map<?, ?> defaults) {
            value = ((Map<String, Object>) defaults).get(name);
        }
        return value instanceof Number number ? number.intValue() : fallback;
    }

    /** Starts the function's JVM with exactly the given environment (plus what the JVM and --aws need). */
    private static boolean runChild(Map<String, String> env, boolean aws, int timeoutSeconds, java.util.function.Consumer<String> logLine)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), LambdaBootstrap.class.getName());
        Map<String, String> childEnv = builder.environment();
        Map<String, String> inherited = new LinkedHashMap<>(childEnv);
        childEnv.clear();
        for (String keep : List.of("PATH", "HOME", "TMPDIR", "LANG")) {
            if (inherited.containsKey(keep)) {
                childEnv.put(keep, inherited.get(keep));
            }
        }
        if (aws) {
            inherited.forEach((key, value) -> {
                if (key.startsWith("AWS_") && !env.containsKey(key)) {
                    childEnv.put(key, value);
                }
            });
        }
        childEnv.putAll(env);
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
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
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

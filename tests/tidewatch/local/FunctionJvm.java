package tidewatch.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a function's JVM is started locally, shared by the local runner ({@link LocalInvoke}) and the benchmark
 * ({@code tidewatch.bench}): the environment Lambda would give it (the template's variables, resolved, plus what
 * Lambda itself sets and the sandbox's endpoint) and the JVM options of Lambda's managed Java runtime.
 */
public final class FunctionJvm {
    /** Inherited from the caller's environment; everything else comes from the template. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "TMPDIR", "LANG");

    private FunctionJvm() {}

    /**
     * Parameter values for a local run: the template's own stand-ins for parameters without a default
     * ({@code Metadata: Tidewatch::LocalInvoke: Parameters}), then the given ones.
     */
    public static Map<String, String> localParameters(CloudFormationTemplate template, Map<String, String> overrides) {
        Map<String, String> parameters = new LinkedHashMap<>(standInParameters(template));
        parameters.putAll(overrides);
        return parameters;
    }

    /** The template's stand-ins for parameters without a default ({@code Metadata: Tidewatch::LocalInvoke: Parameters}). */
    @SuppressWarnings("unchecked")
    public static Map<String, String> standInParameters(CloudFormationTemplate template) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (template.root().get("Metadata") instanceof Map<?, ?> metadata
                && metadata.get("Tidewatch::LocalInvoke") instanceof Map<?, ?> local
                && local.get("Parameters") instanceof Map<?, ?> standIns) {
            ((Map<String, Object>) standIns).forEach((name, value) -> parameters.put(name,
                    value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value)));
        }
        return parameters;
    }

    /**
     * Declares in the world what the template's functions name (their topic, webhook parameter or secret, keepalive
     * function), resolved with the local parameters and the given ones: what a deployed stack would have created or
     * been given, so that a local run finds it and any other name gets AWS's not-found error.
     */
    public static World declareTemplateResources(World world, CloudFormationTemplate template, Map<String, String> parameterOverrides) {
        for (String function : template.functionIds()) {
            world.declare(template.functionEnvironment(function, localParameters(template, parameterOverrides)));
        }
        return world;
    }

    public static int memorySize(CloudFormationTemplate template, String function) {
        return template.functionNumber(function, "MemorySize", 128);
    }

    public static int timeout(CloudFormationTemplate template, String function) {
        return template.functionNumber(function, "Timeout", 3);
    }

    /**
     * The function's environment: the template's variables resolved with the local parameters, then the variables
     * Lambda sets, then (with a sandbox) the region, throwaway credentials, {@code AWS_ENDPOINT_URL} and the
     * sandbox's host as the one allowed webhook host.
     *
     * @param sandbox the sandbox's endpoint, or null for real AWS
     */
    public static Map<String, String> environment(CloudFormationTemplate template, String function,
                                                  Map<String, String> parameterOverrides, URI sandbox) {
        Map<String, String> env = new LinkedHashMap<>(template.functionEnvironment(function, localParameters(template, parameterOverrides)));
        env.put("AWS_LAMBDA_FUNCTION_NAME", function);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put(LambdaBootstrap.MEMORY, String.valueOf(memorySize(template, function)));
        env.put(LambdaBootstrap.TIMEOUT, String.valueOf(timeout(template, function)));
        if (sandbox != null) {
            env.put("AWS_REGION", Sandbox.REGION);
            env.put("AWS_DEFAULT_REGION", Sandbox.REGION);
            env.put("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
            env.put("AWS_SECRET_ACCESS_KEY", "sandbox-secret-key");
            env.put("AWS_ENDPOINT_URL", sandbox.toString());
            env.put("SLACK_WEBHOOK_HOSTS", sandbox.getHost()); // the sandbox's webhook is on loopback
        }
        return env;
    }

    /**
     * The command line of a function's JVM, with the options Lambda's managed Java 17/21 runtime passes: a heap of
     * 85% of the memory size, the serial collector, class data sharing, C1 only, IPv4. {@code -XX:MaxRAM} makes the
     * JVM size itself for the function's memory, as it does inside Lambda's micro-VM, instead of for this machine.
     * The template's {@code JAVA_TOOL_OPTIONS} come on top, from the environment, as on Lambda.
     */
    public static List<String> command(int memoryMiB, String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAM=" + memoryMiB + "m",
                "-XX:MaxHeapSize=" + Math.round(memoryMiB * 1024 * 0.85) + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-Djava.net.preferIPv4Stack=true",
                "-cp", classpath,
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The classpath of a function run from a built package, as the Lambda Java runtime's class loader reads
     * {@code /var/task}: the package directory (the classes), then its {@code lib/*.jar} sorted by file name. Only the
     * runner's own part comes after them: the directory holding {@link LambdaBootstrap} (the test classes) and the jar
     * of aws-lambda-java-serialization, which stand in for the runtime. Neither the Maven build's
     * {@code target/classes} nor any other jar of the test classpath is on it, so a class or resource the package
     * lacks fails the run.
     */
    public static String packageClasspath(Path packageDir) {
        List<String> entries = new ArrayList<>();
        entries.add(packageDir.toAbsolutePath().toString());
        Path lib = packageDir.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(jar -> jar.getFileName().toString().endsWith(".jar"))
                        .map(jar -> jar.toAbsolutePath().toString()).sorted().forEach(entries::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        entries.add(codeSource(LambdaBootstrap.class));
        entries.add(codeSource(com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class));
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A process builder with exactly {@code env} (plus PATH, HOME, TMPDIR and LANG; plus the caller's AWS_*
     * variables when {@code inheritAws}, for real AWS credentials).
     */
    public static ProcessBuilder processBuilder(List<String> command, Map<String, String> env, boolean inheritAws) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> childEnv = builder.environment();
        Map<String, String> inherited = new LinkedHashMap<>(childEnv);
        childEnv.clear();
        for (String keep : INHERITED) {
            if (inherited.containsKey(keep)) {
                childEnv.put(keep, inherited.get(keep));
            }
        }
        if (inheritAws) {
            inherited.forEach((key, value) -> {
                if (key.startsWith("AWS_") && !env.containsKey(key)) {
                    childEnv.put(key, value);
                }
            });
        }
        childEnv.putAll(env);
        return builder;
    }
}

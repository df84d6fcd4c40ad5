package tidewatch.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import tidewatch.local.LocalContext;

/**
 * One measured function JVM: {@code FunctionProcess HANDLER_CLASS EVENT_FILE WARM RESULT_FILE [primed]}. Like the
 * Lambda runtime it creates the handler with its no-arg constructor (init), then invokes it with the event: once
 * (the first invocation), then {@code WARM} more times, each time reading the sandbox's counters before and after so
 * that the sandbox's own time can be taken out. With {@code primed} it runs the handler's SnapStart hook
 * ({@code beforeCheckpoint}) between init and the first invocation, as Lambda does before it takes the snapshot.
 *
 * <p>The environment is the function's (from the template, as the local runner builds it); the sandbox is the one
 * {@code AWS_ENDPOINT_URL} names, in another process.
 */
public final class FunctionProcess {
    private FunctionProcess() {}

    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        String className = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        int warm = Integer.parseInt(args[2]);
        Path resultFile = Path.of(args[3]);
        boolean primed = args.length > 4 && args[4].equals("primed");
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        int memory = Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"));
        int timeout = Integer.parseInt(System.getenv().getOrDefault("TIDEWATCH_TIMEOUT_SECONDS", "30"));
        ChildResult result = new ChildResult().put("entered", entered);
        try {
            Object instance = Class.forName(className).getDeclaredConstructor().newInstance();
            long ready = System.nanoTime();
            result.put("ready", ready);
            if (primed) {
                ((org.crac.Resource) instance).beforeCheckpoint(null);
                result.put("primed", System.nanoTime());
            }
            RequestStreamHandler handler = (RequestStreamHandler) instance;

            LocalContext context = new LocalContext(name, memory, timeout);
            long firstStart = System.nanoTime();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), output, context);
            long firstDone = System.nanoTime();
            result.put("firstStart", firstStart).put("firstDone", firstDone)
                    .put("peakAfterFirstKiB", ChildResult.peakResidentKiB())
                    .put("output", output.toString(java.nio.charset.StandardCharsets.UTF_8));

            if (warm > 0) {
                long[] total = new long[warm];
                long[] sandbox = new long[warm];
                long[] calls = new long[warm];
                String endpoint = System.getenv("AWS_ENDPOINT_URL");
                int failures = 0;
                String failure = null;
                try (SandboxStats stats = new SandboxStats(URI.create(endpoint))) {
                    SandboxStats.Reading before = stats.read();
                    for (int i = 0; i < warm; i++) {
                        LocalContext invocation = new LocalContext(name, memory, timeout);
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        ByteArrayInputStream in = new ByteArrayInputStream(event);
                        long start = System.nanoTime();
                        try {
                            handler.handleRequest(in, out, invocation);
                        } catch (Exception e) {
                            failures++;
                            failure = e.toString();
                        }
                        total[i] = System.nanoTime() - start;
                        SandboxStats.Reading after = stats.read();
                        sandbox[i] = after.handlingNanos() - before.handlingNanos();
                        calls[i] = after.requests() - before.requests();
                        before = after;
                    }
                }
                result.put("warmTotalNanos", total, warm).put("warmSandboxNanos", sandbox, warm).put("warmCalls", calls, warm)
                        .put("warmFailures", failures).put("warmFailure", failure);
            }
            result.put("peakKiB", ChildResult.peakResidentKiB());
            // Last, so that the management classes it loads count in nothing measured above.
            result.put("loadedClasses", java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        } catch (Throwable e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            result.put("error", cause.toString());
        }
        result.write(resultFile);
        System.out.flush();
        System.exit(0);
    }
}

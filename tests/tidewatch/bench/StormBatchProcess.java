package tidewatch.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tidewatch.local.LocalContext;

/**
 * One storm JVM of {@link StormBatchCase}: {@code StormBatchProcess HANDLER_CLASS RESULT_FILE primed|cold BATCH_FILE...}.
 * Started like {@link FunctionProcess} (a fresh JVM, the function's environment, the managed runtime's options), it
 * constructs the handler, runs its SnapStart hook with {@code primed}, then invokes it once per batch file, in order,
 * in the same JVM: a container that receives one SQS batch after another. Around each invocation it reads the
 * sandbox's counters ({@link SandboxStats}), outside the timed window, so that the sandbox's handling time can be
 * taken out, and the peak resident set after it. A batch file is read before its invocation's clock starts.
 */
public final class StormBatchProcess {
    private StormBatchProcess() {}

    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        Path resultFile = Path.of(args[1]);
        boolean primed = args[2].equals("primed");
        int batches = args.length - 3;
        String name = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        int memory = Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"));
        int timeout = Integer.parseInt(System.getenv().getOrDefault("TIDEWATCH_TIMEOUT_SECONDS", "120"));
        ChildResult result = new ChildResult().put("entered", entered);
        long[] total = new long[batches];
        long[] sandbox = new long[batches];
        long[] calls = new long[batches];
        long[] peak = new long[batches];
        long[] returned = new long[batches];
        try {
            Object instance = Class.forName(args[0]).getDeclaredConstructor().newInstance();
            result.put("ready", System.nanoTime());
            if (primed) {
                ((org.crac.Resource) instance).beforeCheckpoint(null);
                result.put("primed", System.nanoTime());
            }
            RequestStreamHandler handler = (RequestStreamHandler) instance;
            try (SandboxStats stats = new SandboxStats(URI.create(System.getenv("AWS_ENDPOINT_URL")))) {
                for (int b = 0; b < batches; b++) {
                    byte[] batch = Files.readAllBytes(Path.of(args[3 + b]));
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    SandboxStats.Reading before = stats.read();
                    long start = System.nanoTime();
                    handler.handleRequest(new ByteArrayInputStream(batch), out, new LocalContext(name, memory, timeout));
                    total[b] = System.nanoTime() - start;
                    SandboxStats.Reading after = stats.read();
                    sandbox[b] = after.handlingNanos() - before.handlingNanos();
                    calls[b] = after.requests() - before.requests();
                    peak[b] = ChildResult.peakResidentKiB();
                    returned[b] = occurrences(out.toString(StandardCharsets.UTF_8), "itemIdentifier");
                }
            }
        } catch (Throwable e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            result.put("error", cause.toString());
        }
        result.put("totalNanos", total, batches).put("sandboxNanos", sandbox, batches).put("calls", calls, batches)
                .put("peakKiBAfter", peak, batches).put("recordsReturned", returned, batches)
                .put("peakKiB", ChildResult.peakResidentKiB());
        result.write(resultFile);
        System.out.flush();
        System.exit(0);
    }

    /** The records a batch response returns for a retry: its {@code batchItemFailures}, one itemIdentifier each. */
    static int occurrences(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
            count++;
        }
        return count;
    }
}

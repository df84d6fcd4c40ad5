package tidewatch.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tidewatch.json.Json;

/**
 * The child JVM of a local invocation, standing in for the Lambda Java runtime: it reads the environment the runner
 * set from the template, creates the handler with its no-arg constructor (init), then invokes it once. A stream
 * handler gets the event's bytes; a POJO handler gets the event deserialized by aws-lambda-java-serialization, as
 * the runtime does. At the function's timeout, counted from the invocation's start, the JVM is stopped with Lambda's
 * "Task timed out" error. The outcome goes to the result file; standard output carries the function's log.
 */
public final class LambdaBootstrap {
    static final String HANDLER = "TIDEWATCH_HANDLER";
    static final String EVENT_FILE = "TIDEWATCH_EVENT_FILE";
    static final String RESULT_FILE = "TIDEWATCH_RESULT_FILE";
    static final String MEMORY = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    static final String TIMEOUT = "TIDEWATCH_TIMEOUT_SECONDS";
    /** "true": run the handler's SnapStart hooks after init, as Lambda does when it publishes a SnapStart version. */
    static final String SNAPSTART = "TIDEWATCH_SNAPSTART";
    /** Lambda's limit for the init phase of an on-demand function. */
    static final Duration INIT_LIMIT = Duration.ofSeconds(10);

    private LambdaBootstrap() {}

    public static void main(String[] args) throws Exception {
        Path resultFile = Path.of(System.getenv(RESULT_FILE));
        Duration timeout = Duration.ofSeconds(Integer.parseInt(System.getenv().getOrDefault(TIMEOUT, "30")));
        Watchdog watchdog = new Watchdog(resultFile, timeout);
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            byte[] event = Files.readAllBytes(Path.of(System.getenv(EVENT_FILE)));
            Instant initStart = watchdog.initStarted(Instant.now());
            Object handler = init(System.getenv(HANDLER));
            if ("true".equals(System.getenv(SNAPSTART))) {
                snapStart(handler);
            }
            Instant initDone = Instant.now();
            Instant invocationStart = invocationStart(initStart, initDone);
            LocalContext context = new LocalContext(System.getenv("AWS_LAMBDA_FUNCTION_NAME"),
                    Integer.parseInt(System.getenv().getOrDefault(MEMORY, "512")), timeout, invocationStart, InstantSource.system());
            watchdog.invocationStarted(initDone, invocationStart, context.getAwsRequestId());
            result.put("output", invoke(handler, event, context));
            result.put("error", null);
        } catch (InvocationTargetException e) {
            result.put("output", null);
            result.put("error", describe(e.getCause()));
        } catch (Throwable e) {
            result.put("output", null);
            result.put("error", describe(e));
        }
        result.put("timedOut", false);
        if (watchdog.write(result)) {
            System.out.flush();
            System.exit(0);
        }
        Thread.currentThread().join(); // the watchdog wrote the result first and is stopping the JVM
    }

    /**
     * When the invocation's clock starts: when the handler is invoked, or, when init overran Lambda's 10 s init limit,
     * at that limit (Lambda then runs init again inside the invocation, on the function's timeout).
     */
    static Instant invocationStart(Instant initStart, Instant initDone) {
        Instant initLimit = initStart.plus(INIT_LIMIT);
        return initDone.isAfter(initLimit) ? initLimit : initDone;
    }

    /** Lambda's error for an invocation stopped at its timeout. */
    static String timedOutError(Duration timeout) {
        return String.format(Locale.ROOT, "Task timed out after %.2f seconds", timeout.toMillis() / 1000.0);
    }

    /**
     * Stops the JVM at the deadline, as Lambda stops an invocation, with a timed-out result; one result either way,
     * followed by a line like Lambda's REPORT line, which shows init and invocation times apart.
     */
    private static final class Watchdog {
        private final Path resultFile;
        private final Duration timeout;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lambda-timeout");
            thread.setDaemon(true);
            return thread;
        });
        private ScheduledFuture<?> expiry;
        private boolean written;
        private Instant initStart;
        private Instant initDone;
        private Instant invocationStart;
        private String requestId;

        Watchdog(Path resultFile, Duration timeout) {
            this.resultFile = resultFile;
            this.timeout = timeout;
        }

        synchronized Instant initStarted(Instant start) {
            initStart = start;
            expireAt(start.plus(INIT_LIMIT).plus(timeout));
            return start;
        }

        synchronized void invocationStarted(Instant initEnd, Instant clockStart, String awsRequestId) {
            initDone = initEnd;
            invocationStart = clockStart;
            requestId = awsRequestId;
            expireAt(clockStart.plus(timeout));
        }

        private void expireAt(Instant deadline) {
            if (expiry != null) {
                expiry.cancel(false);
            }
            expiry = timer.schedule(this::expire, Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
        }

        private void expire() {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("output", null);
            result.put("error", timedOutError(timeout));
            result.put("timedOut", true);
            if (write(result)) {
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
        }

        /** Writes the result unless one was written already; true when this one was. */
        synchronized boolean write(Map<String, Object> result) {
            if (written) {
                return false;
            }
            written = true;
            try {
                Files.writeString(resultFile, Json.write(result), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                System.out.println("tidewatch: cannot write the result: " + e.getMessage());
            }
            boolean timedOut = Boolean.TRUE.equals(result.get("timedOut"));
            if (timedOut) {
                System.out.println((requestId == null ? "" : requestId + " ") + timedOutError(timeout));
            }
            System.out.println(reportLine(Instant.now(), timedOut));
            return true;
        }

        private String reportLine(Instant now, boolean timedOut) {
            String status = timedOut ? "\tStatus: timeout" : "";
            if (invocationStart == null) {
                return "INIT_REPORT Init Duration: " + millis(initStart, now) + " ms\tPhase: init" + status;
            }
            return "REPORT RequestId: " + requestId + "\tDuration: " + millis(invocationStart, now) + " ms\tInit Duration: "
                    + millis(initStart, initDone) + " ms" + status;
        }

        private static String millis(Instant from, Instant to) {
            return from == null ? "?" : String.format(Locale.ROOT, "%.2f", Duration.between(from, to).toNanos() / 1e6);
        }
    }

    /** Init: the handler's class created with its no-arg constructor, as the runtime creates it. */
    static Object init(String handler) throws Exception {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("init failed: " + describe(e.getCause()), e.getCause());
        }
    }

    /**
     * SnapStart: the handler's {@code beforeCheckpoint} (its priming), then {@code afterRestore}, as Lambda runs them
     * around the snapshot of a published version; the invocation then runs on the primed handler. A handler that
     * registers no hooks (not an {@code org.crac.Resource}) has nothing to run. Counted as init.
     */
    static void snapStart(Object handler) throws Exception {
        if (!(handler instanceof org.crac.Resource hooks)) {
            System.out.println("SNAPSTART: " + handler.getClass().getName() + " has no SnapStart hooks");
            return;
        }
        long start = System.nanoTime();
        try {
            hooks.beforeCheckpoint(null);
            hooks.afterRestore(null);
        } catch (Exception e) {
            throw new IllegalStateException("SnapStart hooks failed: " + describe(e), e);
        }
        System.out.println(String.format(Locale.ROOT, "SNAPSTART: beforeCheckpoint and afterRestore ran in %.2f ms",
                (System.nanoTime() - start) / 1e6));
    }

    /** One invocation; returns the handler's output as JSON, or as text when it is not JSON. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object invoke(Object instance, byte[] event, LocalContext context) throws Exception {
        Class<?> type = instance.getClass();
        byte[] output;
        if (instance instanceof RequestStreamHandler streamHandler) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                streamHandler.handleRequest(new ByteArrayInputStream(event), out, context);
            } catch (RuntimeException | java.io.IOException e) {
                throw new InvocationTargetException(e);
            }
            output = out.toByteArray();
        } else if (instance instanceof RequestHandler pojoHandler) {
            Class<?> inputType = inputType(type);
            Object input = LambdaEventSerializers.serializerFor(inputType, ClassLoader.getSystemClassLoader())
                    .fromJson(new ByteArrayInputStream(event));
            Object returned;
            try {
                returned = pojoHandler.handleRequest(input, context);
            } catch (RuntimeException e) {
                throw new InvocationTargetException(e);
            }
            if (returned == null) {
                return null;
            }
            PojoSerializer serializer = LambdaEventSerializers.serializerFor(returned.getClass(), ClassLoader.getSystemClassLoader());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            serializer.toJson(returned, out);
            output = out.toByteArray();
        } else {
            throw new IllegalArgumentException(type.getName() + " implements neither RequestStreamHandler nor RequestHandler");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (RuntimeException notJson) {
            return text;
        }
    }

    private static Class<?> inputType(Class<?> handlerType) {
        for (Type candidate : handlerType.getGenericInterfaces()) {
            if (candidate instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> input) {
                return input;
            }
        }
        return Object.class;
    }

    static String describe(Throwable error) {
        return error.getClass().getName() + ": " + error.getMessage();
    }
}

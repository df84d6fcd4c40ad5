package tidewatch.log;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import tidewatch.json.Json;

/**
 * Structured logs: one JSON object per line on standard output, which Lambda sends to CloudWatch Logs.
 * Callers pass key/value pairs; nothing secret is ever passed here (the webhook URL stays inside SlackChannel).
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** The longest string value a line carries. */
    static final int MAX_VALUE_CHARS = 8_192;

    private static volatile PrintStream out = System.out;
    private static volatile Level threshold = levelFrom(System.getenv("LOG_LEVEL"));
    /** What every line of the current invocation carries; a static, not a thread local: Lambda runs one at a time. */
    private static volatile Map<String, Object> invocation = Map.of();
    private static final AtomicBoolean invokedBefore = new AtomicBoolean();

    private Log() {}

    public static void debug(String message, Object... keyValues) {
        write(Level.DEBUG, message, keyValues);
    }

    public static void info(String message, Object... keyValues) {
        write(Level.INFO, message, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write(Level.WARN, message, keyValues);
    }

    public static void error(String message, Object... keyValues) {
        write(Level.ERROR, message, keyValues);
    }

    /**
     * Called first in each handleRequest: the lines that follow carry the request id and whether this is the JVM's
     * first invocation, under Powertools' field names ({@code function_request_id}, {@code cold_start}).
     */
    public static void startInvocation(Context context) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (context != null && context.getAwsRequestId() != null) {
            fields.put("function_request_id", context.getAwsRequestId());
        }
        fields.put("cold_start", !invokedBefore.getAndSet(true));
        invocation = Collections.unmodifiableMap(fields);
    }

    /** As in a new execution environment: no invocation yet, the next one is a cold start. For tests. */
    static void newExecutionEnvironment() {
        invocation = Map.of();
        invokedBefore.set(false);
    }

    /** Writes a line that is already a complete JSON document (Embedded Metric Format records). */
    public static void raw(String jsonLine) {
        PrintStream target = out;
        synchronized (target) {
            target.println(jsonLine);
            target.flush();
        }
    }

    /** Redirects the log, for tests and the local runner. */
    public static void redirect(PrintStream target, Level level) {
        out = target;
        threshold = level;
    }

    static Level levelFrom(String name) {
        if (name == null || name.isBlank()) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }

    private static void write(Level level, String message, Object... keyValues) {
        if (level.ordinal() < threshold.ordinal()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("message", message);
        line.putAll(invocation);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.put(String.valueOf(keyValues[i]), describe(keyValues[i + 1]));
        }
        raw(Json.write(line));
    }

    private static Object describe(Object value) {
        if (value instanceof Throwable error) {
            return bounded(error.getClass().getSimpleName() + ": " + error.getMessage());
        }
        if (value instanceof String text) {
            return bounded(text);
        }
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Map
                || value instanceof java.util.List) {
            return value;
        }
        return bounded(String.valueOf(value));
    }

    /** Values may quote input: cut so one line stays far below CloudWatch Logs' 256 KB event limit and is never split. */
    private static String bounded(String text) {
        if (text == null || text.length() <= MAX_VALUE_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_VALUE_CHARS - 1)) ? MAX_VALUE_CHARS - 1 : MAX_VALUE_CHARS;
        return text.substring(0, end) + "... (" + text.length() + " characters)";
    }
}

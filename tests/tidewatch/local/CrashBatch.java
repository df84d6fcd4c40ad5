package tidewatch.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tidewatch.json.Json;

/**
 * A storm of service-task crashes as SQS delivers it to the ECS function, built from the sample events: crash
 * {@code i} is events/ecs-service-task-crashed.json with a task ARN of its own and a service of its own
 * ({@code web-01}, {@code web-02}, ...), so that each crash is one message (a batch groups stops by service and
 * cause), wrapped in a record shaped like those of events/ecs-sqs-batch.json. Used by the fault suite and by
 * {@code bin/benchmark}'s storm case.
 */
public final class CrashBatch {
    private static final Path CRASH = Path.of("events", "ecs-service-task-crashed.json");
    private static final Path SQS_BATCH = Path.of("events", "ecs-sqs-batch.json");
    private static final String TASK_PREFIX = "arn:aws:ecs:eu-west-1:123456789012:task/prod/";

    private CrashBatch() {}

    /** The service crash {@code i} is a stop of: "web-01" for 1. */
    public static String service(int i) {
        return String.format(Locale.ROOT, "web-%02d", i);
    }

    /** Crash {@code i} (from 1) as EventBridge sends it, then changed by {@code change} (its "detail" and envelope). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> crash(int i, Consumer<Map<String, Object>> change) {
        Map<String, Object> event = (Map<String, Object>) Json.parse(read(CRASH));
        String taskArn = TASK_PREFIX + String.format(Locale.ROOT, "%032x", 0xc0ffee000L + i);
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        event.put("id", String.format(Locale.ROOT, "5b1f0a44-3f1e-2c8d-9a0b-%012d", i));
        event.put("resources", List.of(taskArn));
        detail.put("taskArn", taskArn);
        detail.put("group", "service:" + service(i));
        for (Object container : (List<Object>) detail.get("containers")) {
            ((Map<String, Object>) container).put("taskArn", taskArn);
        }
        change.accept(event);
        return event;
    }

    /** Crashes 1..{@code crashes}, unchanged, in one SQS batch. */
    public static Map<String, Object> of(int crashes) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 1; i <= crashes; i++) {
            events.add(crash(i, event -> { }));
        }
        return batch(events);
    }

    /** The events in one SQS batch, one record each, message ids {@code msg-1}, {@code msg-2}, ... in order. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> batch(List<Map<String, Object>> events) {
        Map<String, Object> sample = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) Json.parse(read(SQS_BATCH)))
                .get("Records")).get(0);
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> record = new LinkedHashMap<>(sample);
            String body = Json.write(events.get(i));
            record.put("messageId", "msg-" + (i + 1));
            record.put("receiptHandle", "AQEBstorm" + (i + 1) + "==");
            record.put("body", body);
            record.put("md5OfBody", md5(body));
            records.add(record);
        }
        return Map.of("Records", records);
    }

    /** Writes JSON to a temporary file, deleted when the JVM exits. */
    public static Path write(Object json, String name) {
        try {
            Path file = Files.createTempFile("tidewatch-" + name, ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, Json.write(json), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

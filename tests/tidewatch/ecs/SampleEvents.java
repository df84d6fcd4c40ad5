package tidewatch.ecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/** The project's sample events from events/, read as the handler reads them, and variations of them. */
final class SampleEvents {
    static final Path EVENTS = Path.of("events");

    private SampleEvents() {}

    static String text(String file) {
        try {
            return Files.readString(EVENTS.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> envelope(String file) {
        return Json.parseObject(text(file), file).mutableCopy();
    }

    /** A sample event with its detail changed by {@code change}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> variant(String file, Consumer<Map<String, Object>> change) {
        Map<String, Object> envelope = Json.parseObject(Json.write(envelope(file)), file).mutableCopy();
        change.accept((Map<String, Object>) envelope.get("detail"));
        return envelope;
    }

    static TaskStopEvent event(Map<String, Object> envelope) {
        return TaskStopEvent.fromEventBridge(JsonObject.of(envelope, "event"));
    }

    static TaskStopEvent event(String file) {
        return event(envelope(file));
    }

    static List<Map<String, Object>> containers(Object... nameExitReason) {
        java.util.ArrayList<Map<String, Object>> containers = new java.util.ArrayList<>();
        for (int i = 0; i < nameExitReason.length; i += 3) {
            Map<String, Object> container = new java.util.LinkedHashMap<>();
            container.put("name", nameExitReason[i]);
            if (nameExitReason[i + 1] != null) {
                container.put("exitCode", nameExitReason[i + 1]);
            }
            if (nameExitReason[i + 2] != null) {
                container.put("reason", nameExitReason[i + 2]);
            }
            container.put("lastStatus", "STOPPED");
            containers.add(container);
        }
        return containers;
    }

    /** The facts of task definition web:42: web is essential with 768 MiB and awslogs, log-router is not essential. */
    static TaskDefinitionFacts webFacts() {
        return new TaskDefinitionFacts(Map.of(
                "web", new TaskDefinitionFacts.ContainerFacts(true, 768, "/ecs/web", "ecs", "eu-west-1"),
                "log-router", new TaskDefinitionFacts.ContainerFacts(false, null, null, null, null)), 1024);
    }
}

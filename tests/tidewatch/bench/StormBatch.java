package tidewatch.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import tidewatch.json.Json;
import tidewatch.local.CrashBatch;

/**
 * The storm of {@code bin/benchmark --storm-batch}: SQS batches of 500 "ECS Task State Change" stops (the template's
 * {@code BatchSize}) as a large incident delivers them, built in memory from the sample events under events/, and
 * the world that answers their reads. Each batch holds, in a shuffled order, every {@link Kind} of {@link #MIX}:
 * a crash-looping service ({@code web}, 60 crashes), three services with a few abnormal stops each (out of memory,
 * failed load-balancer health checks, a crash), two services stopping normally in bulk (a deployment, a scale-in)
 * and a family of standalone tasks, most completing, some crashing. Batch {@code b} (from 0) stops in the minute
 * that starts {@code b} minutes after {@link #START}; every task has an ARN of its own.
 *
 * <p>The world is {@code events/worlds/web-crash-loop.json} (its task definitions, web service, VPN connection and
 * the three earlier crashes of web) plus a task definition per family, the services, the cluster, log lines for
 * every abnormal stop's container, and what ECS keeps of stopped tasks: the first batch's tasks of the services
 * with abnormal stops (ECS lists them with ListTasks; the sandbox answers a ListTasks in one page, so a service's
 * record stays under DescribeTasks' 100) and every standalone task of every batch (read back by ARN). Pure apart
 * from reading the sample files.
 */
final class StormBatch {
    static final int BATCH_SIZE = 500;
    static final String CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";
    static final Instant START = Instant.parse("2026-11-24T09:45:00Z");
    private static final String ACCOUNT_PREFIX = "arn:aws:ecs:eu-west-1:123456789012:";
    private static final Path EVENTS = Path.of("events");
    private static final Path WORLD = EVENTS.resolve("worlds").resolve("web-crash-loop.json");

    /**
     * One kind of stop: its family (a service's name, or a standalone task definition's family), the sample event it
     * is made from, the cause {@code TaskStopClassifier} gives it (as the message key spells it) and how many of it
     * each batch holds.
     */
    record Kind(String family, boolean service, String sample, String cause, boolean abnormal, int perBatch,
                Consumer<Map<String, Object>> change) {
        /** The group the function keys its messages by: "service:web", "family:etl". */
        String group() {
            return (service ? "service:" : "family:") + family;
        }

        /** The key of the message the function sends for this kind: {@code TaskStopMessage.key}. */
        String messageKey() {
            return "ecs/prod/" + group() + "/" + cause;
        }
    }

    static final List<Kind> MIX = List.of(
            new Kind("web", true, "ecs-service-task-crashed.json", "crash", true, 60, detail -> { }),
            new Kind("api", true, "ecs-service-task-out-of-memory.json", "out_of_memory", true, 2, detail -> { }),
            new Kind("checkout", true, "ecs-service-task-failed-elb-health-checks.json", "elb_health_check", true, 2, detail -> { }),
            new Kind("worker", true, "ecs-service-task-crashed.json", "crash", true, 1, detail -> { }),
            new Kind("search", true, "ecs-service-deployment-replaced-task.json", "deployment", false, 170, detail -> { }),
            new Kind("billing", true, "ecs-service-deployment-replaced-task.json", "scale_in", false, 115,
                    detail -> detail.put("stoppedReason", "Scaling activity initiated by (service billing)")),
            new Kind("etl", false, "ecs-standalone-task-crashed.json", "completed", false, 140, StormBatch::exitZero),
            new Kind("etl", false, "ecs-standalone-task-crashed.json", "crash", true, 10, detail -> { }));

    /** The batches, each an SQS batch as the function receives it, and the world that answers them. */
    record Storm(List<Map<String, Object>> batches, Map<String, Object> world) {}

    private StormBatch() {}

    /** Stops per batch of each {@link #MIX} kind; they add up to {@link #BATCH_SIZE}. */
    static int stopsPerBatch() {
        return MIX.stream().mapToInt(Kind::perBatch).sum();
    }

    /** The services (by name) with an abnormal stop in a batch: those whose stopped tasks the function lists. */
    static Set<String> servicesWithAbnormalStops() {
        Set<String> services = new LinkedHashSet<>();
        MIX.stream().filter(k -> k.service() && k.abnormal()).forEach(k -> services.add(k.family()));
        return services;
    }

    /** The message keys a batch should produce: one per family and abnormal cause. */
    static Set<String> expectedMessageKeys() {
        Set<String> keys = new LinkedHashSet<>();
        MIX.stream().filter(Kind::abnormal).forEach(k -> keys.add(k.messageKey()));
        return keys;
    }

    /** Standalone stops per batch: their records are read ahead, 100 to a DescribeTasks. */
    static int standaloneStopsPerBatch() {
        return MIX.stream().filter(k -> !k.service()).mapToInt(Kind::perBatch).sum();
    }

    /** {@code batches} batches of {@link #BATCH_SIZE} stops and their world. */
    @SuppressWarnings("unchecked")
    static Storm build(int batches) {
        Map<String, Object> world = (Map<String, Object>) Json.parse(read(WORLD));
        Map<String, Object> ecs = (Map<String, Object>) world.get("ecs");
        List<Object> definitions = new ArrayList<>((List<Object>) ecs.get("taskDefinitions"));
        List<Object> stopped = new ArrayList<>((List<Object>) ecs.get("stoppedTasks"));
        List<Object> services = new ArrayList<>((List<Object>) ecs.get("services"));
        Map<String, Object> logs = new LinkedHashMap<>((Map<String, Object>) world.get("logs"));
        List<Object> crashLog = (List<Object>) logs.values().iterator().next();
        Map<String, Object> webDefinition = (Map<String, Object>) definitions.get(0);
        Set<String> families = new LinkedHashSet<>();
        for (Kind kind : MIX) {
            if (families.add(kind.family()) && !kind.family().equals("web")) {
                definitions.add(definition(webDefinition, kind.family(), kind.service()));
                if (kind.service()) {
                    services.add(Map.of("serviceName", kind.family(), "serviceArn", ACCOUNT_PREFIX + "service/prod/" + kind.family(),
                            "clusterArn", CLUSTER, "desiredCount", 4, "runningCount", 3, "status", "ACTIVE"));
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<Kind> order = new ArrayList<>();
            MIX.forEach(kind -> order.addAll(Collections.nCopies(kind.perBatch(), kind)));
            Collections.shuffle(order, new Random(18_000L + b));
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                Kind kind = order.get(i);
                Instant stoppedAt = START.plus(Duration.ofMinutes(b)).plusMillis(i * 59_000L / order.size());
                Map<String, Object> event = stop(kind, b, i, stoppedAt);
                events.add(event);
                Map<String, Object> detail = (Map<String, Object>) event.get("detail");
                String taskId = taskId(b, i);
                if (kind.abnormal()) {
                    logs.put("/ecs/" + kind.family() + "/ecs/" + kind.family() + "/" + taskId, crashLog);
                }
                // What ECS keeps of stopped tasks, within the sandbox's one-page ListTasks (see the class comment).
                if (!kind.service() || (b == 0 && servicesWithAbnormalStops().contains(kind.family()))) {
                    stopped.add(detail);
                }
            }
            out.add(CrashBatch.batch(events));
        }
        ecs.put("taskDefinitions", definitions);
        ecs.put("stoppedTasks", stopped);
        ecs.put("services", services);
        ecs.put("clusters", List.of(Map.of("clusterName", "prod", "clusterArn", CLUSTER, "status", "ACTIVE")));
        world.put("logs", logs);
        return new Storm(out, world);
    }

    /** A task definition of {@code family} shaped like web's: its first container named after the family, logging to /ecs/FAMILY. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> definition(Map<String, Object> web, String family, boolean service) {
        Map<String, Object> definition = (Map<String, Object>) Json.parse(Json.write(web));
        definition.put("family", family);
        definition.put("revision", 7);
        definition.put("taskDefinitionArn", ACCOUNT_PREFIX + "task-definition/" + family + ":7");
        List<Object> containers = (List<Object>) definition.get("containerDefinitions");
        Map<String, Object> first = (Map<String, Object>) containers.get(0);
        first.put("name", family);
        ((Map<String, Object>) ((Map<String, Object>) first.get("logConfiguration")).get("options")).put("awslogs-group", "/ecs/" + family);
        if (!service) {
            definition.put("containerDefinitions", List.of(first));
        }
        return definition;
    }

    /** Stop {@code i} of batch {@code b}: the kind's sample event with its own task, family, container names and times. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stop(Kind kind, int b, int i, Instant stoppedAt) {
        Map<String, Object> event = (Map<String, Object>) Json.parse(read(EVENTS.resolve(kind.sample())));
        Map<String, Object> detail = (Map<String, Object>) event.get("detail");
        String taskArn = ACCOUNT_PREFIX + "task/prod/" + taskId(b, i);
        String sampleContainer = String.valueOf(((Map<String, Object>) ((List<Object>) detail.get("containers")).get(0)).get("name"));
        event.put("id", String.format(Locale.ROOT, "18%06d-0000-4000-8000-%012d", b, i));
        event.put("time", stoppedAt.plusSeconds(1).toString());
        event.put("resources", List.of(taskArn));
        detail.put("taskArn", taskArn);
        detail.put("group", kind.group());
        detail.put("taskDefinitionArn", kind.family().equals("web") ? detail.get("taskDefinitionArn")
                : ACCOUNT_PREFIX + "task-definition/" + kind.family() + ":7");
        detail.put("stoppingAt", stoppedAt.minusSeconds(15).toString());
        detail.put("executionStoppedAt", stoppedAt.minusSeconds(1).toString());
        detail.put("stoppedAt", stoppedAt.toString());
        detail.put("updatedAt", stoppedAt.toString());
        for (Object container : (List<Object>) detail.get("containers")) {
            Map<String, Object> c = (Map<String, Object>) container;
            c.put("taskArn", taskArn);
            if (sampleContainer.equals(c.get("name"))) {
                c.put("name", kind.family());
            }
        }
        if (detail.get("overrides") instanceof Map<?, ?> overrides && overrides.get("containerOverrides") instanceof List<?> list) {
            for (Object override : list) {
                if (sampleContainer.equals(((Map<String, Object>) override).get("name"))) {
                    ((Map<String, Object>) override).put("name", kind.family());
                }
            }
        }
        kind.change().accept(detail);
        return event;
    }

    /** A standalone task that ran to completion: every container exited 0. */
    @SuppressWarnings("unchecked")
    private static void exitZero(Map<String, Object> detail) {
        for (Object container : (List<Object>) detail.get("containers")) {
            ((Map<String, Object>) container).put("exitCode", 0);
        }
    }

    static String taskId(int batch, int index) {
        return String.format(Locale.ROOT, "57%06x%024x", batch, index);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package tidewatch.ecs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.ecs.EcsClient;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.log.Log;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;

/**
 * Reacts to "ECS Task State Change" events, delivered by SQS in batches (reporting partial batch failures) or as a
 * bare EventBridge event: diagnoses each stop, tells people about abnormal ones, detects crash loops and restarts
 * standalone tasks whose restart policy asks for it.
 */
public final class EcsTaskStateFunction implements RequestStreamHandler, Resource {
    private final AwsClients aws;
    private final EcsSettings settings;
    private final EcsState state;
    private final TaskRestarter restarter;
    private final Notifier notifier;

    /** What happened to one event; {@code failed} events are reported back to SQS for redelivery. */
    enum Result { IGNORED, DUPLICATE, NORMAL, NOTIFIED, SUPPRESSED, FAILED }

    public EcsTaskStateFunction() {
        this(Settings.fromEnvironment(), AwsClients.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    EcsTaskStateFunction(Settings settings, AwsClients aws) {
        this.aws = aws;
        this.settings = EcsSettings.from(settings);
        EcsClient ecs = aws.ecs();
        this.state = new EcsState(ecs, aws.logs());
        this.restarter = new TaskRestarter(ecs);
        this.notifier = Notifier.fromSettings(settings, aws);
    }

    /** SnapStart: warms the function's code paths before the snapshot, sending nothing ({@link EcsPriming}). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        EcsPriming.prime(aws, state, restarter, notifier);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: the webhook is read on first use and credentials refresh themselves
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonObject root;
        List<JsonObject> records;
        TaskStopEvent bare = null;
        try {
            root = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8), "event");
            records = root.has("Records") ? sqsRecords(root) : null;
            if (records == null) {
                bare = TaskStopEvent.fromEventBridge(root);
            }
        } catch (InvalidInputException e) {
            // Nothing was done; the invocation fails so that the event is retried and then kept by the failure queue.
            Log.error("rejected the invocation's input", "error", e.getMessage());
            throw e;
        }
        if (records != null) {
            output.write(Json.write(handleBatch(records)).getBytes(StandardCharsets.UTF_8));
            return;
        }
        state.startBatch();
        Item item = handleEvent(null, bare, new HashSet<>());
        notifyGrouped(List.of(item));
        if (item.result == Result.FAILED) {
            throw new IllegalStateException("the task stop could not be handled; see the log");
        }
        output.write(Json.write(Map.of("result", item.result.name())).getBytes(StandardCharsets.UTF_8));
    }

    /** One event of the invocation and what became of it. */
    private static final class Item {
        final String messageId;
        Result result;
        final Notice notice;

        Item(String messageId, Result result, Notice notice) {
            this.messageId = messageId;
            this.result = result;
            this.notice = notice;
        }
    }

    /** A stop worth telling people about, waiting to be grouped with others of the same service and cause. */
    private record Notice(TaskStopEvent event, Diagnosis diagnosis, TaskDefinitionFacts facts, TaskStopDecision.Plan plan,
                          String action, String key) {}

    /**
     * The records of an SQS batch, checked before anything is done: each must be an object with a message id,
     * since a record that cannot be named cannot be reported back for redelivery and would be lost.
     */
    private static List<JsonObject> sqsRecords(JsonObject root) {
        List<JsonObject> records = root.objects("Records");
        for (JsonObject record : records) {
            record.requireString("messageId");
        }
        return records;
    }

    private Map<String, Object> handleBatch(List<JsonObject> records) {
        state.startBatch();
        Map<String, TaskStopEvent> events = new LinkedHashMap<>();
        List<Item> items = new ArrayList<>();
        for (JsonObject record : records) {
            String messageId = record.string("messageId");
            try {
                events.put(messageId, TaskStopEvent.fromEventBridge(Json.parseObject(record.string("body"), "message " + messageId)));
            } catch (InvalidInputException e) {
                // Kept for redelivery, then the dead-letter queue, whose alarm tells people: never dropped silently.
                Log.error("rejected an SQS message that is not an ECS task state change", "messageId", messageId, "error", e.getMessage());
                items.add(new Item(messageId, Result.FAILED, null));
            }
        }
        readStandaloneTags(events.values());
        Set<String> seen = new HashSet<>();
        events.forEach((messageId, event) -> items.add(handleEvent(messageId, event, seen)));
        int messages = notifyGrouped(items);
        Map<Result, Integer> counts = new LinkedHashMap<>();
        List<Object> failures = new ArrayList<>();
        for (Item item : items) {
            counts.merge(item.result, 1, Integer::sum);
            if (item.result == Result.FAILED) {
                failures.add(Map.of("itemIdentifier", item.messageId));
            }
        }
        Log.info("batch handled", "records", records.size(), "results", counts, "messagesSent", messages);
        return Map.of("batchItemFailures", failures);
    }

    /**
     * Reads the tags of the batch's stopped standalone tasks up front, 100 tasks to a call, instead of one call per
     * stop. A failure here is only logged: each task's own read then decides for its record.
     */
    private void readStandaloneTags(Collection<TaskStopEvent> events) {
        Map<String, List<String>> byCluster = new LinkedHashMap<>();
        for (TaskStopEvent event : events) {
            if (event.isStopped() && !event.isServiceTask() && settings.watches(event.clusterArn())) {
                byCluster.computeIfAbsent(event.clusterArn(), k -> new ArrayList<>()).add(event.taskArn());
            }
        }
        byCluster.forEach((cluster, arns) -> {
            try {
                state.readTags(cluster, arns.stream().distinct().toList());
            } catch (RuntimeException e) {
                Log.warn("task tags not read ahead", "cluster", cluster, "tasks", arns.size(), "error", e);
            }
        });
    }

    private Item handleEvent(String messageId, TaskStopEvent event, Set<String> seen) {
        if (!event.isStopped()) {
            Log.debug("ignored: task not stopped", "task", event.taskArn(), "lastStatus", event.lastStatus());
            return new Item(messageId, Result.IGNORED, null);
        }
        if (!settings.watches(event.clusterArn())) {
            Log.debug("ignored: cluster not watched", "cluster", event.clusterArn());
            return new Item(messageId, Result.IGNORED, null);
        }
        if (!seen.add(event.taskArn())) { // a task stops once; a second STOPPED event of it is a duplicate
            Log.info("duplicate event ignored", "task", event.taskArn(), "version", event.version(), "eventId", event.eventId());
            return new Item(messageId, Result.DUPLICATE, null);
        }
        try {
            return respond(messageId, event);
        } catch (RuntimeException e) {
            Log.error("task stop not handled", "task", event.taskArn(), "eventId", event.eventId(), "error", e);
            return new Item(messageId, Result.FAILED, null);
        }
    }

    /** Diagnoses the stop, decides and restarts; the message itself is sent later, grouped. */
    private Item respond(String messageId, TaskStopEvent event) {
        TaskDefinitionFacts facts = state.taskDefinition(event.taskDefinitionArn());
        Diagnosis diagnosis = TaskStopClassifier.classify(event, facts);
        TaskStopDecision.Plan plan;
        if (event.isServiceTask()) {
            plan = TaskStopDecision.forServiceTask(diagnosis, diagnosis.abnormal() ? crashCount(event) : CrashLoop.Count.NONE,
                    settings.crashLoop());
        } else {
            Map<String, String> tags = standaloneTags(event);
            plan = TaskStopDecision.forStandaloneTask(event, diagnosis, tags, settings.restartsEnabled(),
                    TaskStopDecision.mayRestart(tags, settings.restartsEnabled()) ? crashCount(event) : CrashLoop.Count.NONE,
                    settings.crashLoop());
        }

        String action = plan.action();
        boolean retryLater = false;
        TaskRestarter.Outcome outcome = null;
        if (plan.restart() != null) {
            outcome = restarter.restart(plan.restart());
            action = TaskStopDecision.restartResult(plan, outcome.startedTaskArn(), outcome.failure());
            retryLater = !outcome.started() && outcome.retryable();
        }
        Log.info("task stop diagnosed", "task", event.taskArn(), "group", event.group(), "cause", diagnosis.cause().name(),
                "abnormal", diagnosis.abnormal(), "tellPeople", plan.tellPeople(),
                "abnormalStopsInWindow", plan.crashCount().inWindow(), "abnormalStopsInARow", plan.crashCount().inARow(), "action", action);
        Result result = retryLater ? Result.FAILED : !diagnosis.abnormal() && !plan.tellPeople() ? Result.NORMAL
                : plan.tellPeople() ? Result.NOTIFIED : Result.SUPPRESSED;
        Notice notice = diagnosis.abnormal() || plan.tellPeople()
                ? new Notice(event, diagnosis, facts, plan, action, groupKey(event, diagnosis, outcome)) : null;
        return new Item(messageId, result, notice);
    }

    /**
     * Stops are grouped by service or family and cause; a restart's outcome splits a group further, so that a failed
     * restart is never hidden behind a successful one of the same family.
     */
    private static String groupKey(TaskStopEvent event, Diagnosis diagnosis, TaskRestarter.Outcome restart) {
        String key = TaskStopMessage.key(event, diagnosis);
        if (restart == null) {
            return key;
        }
        return key + (restart.started() ? "#restarted" : "#restart-failed");
    }

    private CrashLoop.Count crashCount(TaskStopEvent event) {
        return settings.crashLoop().count(state.abnormalStops(event), event.stoppedAt());
    }

    /**
     * The task's tags. With restarts off they only enrich the message, so a failed read degrades to "unknown"
     * instead of holding the stop back from people; with restarts on, the failure keeps the event for a retry.
     */
    private Map<String, String> standaloneTags(TaskStopEvent event) {
        try {
            return state.tags(event.clusterArn(), event.taskArn());
        } catch (RuntimeException e) {
            if (settings.restartsEnabled()) {
                throw e;
            }
            Log.warn("task tags unreadable; restarts are off, so the stop is reported without them", "task", event.taskArn(), "error", e);
            return null;
        }
    }

    /**
     * Sends one message per service (or family) and cause: in a storm, the loudest stop of each group speaks for the
     * group, with the count and the other tasks listed. A group whose stops were all held back by the crash-loop
     * milestones sends nothing. Returns the number of messages sent.
     */
    private int notifyGrouped(List<Item> items) {
        Map<String, List<Item>> groups = new LinkedHashMap<>();
        for (Item item : items) {
            if (item.notice != null) {
                groups.computeIfAbsent(item.notice.key(), k -> new ArrayList<>()).add(item);
            }
        }
        int sent = 0;
        for (List<Item> group : groups.values()) {
            if (group.stream().noneMatch(i -> i.notice.plan().tellPeople())) {
                continue;
            }
            Notice lead = group.stream().map(i -> i.notice)
                    .max(java.util.Comparator.comparing((Notice n) -> -n.plan().severity().ordinal())
                            .thenComparingInt(n -> n.plan().crashCount().inARow())
                            .thenComparing(n -> n.event().stoppedAt(), java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
                    .orElseThrow();
            List<String> others = group.stream().map(i -> i.notice.event().taskId())
                    .filter(id -> !id.equals(lead.event().taskId())).toList();
            TaskStopMessage.LogEvidence logs = state.logEvidence(lead.event(), lead.diagnosis().container(), lead.facts(), settings.logLines());
            Message message = TaskStopMessage.build(lead.event(), lead.diagnosis(), lead.plan().severity(), lead.action(),
                    lead.plan().crashCount(), logs, others);
            try {
                notifier.send(message);
                sent++;
            } catch (RuntimeException e) {
                Log.error("task stop message not delivered; the events will be retried", "key", lead.key(), "events", group.size(), "error", e);
                group.forEach(i -> i.result = Result.FAILED);
            }
        }
        return sent;
    }
}

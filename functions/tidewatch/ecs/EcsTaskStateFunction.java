package tidewatch.ecs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
public final class EcsTaskStateFunction implements RequestStreamHandler {
    private final EcsSettings settings;
    private final EcsState state;
    private final TaskRestarter restarter;
    private final Notifier notifier;

    /** What happened to one event; {@code failed} events are reported back to SQS for redelivery. */
    enum Result { IGNORED, DUPLICATE, NORMAL, NOTIFIED, SUPPRESSED, FAILED }

    public EcsTaskStateFunction() {
        this(Settings.fromEnvironment(), AwsClients.fromEnvironment());
    }

    EcsTaskStateFunction(Settings settings, AwsClients aws) {
        this.settings = EcsSettings.from(settings);
        this.state = new EcsState(aws.ecs(), aws.logs());
        this.restarter = new TaskRestarter(aws.ecs());
        this.notifier = Notifier.fromSettings(settings, aws);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonObject root = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8), "event");
        Map<String, Object> response;
        if (root.has("Records")) {
            response = handleBatch(root);
        } else {
            Result result = handle(root, new HashSet<>());
            if (result == Result.FAILED) {
                throw new IllegalStateException("the task stop could not be handled; see the log");
            }
            response = Map.of("result", result.name());
        }
        output.write(Json.write(response).getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> handleBatch(JsonObject batch) {
        Set<String> seen = new HashSet<>();
        List<Object> failures = new ArrayList<>();
        Map<Result, Integer> counts = new LinkedHashMap<>();
        List<JsonObject> records = batch.objects("Records");
        for (JsonObject record : records) {
            String messageId = record.string("messageId");
            Result result;
            try {
                result = handle(Json.parseObject(record.string("body"), "message " + messageId), seen);
            } catch (InvalidInputException e) {
                // Kept for redelivery, then the dead-letter queue, whose alarm tells people: never dropped silently.
                Log.error("rejected an SQS message that is not an ECS task state change", "messageId", messageId, "error", e.getMessage());
                result = Result.FAILED;
            }
            counts.merge(result, 1, Integer::sum);
            if (result == Result.FAILED && messageId != null) {
                failures.add(Map.of("itemIdentifier", messageId));
            }
        }
        Log.info("batch handled", "records", records.size(), "results", counts);
        return Map.of("batchItemFailures", failures);
    }

    private Result handle(JsonObject envelope, Set<String> seen) {
        TaskStopEvent event = TaskStopEvent.fromEventBridge(envelope);
        if (!event.isStopped()) {
            Log.debug("ignored: task not stopped", "task", event.taskArn(), "lastStatus", event.lastStatus());
            return Result.IGNORED;
        }
        if (!settings.watches(event.clusterArn())) {
            Log.debug("ignored: cluster not watched", "cluster", event.clusterArn());
            return Result.IGNORED;
        }
        if (!seen.add(event.taskArn() + "#" + event.version())) {
            Log.info("duplicate event ignored", "task", event.taskArn(), "version", event.version(), "eventId", event.eventId());
            return Result.DUPLICATE;
        }
        try {
            return respond(event);
        } catch (RuntimeException e) {
            Log.error("task stop not handled", "task", event.taskArn(), "eventId", event.eventId(), "error", e);
            return Result.FAILED;
        }
    }

    private Result respond(TaskStopEvent event) {
        TaskDefinitionFacts facts = state.taskDefinition(event.taskDefinitionArn());
        Diagnosis diagnosis = TaskStopClassifier.classify(event, facts);
        TaskStopDecision.Plan plan = event.isServiceTask()
                ? TaskStopDecision.forServiceTask(diagnosis, diagnosis.abnormal()
                        ? settings.crashLoop().count(state.abnormalStops(event), event.stoppedAt()) : 0, settings.crashLoop())
                : TaskStopDecision.forStandaloneTask(event, diagnosis, state.tags(event.clusterArn(), event.taskArn()),
                        settings.restartsEnabled());

        String action = plan.action();
        boolean retryLater = false;
        if (plan.restart() != null) {
            TaskRestarter.Outcome outcome = restarter.restart(plan.restart());
            action = outcome.started()
                    ? action.replace("Restarting", "Restarted as task " + outcome.startedTaskArn().substring(outcome.startedTaskArn().lastIndexOf('/') + 1))
                    : action.replace("Restarting", "Restart failed (" + outcome.failure() + ")");
            retryLater = !outcome.started() && outcome.retryable();
        }
        Log.info("task stop diagnosed", "task", event.taskArn(), "group", event.group(), "cause", diagnosis.cause().name(),
                "abnormal", diagnosis.abnormal(), "tellPeople", plan.tellPeople(), "crashCount", plan.crashCount(), "action", action);
        if (!plan.tellPeople()) {
            return diagnosis.abnormal() ? Result.SUPPRESSED : Result.NORMAL;
        }
        TaskStopMessage.LogEvidence logs = state.logEvidence(event, diagnosis.container(), facts, settings.logLines());
        Message message = TaskStopMessage.build(event, diagnosis, plan.severity(), action, plan.crashCount(), logs);
        notifier.send(message);
        return retryLater ? Result.FAILED : Result.NOTIFIED;
    }
}

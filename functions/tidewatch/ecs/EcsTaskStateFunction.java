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
import org.crac.Core;
import org.crac.Resource;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.datacenter.ReachabilityReader;
import tidewatch.ecs.BatchResults.Result;
import tidewatch.ecs.TaskStopGroups.Notice;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.notify.Notifier;

/**
 * Reacts to "ECS Task State Change" events, delivered by SQS in batches (reporting partial batch failures) or as a
 * bare EventBridge event: diagnoses each stop, tells people about abnormal ones, detects crash loops and restarts
 * standalone tasks whose restart policy asks for it. The same pipeline brings ECS's service, deployment and
 * container-instance warnings ({@link EcsServiceEvent}), told by {@link EcsServiceEventResponder}.
 */
public final class EcsTaskStateFunction implements RequestStreamHandler, Resource {
    private final AwsClients aws;
    private final EcsSettings settings;
    private final EcsState state;
    private final ContainerLogs logs;
    private final TaskRestarter restarter;
    private final Notifier notifier;
    private final TaskStopResponder responder;
    private final ReachabilityReader datacenter;
    private final SilenceTags silences;
    private final EcsServiceEventResponder serviceResponder;

    public EcsTaskStateFunction() {
        this(Settings.fromEnvironment(), AwsClients.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    EcsTaskStateFunction(Settings settings, AwsClients aws) {
        this.aws = aws;
        this.settings = EcsSettings.from(settings);
        this.state = new EcsState(aws.ecs());
        this.logs = new ContainerLogs(aws.logs());
        this.restarter = new TaskRestarter(aws.ecs());
        this.notifier = Notifier.fromSettings(settings, aws);
        this.datacenter = new ReachabilityReader(aws::ec2, this.settings.vpnIds());
        this.silences = new SilenceTags(aws.ecs());
        this.responder = new TaskStopResponder(this.settings, state, logs, restarter, notifier, datacenter, silences);
        this.serviceResponder = new EcsServiceEventResponder(this.settings, state, notifier, silences);
    }

    /** SnapStart: warms the function's code paths before the snapshot, sending nothing ({@link EcsPriming}). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        EcsPriming.prime(aws, state, logs, restarter, notifier, datacenter, silences);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: the webhook is read on first use and credentials refresh themselves
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.startInvocation(context);
        InvocationDeadline deadline = InvocationDeadline.of(context);
        notifier.beginInvocation(deadline);
        BatchResults results = new BatchResults();
        JsonObject root;
        // by SQS message id; one event under a null id when EventBridge calls directly
        Map<String, TaskStopEvent> events = new LinkedHashMap<>();
        Map<String, EcsServiceEvent> serviceEvents = new LinkedHashMap<>();
        try {
            root = Json.parseObject(new String(input.readAllBytes(), StandardCharsets.UTF_8), "event");
            if (root.has("Records")) {
                batchEvents(root, results, events, serviceEvents);
            } else {
                sort(null, root, events, serviceEvents);
            }
        } catch (InvalidInputException e) {
            // Nothing was done; the invocation fails so that the event is retried and then kept by the failure queue.
            Log.error("rejected the invocation's input", "error", e.getMessage());
            throw e;
        }
        boolean batch = root.has("Records");

        InvocationDeadline deciding = deadline.keeping(TaskStopResponder.TIME_TO_TELL);
        state.startBatch(deciding);
        responder.startInvocation();
        if (batch) {
            readStandaloneTags(events.values());
        }
        Set<String> seen = new HashSet<>();
        List<Notice> notices = new ArrayList<>();
        events.forEach((messageId, event) -> {
            Notice notice = responder.respond(messageId, event, seen, results, deciding);
            if (notice != null) {
                notices.add(notice);
            }
        });
        int sent = responder.tell(TaskStopGroups.of(notices), results, deadline);
        sent += serviceResponder.respond(serviceEvents, results, deciding, deadline);

        Log.info(batch ? "batch handled" : "event handled", "records", batch ? root.objects("Records").size() : 1,
                "results", results.counts(), "messagesSent", sent);
        if (batch) {
            output.write(Json.write(results.response()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (results.only() == Result.FAILED) {
            throw new IllegalStateException("the task stop could not be handled; see the log");
        }
        output.write(Json.write(Map.of("result", results.only().name())).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The SQS batch's events by message id, task stops and service events apart; a record that is neither is failed
     * for redelivery.
     */
    private static void batchEvents(JsonObject root, BatchResults results, Map<String, TaskStopEvent> events,
                                    Map<String, EcsServiceEvent> serviceEvents) {
        for (JsonObject record : BatchResults.records(root)) {
            String messageId = record.string("messageId");
            try {
                sort(messageId, Json.parseObject(record.string("body"), "message " + messageId), events, serviceEvents);
            } catch (InvalidInputException e) {
                // Kept for redelivery, then the dead-letter queue, whose alarm tells people: never dropped silently.
                Log.error("rejected an SQS message that is not an ECS event", "messageId", messageId, "error", e.getMessage());
                results.add(messageId, Result.FAILED);
            }
        }
    }

    /** A service, deployment or container-instance event goes to its own responder; anything else must be a task state change. */
    private static void sort(String messageId, JsonObject envelope, Map<String, TaskStopEvent> events, Map<String, EcsServiceEvent> serviceEvents) {
        if (EcsServiceEvent.isServiceEvent(envelope)) {
            serviceEvents.put(messageId, EcsServiceEvent.fromEventBridge(envelope));
        } else {
            events.put(messageId, TaskStopEvent.fromEventBridge(envelope));
        }
    }

    /**
     * Reads ECS's records of the batch's stopped standalone tasks up front, 100 tasks to a call, instead of one call per
     * stop. A failure here is only logged: each task's own read then decides for its record.
     */
    private void readStandaloneTags(Iterable<TaskStopEvent> events) {
        Map<String, List<String>> byCluster = new LinkedHashMap<>();
        for (TaskStopEvent event : events) {
            if (event.isStopped() && !event.isServiceTask() && settings.watches(event.clusterArn())) {
                byCluster.computeIfAbsent(event.clusterArn(), k -> new ArrayList<>()).add(event.taskArn());
            }
        }
        byCluster.forEach((cluster, arns) -> {
            try {
                state.readTasks(cluster, arns.stream().distinct().toList());
            } catch (RuntimeException e) {
                Log.warn("task tags not read ahead", "cluster", cluster, "tasks", arns.size(), "error", e);
            }
        });
    }
}

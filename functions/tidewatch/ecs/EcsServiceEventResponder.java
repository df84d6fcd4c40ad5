package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tidewatch.aws.AwsFailure;
import tidewatch.ecs.BatchResults.Result;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;
import tidewatch.notify.Severity;
import tidewatch.notify.Silence;

/**
 * Responds to the service, deployment and container-instance events of one invocation ({@link EcsServiceEvent}):
 * groups them by service (or instance) and kind, as task stops are grouped, reads what ECS records about each group,
 * decides ({@link EcsServiceEventDecision}) and tells people once per group. Nothing here acts on infrastructure.
 * A read that fails is named in the message, which goes out with what is known; a message that cannot be sent, or
 * a group left undecided when the time runs out, fails its records for redelivery.
 */
final class EcsServiceEventResponder {
    /** How long a container remembers telling of a container instance's state, against ECS's repeats of it. */
    static final Duration INSTANCE_TOLD_FOR = Duration.ofHours(1);

    private final EcsSettings settings;
    private final EcsState state;
    private final Notifier notifier;
    private final SilenceTags silences;
    /** The container instances told of (key), when (System.nanoTime). */
    private final Map<String, Long> toldInstances = new HashMap<>();
    /** How long a service's placement failures count as one run without a steady state in between. */
    static final Duration PLACEMENT_RUN_FOR = Duration.ofHours(6);
    /** The placement failures this container has seen of each service (key) since it last reached a steady state. */
    private final Map<String, PlacementRun> placementRuns = new HashMap<>();

    /** @param since when the run's first failure was seen */
    private record PlacementRun(Instant since, int count) {}

    EcsServiceEventResponder(EcsSettings settings, EcsState state, Notifier notifier, SilenceTags silences) {
        this.settings = settings;
        this.state = state;
        this.notifier = notifier;
        this.silences = silences;
    }

    private record Pending(String messageId, EcsServiceEvent event) {}

    /**
     * Decides and tells the events (by SQS message id; a null id for a bare event); returns the messages sent.
     *
     * @param deciding the invocation's deadline less the time kept for telling
     */
    int respond(Map<String, EcsServiceEvent> events, BatchResults results, InvocationDeadline deciding, InvocationDeadline deadline) {
        Map<String, List<Pending>> groups = new LinkedHashMap<>();
        events.forEach((messageId, event) -> {
            EcsServiceEventKind kind = event.kind();
            if (kind == EcsServiceEventKind.INFORMATIONAL) {
                Log.info("ignored: informational ECS event", "detailType", event.detailType(), "eventName", event.eventName(), "eventId", event.eventId());
                results.add(messageId, Result.IGNORED);
            } else if (event.clusterArn() != null && !settings.watches(event.clusterArn())) {
                Log.info("ignored: cluster not watched", "cluster", event.clusterArn(), "eventName", event.eventName(), "eventId", event.eventId());
                results.add(messageId, Result.IGNORED);
            } else {
                if (kind == EcsServiceEventKind.UNKNOWN) {
                    Log.warn("unknown or unreadable ECS event; told quoted raw", "detailType", event.detailType(), "eventName", event.eventName(),
                            "problem", event.problem(), "eventId", event.eventId());
                }
                groups.computeIfAbsent(EcsServiceEventMessage.key(event), k -> new ArrayList<>()).add(new Pending(messageId, event));
            }
        });
        int sent = 0;
        Map<String, List<PlacementCapacity.Instance>> instances = new HashMap<>(); // by cluster, read once per batch
        for (Map.Entry<String, List<Pending>> group : groups.entrySet()) {
            List<String> ids = group.getValue().stream().map(Pending::messageId).toList();
            try {
                Result result = decideAndTell(group.getKey(), group.getValue(), instances, deciding, deadline);
                ids.forEach(id -> results.add(id, result));
                sent += result == Result.NOTIFIED ? 1 : 0;
            } catch (RuntimeException e) {
                Log.error("ECS event not handled; kept for redelivery", "key", group.getKey(), "events", ids.size(), "error", e);
                ids.forEach(id -> results.add(id, Result.FAILED));
            }
        }
        return sent;
    }

    private Result decideAndTell(String key, List<Pending> group, Map<String, List<PlacementCapacity.Instance>> instancesByCluster,
                                 InvocationDeadline deciding, InvocationDeadline deadline) {
        if (!deciding.allows(TaskStopResponder.LEAST_TIME_TO_DECIDE)) {
            Log.warn("ECS event not handled: no time left in the invocation; kept for redelivery", "key", key, "events", group.size());
            return Result.FAILED;
        }
        EcsServiceEvent lead = group.stream().map(Pending::event)
                .max(Comparator.comparing(EcsServiceEvent::time, Comparator.nullsFirst(Comparator.naturalOrder()))).orElseThrow();
        EcsServiceEventKind kind = lead.kind();
        List<String> unreadable = new ArrayList<>();
        ServiceRecord service = kind.aboutService() ? read("ecs:DescribeServices", unreadable, () -> state.service(lead.clusterArn(), lead.serviceName())) : null;
        Severity severity = EcsServiceEventDecision.severity(service);
        String note = null;
        PlacementCapacity capacity = null;
        String failedDefinition = null;
        String rolledBackTo = null;
        Map<String, Integer> stopCauses = null;
        Integer instanceTasks = null;
        List<ServiceRecord> shortServices = null;

        switch (kind) {
            case PLACEMENT_FAILURE, CONFIGURATION_FAILURE -> {
                if (kind == EcsServiceEventKind.PLACEMENT_FAILURE) {
                    int inARow = countPlacementFailures(key, group.size(), service);
                    if (!EcsServiceEventDecision.tellPlacementFailure(inARow, group.size())) {
                        Log.info("placement failure not told again: between milestones", "key", key, "inARow", inARow, "events", group.size());
                        return Result.SUPPRESSED;
                    }
                    note = inARow > 1 ? inARow + " placement failures seen since the service's last steady state (told at 1, 2, 4, 8, ...)" : null;
                }
                String definitionArn = service == null ? null : service.taskDefinitionArn();
                PlacementCapacity.Needs needs = definitionArn == null ? null
                        : read("ecs:DescribeTaskDefinition", unreadable, () -> state.placementNeeds(definitionArn));
                boolean fargate = lead.reason() != null && lead.reason().toUpperCase(Locale.ROOT).contains("FARGATE");
                List<PlacementCapacity.Instance> instances = fargate ? null : instancesByCluster.get(lead.clusterArn());
                if (instances == null && !fargate) {
                    instances = read("ecs:ListContainerInstances/DescribeContainerInstances", unreadable,
                            () -> state.activeContainerInstances(lead.clusterArn()));
                    if (instances != null) {
                        instancesByCluster.put(lead.clusterArn(), instances);
                    }
                }
                capacity = new PlacementCapacity(needs, instances);
            }
            case START_IMPAIRED -> {
                CrashLoop.Count count = read("ecs:ListTasks/DescribeTasks (stopped tasks)", unreadable, () -> crashCount(lead));
                if (count != null && settings.crashLoop().isLooping(count)) {
                    Log.info("ECS's SERVICE_TASK_START_IMPAIRED folded into Tidewatch's crash-loop message", "key", key,
                            "abnormalStopsInWindow", count.inWindow());
                    return Result.SUPPRESSED;
                }
                if (count != null && count.inWindow() > 0) {
                    note = count.inWindow() + " abnormal stops in the last " + settings.crashLoop().window().toMinutes()
                            + " minutes (Tidewatch tells its own crash-loop message at " + settings.crashLoop().threshold() + " only when ECS has not)";
                }
            }
            case DEPLOYMENT_FAILED -> {
                if (service != null) {
                    ServiceRecord.Deployment failed = service.deployments().stream().filter(d -> d.id().equals(lead.deploymentId()))
                            .findFirst().orElse(null);
                    ServiceRecord.Deployment primary = service.deployments().stream().filter(d -> "PRIMARY".equals(d.status()))
                            .findFirst().orElse(null);
                    failedDefinition = failed == null ? null : revision(failed.taskDefinitionArn());
                    if (primary != null && (failed == null || !primary.id().equals(failed.id()))) {
                        rolledBackTo = revision(primary.taskDefinitionArn());
                    }
                }
                stopCauses = read("ecs:ListTasks/DescribeTasks (stopped tasks)", unreadable, () -> deploymentStopCauses(lead));
            }
            case INSTANCE_DISCONNECTED, INSTANCE_DRAINING -> {
                Long told = toldInstances.get(key);
                if (told != null && System.nanoTime() - told < INSTANCE_TOLD_FOR.toNanos()) {
                    Log.info("container instance state already told by this container", "key", key);
                    return Result.SUPPRESSED;
                }
                if (kind == EcsServiceEventKind.INSTANCE_DISCONNECTED) {
                    // The agent disconnects and reconnects several times an hour in normal operation: ECS's record now decides.
                    EcsState.InstanceState now = read("ecs:DescribeContainerInstances", unreadable,
                            () -> state.containerInstance(lead.clusterArn(), lead.containerInstanceArn()));
                    if (now != null && (now.agentConnected() || !"ACTIVE".equals(now.status()))) {
                        Log.info("container instance not told: ECS's record shows its agent connected again, or the instance gone",
                                "key", key, "agentConnected", now.agentConnected(), "status", now.status());
                        return Result.SUPPRESSED;
                    }
                }
                List<String> groups = read("ecs:ListTasks/DescribeTasks (instance tasks)", unreadable,
                        () -> state.taskGroupsOn(lead.clusterArn(), lead.containerInstanceArn()));
                if (groups != null) {
                    instanceTasks = groups.size();
                    List<String> names = groups.stream().filter(g -> g != null && g.startsWith("service:"))
                            .map(g -> g.substring("service:".length())).distinct().sorted().toList();
                    shortServices = new ArrayList<>();
                    for (int start = 0; start < names.size(); start += EcsState.MAX_SERVICES_PER_CALL) {
                        List<String> chunk = names.subList(start, Math.min(names.size(), start + EcsState.MAX_SERVICES_PER_CALL));
                        List<ServiceRecord> read = read("ecs:DescribeServices", unreadable, () -> state.serviceRecords(lead.clusterArn(), chunk));
                        if (read != null) {
                            shortServices.addAll(read);
                        }
                    }
                    if (kind == EcsServiceEventKind.INSTANCE_DRAINING && unreadable.isEmpty()
                            && shortServices.stream().noneMatch(EcsServiceEventDecision::belowDesired)) {
                        // A drain on purpose (a scale-in, an instance refresh) moves tasks without a service going short.
                        Log.info("draining instance not told: every service on it runs its desired count", "key", key, "services", names);
                        return Result.SUPPRESSED;
                    }
                    severity = EcsServiceEventDecision.worst(shortServices);
                }
            }
            default -> { }
        }
        if (!deadline.allows(TaskStopResponder.LEAST_TIME_TO_SEND)) {
            Log.error("ECS event message not sent: no time left in the invocation; the events will be retried", "key", key, "events", group.size());
            return Result.FAILED;
        }
        Silence silence = lead.clusterArn() == null ? Silence.NONE : silences.silence(lead.clusterArn(), kind.aboutService() ? lead.serviceName() : null,
                Instant.now(), deadline.keeping(TaskStopResponder.TIME_TO_TELL));
        if (silence.active()) {
            silence.record(key, TaskStopMessage.SOURCE);
            return Result.SILENCED;
        }
        Message message = silence.noted(EcsServiceEventMessage.build(lead, group.size(), severity, new EcsServiceEventMessage.Facts(
                service, capacity, failedDefinition, rolledBackTo, stopCauses, instanceTasks, shortServices, unreadable, note)));
        Log.info("ECS event decided", "key", key, "kind", kind.name(), "events", group.size(), "severity", severity.wireName(),
                "unreadable", unreadable);
        try {
            notifier.send(message);
        } catch (RuntimeException e) {
            Log.error("ECS event message not delivered; the events will be retried", "key", key, "events", group.size(), "error", e);
            return Result.FAILED;
        }
        if (kind == EcsServiceEventKind.INSTANCE_DISCONNECTED || kind == EcsServiceEventKind.INSTANCE_DRAINING) {
            toldInstances.put(key, System.nanoTime());
        }
        return Result.NOTIFIED;
    }

    /**
     * Counts the service's placement failures in this container: a run ends when ECS's event list shows a steady state
     * after its start, or after {@link #PLACEMENT_RUN_FOR}. Returns the count including this batch's.
     */
    private int countPlacementFailures(String key, int events, ServiceRecord service) {
        Instant now = Instant.now();
        PlacementRun run = placementRuns.get(key);
        Instant steady = EcsServiceEventDecision.lastSteadyState(service);
        if (run == null || run.since().isBefore(now.minus(PLACEMENT_RUN_FOR)) || (steady != null && steady.isAfter(run.since()))) {
            run = new PlacementRun(now, 0);
        }
        run = new PlacementRun(run.since(), run.count() + events);
        placementRuns.put(key, run);
        return run.count();
    }

    private interface Read<T> {
        T get();
    }

    /** One read for a message: its failure is logged and named in the message, which goes out without it. */
    private static <T> T read(String call, List<String> unreadable, Read<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            String failure = AwsFailure.describe(e);
            Log.warn("ECS state unreadable; told without it", "call", call, "error", failure);
            unreadable.add(call + ": " + failure);
            return null;
        }
    }

    /**
     * The service's abnormal stops in the crash-loop window: ECS's record of its stopped tasks with this batch's own
     * stops, counted as the task stops' side counts them ({@link EcsState#serviceAbnormalStops}).
     */
    private CrashLoop.Count crashCount(EcsServiceEvent event) {
        Map<String, Instant> stops = state.serviceAbnormalStops(event.clusterArn(), event.serviceName(), event.eventId(), event.region());
        return settings.crashLoop().count(stops.values(), event.time() != null ? event.time() : Instant.now());
    }

    /** The causes of the stopped tasks the failed deployment started (ECS's startedBy is the deployment's id), with counts. */
    private Map<String, Integer> deploymentStopCauses(EcsServiceEvent event) {
        Map<String, Integer> causes = new LinkedHashMap<>();
        if (event.deploymentId() == null) {
            return causes;
        }
        for (TaskStopEvent stopped : state.stoppedServiceTasks(event.clusterArn(), event.serviceName(), event.deploymentId(), event.eventId(),
                event.region())) {
            Diagnosis diagnosis = TaskStopClassifier.classify(stopped, state.taskDefinition(stopped.taskDefinitionArn()));
            String exits = stopped.containers().stream().filter(c -> c.exitCode() != null && c.exitCode() != 0)
                    .map(c -> c.name() + " exit " + c.exitCode()).distinct().reduce((a, b) -> a + ", " + b).map(s -> " (" + s + ")").orElse("");
            causes.merge(diagnosis.cause().plainWords() + exits, 1, Integer::sum);
        }
        return causes;
    }

    /** "registry-certs:15" from the task definition's ARN, as {@link TaskStopEvent#taskDefinitionRevision} names it. */
    private static String revision(String taskDefinitionArn) {
        return taskDefinitionArn == null ? null : taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
    }
}

package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import tidewatch.aws.AwsFailure;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;

/**
 * What the services of the watched clusters went through during a datacenter outage, for the VPN alarm's resolved
 * message: from ECS's own record of stopped tasks (ListTasks, DescribeTasks; ECS keeps about an hour of them), the
 * services whose tasks stopped abnormally between two instants, and whether each is back at its desired count
 * (DescribeServices). Each stop is classified as a stop event is, without its task definition (every container counted
 * as essential), which saves a read per revision. Optional context: a read that fails or finds no time left is said so, and never holds up the
 * message.
 */
public final class OutageStops {
    /** The most the whole read may take: the resolved message matters more than its list. */
    public static final Duration READ_BUDGET = Duration.ofSeconds(6);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** Reads nothing: no cluster is named. */
    public static final OutageStops NONE = new OutageStops(() -> {
        throw new IllegalStateException("no ECS client without clusters");
    }, List.of());

    /**
     * One service's abnormal stops in the window, and its counts now.
     *
     * @param running null when DescribeServices did not answer for it
     */
    record ServiceOutcome(String cluster, String service, int abnormalStops, Integer running, Integer desired) {}

    private final Supplier<EcsClient> ecs;
    private final List<String> clusters;

    /** @param clusters names or ARNs of the watched clusters; empty, or only "*", for none (the list is not guessed) */
    public OutageStops(Supplier<EcsClient> ecs, List<String> clusters) {
        this.ecs = ecs;
        this.clusters = clusters.stream().filter(c -> !c.equals("*")).toList();
    }

    public boolean watchesClusters() {
        return !clusters.isEmpty();
    }

    /**
     * The resolved message's field value: one line per service that stopped abnormally between {@code from} and
     * {@code to}, and whether it is back.
     */
    public String describe(Instant from, Instant to, InvocationDeadline deadline) {
        String window = "between " + CLOCK.format(from) + " and " + CLOCK.format(to);
        if (!watchesClusters()) {
            return "not read: WATCHED_CLUSTERS names no cluster";
        }
        InvocationDeadline reading = deadline.within(READ_BUDGET);
        List<ServiceOutcome> outcomes;
        try {
            outcomes = read(from, to, reading);
        } catch (RuntimeException e) {
            Log.warn("services stopped during the outage unreadable", "clusters", clusters, "error", e);
            return "not read: " + AwsFailure.describe(e);
        }
        if (outcomes.isEmpty()) {
            return "none: no service task of " + String.join(", ", names()) + " stopped abnormally " + window
                    + " (ECS keeps stopped tasks about an hour)";
        }
        List<String> lines = new ArrayList<>();
        for (ServiceOutcome outcome : outcomes) {
            String counts = outcome.running() == null ? "its counts unreadable"
                    : outcome.running() >= outcome.desired() ? "back: " + outcome.running() + " of " + outcome.desired() + " running"
                    : "NOT back: " + outcome.running() + " of " + outcome.desired() + " running";
            lines.add(outcome.service() + " in " + outcome.cluster() + ": " + outcome.abnormalStops() + " abnormal "
                    + (outcome.abnormalStops() == 1 ? "stop" : "stops") + "; " + counts);
        }
        return String.join("\n", lines) + "\n(" + window + "; ECS keeps stopped tasks about an hour)";
    }

    private List<String> names() {
        return clusters.stream().map(c -> c.substring(c.lastIndexOf('/') + 1)).toList();
    }

    List<ServiceOutcome> read(Instant from, Instant to, InvocationDeadline deadline) {
        EcsState state = new EcsState(ecs.get());
        state.startBatch(deadline);
        List<ServiceOutcome> outcomes = new ArrayList<>();
        for (String cluster : clusters) {
            Map<String, Integer> stopsByService = new LinkedHashMap<>();
            for (Task task : state.stoppedTasks(cluster, token -> state.listStoppedTasks(cluster, token))) {
                TaskStopEvent stop = EcsState.fromTask(task, null, null, null);
                if (stop.isServiceTask() && stop.stoppedAt() != null && !stop.stoppedAt().isBefore(from) && !stop.stoppedAt().isAfter(to)
                        && TaskStopClassifier.classify(stop, TaskDefinitionFacts.UNKNOWN).abnormal()) {
                    stopsByService.merge(stop.groupName(), 1, Integer::sum);
                }
            }
            outcomes.addAll(withCounts(state, cluster, stopsByService));
        }
        return outcomes;
    }

    /** Each service's stops with its counts now; counts that cannot be read are said to be unreadable. */
    private static List<ServiceOutcome> withCounts(EcsState state, String cluster, Map<String, Integer> stopsByService) {
        String clusterName = cluster.substring(cluster.lastIndexOf('/') + 1);
        Map<String, Service> services = new LinkedHashMap<>();
        List<String> names = List.copyOf(stopsByService.keySet());
        for (int start = 0; start < names.size(); start += EcsState.MAX_SERVICES_PER_CALL) {
            List<String> chunk = names.subList(start, Math.min(names.size(), start + EcsState.MAX_SERVICES_PER_CALL));
            try {
                state.services(cluster, chunk).forEach(service -> services.put(service.serviceName(), service));
            } catch (RuntimeException e) {
                Log.warn("service counts unreadable", "cluster", cluster, "services", chunk, "error", e);
            }
        }
        List<ServiceOutcome> outcomes = new ArrayList<>();
        stopsByService.forEach((name, stops) -> {
            Service service = services.get(name);
            outcomes.add(new ServiceOutcome(clusterName, name, stops, service == null ? null : service.runningCount(),
                    service == null ? null : service.desiredCount()));
        });
        return outcomes;
    }
}

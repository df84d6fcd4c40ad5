package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;
import tidewatch.aws.AwsClients;
import tidewatch.aws.AwsFailure;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.notify.Silence;

/**
 * Reads the silences kept on ECS resources ({@link Silence#TAG}): a service's own tags (DescribeServices with TAGS)
 * and its cluster's (DescribeClusters with TAGS), each at most once a minute per container. Only for a message about
 * to be sent. A read that fails is logged and means "not silenced" (and is not kept): a message is never lost to a
 * silence nobody could read.
 */
final class SilenceTags {
    /** The most one read may take: the message matters more than its silence. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    private final EcsClient ecs;
    private final Map<String, Map<String, String>> clusters = new HashMap<>();
    /** The services' records as read with their tags (a service ECS does not know: an empty record). */
    private final Map<String, ServiceRecord> services = new HashMap<>();
    /** When the oldest tags kept were read (System.nanoTime), or 0 when none are kept. */
    private long oldestRead;

    SilenceTags(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** Forgets the tags read more than {@code freshFor} ago: a silence set or lifted is seen within that time. */
    void startInvocation(Duration freshFor) {
        if (oldestRead != 0 && System.nanoTime() - oldestRead > freshFor.toNanos()) {
            clusters.clear();
            services.clear();
            oldestRead = 0;
        }
    }

    /** What silences a message about this stop: its service's tag (service tasks), else its cluster's. */
    Silence silence(TaskStopEvent event, Instant now, InvocationDeadline deadline) {
        return silence(event.clusterArn(), event.isServiceTask() ? event.groupName() : null, now, deadline);
    }

    /** What silences a message about a service ({@code service} null: about the cluster only): its tag, else its cluster's. */
    Silence silence(String clusterArn, String service, Instant now, InvocationDeadline deadline) {
        String clusterName = clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
        Silence cluster = Silence.of("cluster " + clusterName, clusterTags(clusterArn, deadline), now);
        if (service == null) {
            return Silence.first(List.of(cluster));
        }
        ServiceRecord record = service(clusterArn, service, deadline);
        return Silence.first(List.of(Silence.of("service " + service + " in " + clusterName, record == null ? null : record.tags(), now),
                cluster));
    }

    /**
     * ECS's record of the service, read with its tags for the silence (so its counts and events come with that one
     * read); null when it could not be read.
     */
    ServiceRecord service(String clusterArn, String service, InvocationDeadline deadline) {
        return services.computeIfAbsent(clusterArn + "|" + service,
                key -> read("ecs:DescribeServices", service, deadline, timeout -> serviceRecord(clusterArn, service, timeout)));
    }

    private Map<String, String> clusterTags(String clusterArn, InvocationDeadline deadline) {
        return clusters.computeIfAbsent(clusterArn, key -> read("ecs:DescribeClusters", clusterArn, deadline, timeout -> clusterTags(clusterArn, timeout)));
    }

    /** The bare calls, which SnapStart priming ({@link EcsPriming}) makes too. */
    ServiceRecord serviceRecord(String clusterArn, String service, Duration timeout) {
        return ecs.describeServices(r -> r.cluster(clusterArn).services(service).include(ServiceField.TAGS)
                .overrideConfiguration(o -> o.apiCallTimeout(AwsClients.callTimeout(timeout))))
                .services().stream().findFirst().map(EcsState::serviceRecord).orElse(ServiceRecord.MISSING);
    }

    Map<String, String> clusterTags(String clusterArn, Duration timeout) {
        return tags(ecs.describeClusters(r -> r.clusters(clusterArn).include(ClusterField.TAGS)
                .overrideConfiguration(o -> o.apiCallTimeout(AwsClients.callTimeout(timeout))))
                .clusters().stream().flatMap(c -> c.tags().stream()).toList());
    }

    private interface Read<T> {
        T get(Duration timeout);
    }

    private <T> T read(String call, String resource, InvocationDeadline deadline, Read<T> read) {
        if (oldestRead == 0) {
            oldestRead = System.nanoTime();
        }
        Duration timeout = deadline.cap(READ_TIMEOUT);
        if (timeout.compareTo(AwsClients.LEAST_CALL_TIME) < 0) {
            Log.warn("silence not read: no time left in the invocation; not silenced", "call", call, "resource", resource);
            return null; // not kept: the next message reads again
        }
        try {
            return read.get(timeout);
        } catch (RuntimeException e) {
            Log.warn("silence unreadable; not silenced", "call", call, "resource", resource, "error", AwsFailure.describe(e));
            return null;
        }
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(tag -> map.put(tag.key(), tag.value() == null ? "" : tag.value()));
        return map;
    }
}

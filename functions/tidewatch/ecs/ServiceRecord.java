package tidewatch.ecs;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * ECS's record of a service, reduced to what the decisions about it read: its counts, its latest events (ECS's own
 * messages, newest first), its deployments and its tags. Built from DescribeServices by {@link EcsState#serviceRecord}.
 *
 * @param taskDefinitionArn the service's current task definition
 */
record ServiceRecord(String name, Integer desired, Integer running, Integer pending, String taskDefinitionArn, List<Event> events,
                     List<Deployment> deployments, Map<String, String> tags) {

    /** A service ECS does not know. */
    static final ServiceRecord MISSING = new ServiceRecord(null, null, null, null, null, List.of(), List.of(), Map.of());

    /** One of ECS's messages about the service ("(service web) has reached a steady state."). */
    record Event(Instant createdAt, String message) {}

    /** @param status PRIMARY (the newest), ACTIVE (one being replaced) or INACTIVE */
    record Deployment(String id, String status, String taskDefinitionArn) {}
}

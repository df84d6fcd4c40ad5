package tidewatch.ecs;

import java.util.Map;

/**
 * What an {@link EcsServiceEvent} is about, in the terms people act on. Every WARN and ERROR name of AWS's "Amazon ECS
 * service action events" and "service deployment state change events" pages has a kind; an event name those pages do
 * not list is {@link #UNKNOWN} and told quoted raw, as is an event missing what identifies it. INFO names (steady
 * state, deployment in progress or completed) are filtered out by the EventBridge rule; one that arrives anyway is
 * {@link #INFORMATIONAL} and only logged.
 */
enum EcsServiceEventKind {
    PLACEMENT_FAILURE("cannot place a task"),
    START_IMPAIRED("cannot start tasks consistently (ECS: SERVICE_TASK_START_IMPAIRED)"),
    DEPLOYMENT_FAILED("deployment failed"),
    CONFIGURATION_FAILURE("cannot place a task: a configuration error"),
    DAEMON_PLACEMENT_VIOLATED("a daemon task no longer meets its placement constraints"),
    SERVICE_DISCOVERY_UNHEALTHY("service discovery reports an unhealthy task"),
    VPC_LATTICE_TARGET_UNHEALTHY("a VPC Lattice target is unhealthy"),
    THROTTLED("ECS's scheduler is throttled"),
    INSTANCE_DISCONNECTED("a container instance's agent disconnected"),
    INSTANCE_DRAINING("a container instance is draining"),
    INFORMATIONAL("an informational event"),
    UNKNOWN("an ECS event Tidewatch does not know");

    /** The documented names of service action and deployment events, by their kind. */
    static final Map<String, EcsServiceEventKind> BY_NAME = Map.ofEntries(
            Map.entry("SERVICE_TASK_PLACEMENT_FAILURE", PLACEMENT_FAILURE),
            Map.entry("SERVICE_TASK_START_IMPAIRED", START_IMPAIRED),
            Map.entry("SERVICE_DEPLOYMENT_FAILED", DEPLOYMENT_FAILED),
            Map.entry("SERVICE_TASK_CONFIGURATION_FAILURE", CONFIGURATION_FAILURE),
            Map.entry("SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED", DAEMON_PLACEMENT_VIOLATED),
            Map.entry("SERVICE_DISCOVERY_INSTANCE_UNHEALTHY", SERVICE_DISCOVERY_UNHEALTHY),
            Map.entry("VPC_LATTICE_TARGET_UNHEALTHY", VPC_LATTICE_TARGET_UNHEALTHY),
            Map.entry("ECS_OPERATION_THROTTLED", THROTTLED),
            Map.entry("SERVICE_DISCOVERY_OPERATION_THROTTLED", THROTTLED),
            Map.entry("SERVICE_STEADY_STATE", INFORMATIONAL),
            Map.entry("TASKSET_STEADY_STATE", INFORMATIONAL),
            Map.entry("CAPACITY_PROVIDER_STEADY_STATE", INFORMATIONAL),
            Map.entry("SERVICE_DESIRED_COUNT_UPDATED", INFORMATIONAL),
            Map.entry("TASKS_STOPPED", INFORMATIONAL),
            Map.entry("SERVICE_DEPLOYMENT_IN_PROGRESS", INFORMATIONAL),
            Map.entry("SERVICE_DEPLOYMENT_COMPLETED", INFORMATIONAL));

    private final String plainWords;

    EcsServiceEventKind(String plainWords) {
        this.plainWords = plainWords;
    }

    String plainWords() {
        return plainWords;
    }

    /** Whether the event concerns one service (else one container instance, or nothing known). */
    boolean aboutService() {
        return this != INSTANCE_DISCONNECTED && this != INSTANCE_DRAINING && this != UNKNOWN && this != INFORMATIONAL;
    }

    static EcsServiceEventKind of(EcsServiceEvent event) {
        if (event.problem() != null) {
            return UNKNOWN;
        }
        if (EcsServiceEvent.CONTAINER_INSTANCE_STATE_CHANGE.equals(event.detailType())) {
            if (Boolean.FALSE.equals(event.agentConnected())) {
                return INSTANCE_DISCONNECTED;
            }
            return "DRAINING".equals(event.status()) ? INSTANCE_DRAINING : INFORMATIONAL;
        }
        return BY_NAME.getOrDefault(event.eventName(), UNKNOWN);
    }
}

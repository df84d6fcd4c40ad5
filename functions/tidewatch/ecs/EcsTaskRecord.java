package tidewatch.ecs;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ECS's own record of a task, as DescribeTasks returns it: what a restart is built from, never the event's body.
 * DescribeTasks reports the awsvpc subnets (in the ENI attachment) but neither the security groups nor whether a
 * public IP was assigned; the security groups come from the task's tag {@link TaskStopDecision#SECURITY_GROUPS_TAG}.
 *
 * @param overrides the task's overrides in the shape of RunTask's TaskOverride, only the members a restart replays
 */
record EcsTaskRecord(String taskArn, String clusterArn, String lastStatus, Instant stoppedAt, String taskDefinitionArn,
                     String group, String launchType, String capacityProviderName, String platformVersion,
                     List<String> subnetIds, Map<String, Object> overrides, Map<String, String> tags) {

    boolean isStopped() {
        return "STOPPED".equals(lastStatus);
    }

    /** Whether this record is of the stop the event tells: the same task, stopped at the same time (to the millisecond). */
    boolean isStopOf(TaskStopEvent event) {
        return taskArn.equals(event.taskArn()) && stoppedAt != null && event.stoppedAt() != null
                && stoppedAt.truncatedTo(ChronoUnit.MILLIS).equals(event.stoppedAt().truncatedTo(ChronoUnit.MILLIS));
    }

    /** The members a restart is built from on which the event's body says something else than ECS. */
    List<String> mismatches(TaskStopEvent event) {
        List<String> differ = new ArrayList<>();
        compare(differ, "taskDefinitionArn", taskDefinitionArn, event.taskDefinitionArn());
        compare(differ, "group", group, event.group());
        compare(differ, "launchType", launchType, event.launchType());
        compare(differ, "capacityProviderName", capacityProviderName, event.capacityProviderName());
        compare(differ, "platformVersion", platformVersion, event.platformVersion());
        compare(differ, "subnets", subnetIds, event.subnetIds());
        compare(differ, "overrides", overrides, replayable(event.overrides()));
        return differ;
    }

    private static void compare(List<String> differ, String name, Object ours, Object theirs) {
        if (!Objects.equals(ours, theirs)) {
            differ.add(name);
        }
    }

    private static final List<String> TASK_MEMBERS = List.of("cpu", "memory", "taskRoleArn", "executionRoleArn");
    private static final List<String> CONTAINER_MEMBERS = List.of("name", "command", "environment", "cpu", "memory", "memoryReservation");

    /**
     * Overrides reduced to the members a restart replays, empty ones left out and numbers as longs, so that the
     * event's JSON and ECS's record compare equal when they say the same.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> replayable(Map<String, Object> overrides) {
        Map<String, Object> result = new LinkedHashMap<>();
        List<Object> containers = new ArrayList<>();
        if (overrides.get("containerOverrides") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> container) {
                    containers.add(members((Map<String, Object>) container, CONTAINER_MEMBERS));
                }
            }
        }
        result.put("containerOverrides", containers);
        result.putAll(members(overrides, TASK_MEMBERS));
        return result;
    }

    private static Map<String, Object> members(Map<String, Object> from, List<String> names) {
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String name : names) {
            Object value = from.get(name);
            if (value == null || value instanceof List<?> list && list.isEmpty()) {
                continue;
            }
            kept.put(name, value instanceof Number n ? (Object) n.longValue() : value);
        }
        return kept;
    }
}

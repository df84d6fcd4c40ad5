package tidewatch.ecs;

import java.util.List;
import java.util.Map;

/**
 * A RunTask that recreates a stopped standalone task: same cluster, task definition, capacity, network, overrides
 * and group, its tags with the restart count incremented, and a client token derived from the stop so that ECS
 * starts at most one task for it however often the event is delivered.
 */
record RestartRequest(
        String cluster,
        String taskDefinition,
        String launchType,
        String capacityProvider,
        String platformVersion,
        List<String> subnets,
        List<String> securityGroups,
        Map<String, Object> overrides,
        String group,
        Map<String, String> tags,
        String clientToken,
        int restartNumber) {}

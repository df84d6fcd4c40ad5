package tidewatch.ecs;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Why a service's task does not fit: what the task needs and what each ACTIVE container instance has left, as ECS
 * counts them for placement ({@link EcsState#placementNeeds}, {@link EcsState#room}). Pure.
 *
 * @param needs     null when the task definition could not be read
 * @param instances null when they could not be read
 */
record PlacementCapacity(Needs needs, List<Instance> instances) {

    /** @param cpu CPU units, null when none are reserved */
    record Needs(Integer memoryMiB, Integer cpu) {}

    /**
     * A container instance's free resources, from DescribeContainerInstances' {@code remainingResources}; an instance
     * whose agent is disconnected takes no task, whatever it has left.
     */
    record Instance(String name, Integer freeMemoryMiB, Integer freeCpu, int runningTasks, boolean agentConnected) {}

    Integer needMemoryMiB() {
        return needs == null ? null : needs.memoryMiB();
    }

    Integer needCpu() {
        return needs == null ? null : needs.cpu();
    }
    /** The instance with the most free memory, or null when none is known. */
    Instance roomiest() {
        return instances == null ? null : instances.stream().filter(i -> i.freeMemoryMiB() != null && i.agentConnected())
                .max(Comparator.comparingInt(Instance::freeMemoryMiB)).orElse(null);
    }

    /**
     * What would fix it, in plain words, for the reason ECS gave ("RESOURCE:MEMORY", "RESOURCE:CPU", ...); null when
     * nothing can be said beyond ECS's own reason.
     */
    String fix(String reason) {
        String r = reason == null ? "" : reason.toUpperCase(Locale.ROOT);
        if (r.contains("FARGATE")) {
            return "Fargate has no capacity for the task in the service's subnets right now: ECS keeps trying; if it lasts, add "
                    + "subnets in other availability zones or a FARGATE_SPOT capacity provider.";
        }
        boolean resource = r.contains("MEMORY") || r.contains("CPU") || r.contains("PORTS");
        if (resource && instances != null && instances.stream().noneMatch(Instance::agentConnected)) {
            return "The cluster has no ACTIVE container instance with its agent connected: start one (check the Auto Scaling group), "
                    + "then ECS places the task.";
        }
        Integer needMemoryMiB = needMemoryMiB();
        Integer needCpu = needCpu();
        if (r.contains("MEMORY") && needMemoryMiB != null && roomiest() != null) {
            Instance best = roomiest();
            return "The largest free memory is " + best.freeMemoryMiB() + " MiB on instance " + best.name() + "; the task needs "
                    + needMemoryMiB + " MiB: add an instance, lower the containers' memory reservation, or stop something.";
        }
        if (r.contains("CPU") && needCpu != null && instances != null) {
            Instance best = instances.stream().filter(i -> i.freeCpu() != null && i.agentConnected()).max(Comparator.comparingInt(Instance::freeCpu)).orElse(null);
            if (best != null) {
                return "The most free CPU is " + best.freeCpu() + " units on instance " + best.name() + "; the task needs " + needCpu
                        + ": add an instance, lower the task's CPU, or stop something.";
            }
        }
        if (r.contains("PORTS")) {
            return "Each instance already uses the port the task wants on the host: use dynamic host ports (hostPort 0) or add an instance.";
        }
        if (r.contains("ATTRIBUTE") || r.contains("MEMBEROF") || r.contains("CONSTRAINT")) {
            return "No instance meets the service's placement constraints or the task's required attributes: check them against the instances.";
        }
        return null;
    }

}

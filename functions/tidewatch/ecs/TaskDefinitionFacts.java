package tidewatch.ecs;

import java.util.Map;

/**
 * What the diagnosis needs from a task definition, read once per revision (revisions never change).
 *
 * @param containers by container name
 * @param taskMemoryMiB the task-level memory, when set
 */
record TaskDefinitionFacts(Map<String, ContainerFacts> containers, Integer taskMemoryMiB) {
    /** When the task definition cannot be read, every container counts as essential and nothing else is known. */
    public static final TaskDefinitionFacts UNKNOWN = new TaskDefinitionFacts(Map.of(), null);

    /**
     * @param memoryMiB the hard limit ({@code memory}), else the soft one ({@code memoryReservation}), else null
     * @param logGroup and {@code logStreamPrefix}: the awslogs driver's options, null for any other driver
     */
    public record ContainerFacts(boolean essential, Integer memoryMiB, String logGroup, String logStreamPrefix, String logRegion) {}

    public boolean isEssential(String container) {
        ContainerFacts facts = containers.get(container);
        return facts == null || facts.essential();
    }

    public ContainerFacts container(String name) {
        return containers.get(name);
    }
}

package tidewatch.ecs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.datacenter.Reachability;

/**
 * The stops of one invocation worth telling people about, grouped as Alertmanager groups alerts: one group per
 * service (or family) and cause, so that a storm sends one message per group, led by its loudest stop. Pure.
 */
final class TaskStopGroups {
    /**
     * A stop worth telling people about, waiting to be grouped; {@code messageId} is null for a bare event.
     *
     * @param reachability the datacenter's state when the stop was decided ({@link DatacenterOutageRule})
     */
    record Notice(String messageId, TaskStopEvent event, Diagnosis diagnosis, TaskDefinitionFacts facts, TaskStopPlan plan,
                  String action, String key, Reachability reachability) {}

    /** The stops of one service (or family) and cause, in the order they came. */
    record Group(String key, List<Notice> notices) {
        /** A group whose stops were all held back by the crash-loop milestones sends nothing. */
        boolean tellsPeople() {
            return notices.stream().anyMatch(n -> n.plan().tellPeople());
        }

        /** The stop that speaks for the group: the most severe, then the longest run of crashes, then the latest. */
        Notice lead() {
            return notices.stream()
                    .max(Comparator.comparing((Notice n) -> -n.plan().severity().ordinal())
                            .thenComparingInt(n -> n.plan().crashCount().inARow())
                            .thenComparing(n -> n.event().stoppedAt(), Comparator.nullsFirst(Comparator.naturalOrder())))
                    .orElseThrow();
        }

        /** The ids of the group's tasks other than the lead's, listed in its message. */
        List<String> otherTaskIds() {
            String lead = lead().event().taskId();
            return notices.stream().map(n -> n.event().taskId()).filter(id -> !id.equals(lead)).toList();
        }
    }

    private TaskStopGroups() {}

    static List<Group> of(List<Notice> notices) {
        Map<String, List<Notice>> byKey = new LinkedHashMap<>();
        for (Notice notice : notices) {
            byKey.computeIfAbsent(notice.key(), k -> new ArrayList<>()).add(notice);
        }
        return byKey.entrySet().stream().map(e -> new Group(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

    /**
     * A group's key: service or family and cause; a restart's outcome splits a group further, so that a failed
     * restart is never hidden behind a successful one of the same family.
     *
     * @param restarted null when no restart was attempted
     */
    static String key(TaskStopEvent event, Diagnosis diagnosis, Boolean restarted) {
        String key = TaskStopMessage.key(event, diagnosis);
        if (restarted == null) {
            return key;
        }
        return key + (restarted ? "#restarted" : "#restart-failed");
    }
}

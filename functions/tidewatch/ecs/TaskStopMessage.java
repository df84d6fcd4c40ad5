package tidewatch.ecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import tidewatch.console.ConsoleLinks;
import tidewatch.console.RegionNames;
import tidewatch.datacenter.Reachability;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;

/** Builds the message for a task stop: what stopped, why, what Tidewatch did, where to look. Pure. */
final class TaskStopMessage {
    public static final String SOURCE = "ecs";
    private static final int MAX_LISTED_TASKS = 10;

    /**
     * The log stream of a container that used the awslogs driver, and its last lines.
     *
     * @param missing without lines, what the message says of them ("unavailable: ...", "not read: timed out ..."), or null
     */
    public record LogEvidence(String group, String stream, String region, List<String> lines, String missing) {}

    private TaskStopMessage() {}

    /** The stable key of what a message is about: one service or family, one cause. */
    public static String key(TaskStopEvent event, Diagnosis diagnosis) {
        return "ecs/" + event.clusterName() + "/" + event.group() + "/" + diagnosis.cause().name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param otherTasks   the other tasks of the same service and cause stopped in the same batch, for a storm
     * @param reachability the datacenter's state: a stop it explains says so first ({@link DatacenterOutageRule})
     * @param logFinding   what the log shows of a failed datacenter connection ("a connection timeout to 10.20.1.5:1433"), or null
     */
    public static Message build(TaskStopEvent event, Diagnosis diagnosis, Severity severity, String action, CrashLoop.Count crashCount,
                                LogEvidence logs, List<String> otherTasks, Reachability reachability, String logFinding) {
        String subject = event.isServiceTask() ? "Service " + event.groupName() : "Task " + event.groupName();
        String title = severity == Severity.CRITICAL && crashCount.inWindow() > 1
                ? subject + " is crash-looping in " + event.clusterName() + " (" + crashCount.inWindow() + " abnormal stops)"
                : subject + " in " + event.clusterName() + ": " + diagnosis.cause().plainWords();

        List<Message.Field> fields = new ArrayList<>();
        fields.add(new Message.Field("Cluster", event.clusterName()));
        fields.add(new Message.Field(event.isServiceTask() ? "Service" : "Family", event.groupName()));
        fields.add(new Message.Field("Task definition", event.taskDefinitionRevision()));
        fields.add(new Message.Field("Task", event.taskId()));
        fields.add(new Message.Field("Availability zone", event.availabilityZone() == null ? "unknown" : event.availabilityZone()));
        fields.add(new Message.Field("Cause", diagnosis.cause().plainWords()));
        fields.add(new Message.Field("Stop code", event.stopCode() == null ? "none" : event.stopCode()));
        fields.add(new Message.Field("Stopped reason", event.stoppedReason() == null ? "none" : event.stoppedReason()));
        fields.add(new Message.Field("Exit codes", exitCodes(event)));
        if (event.stoppedAt() == null) {
            fields.add(new Message.Field("Stopped at", "unknown: the event's stoppedAt and time are missing or out of range"));
        }
        if (crashCount.inWindow() > 0) {
            fields.add(new Message.Field("Abnormal stops in window", Integer.toString(crashCount.inWindow())));
            fields.add(new Message.Field("Abnormal stops in a row", Integer.toString(crashCount.inARow())));
        }
        if (!otherTasks.isEmpty()) {
            fields.add(new Message.Field("Stops of this kind in this batch", Integer.toString(otherTasks.size() + 1)));
            String listed = String.join(", ", otherTasks.subList(0, Math.min(MAX_LISTED_TASKS, otherTasks.size())));
            fields.add(new Message.Field("Other tasks", otherTasks.size() > MAX_LISTED_TASKS
                    ? listed + " and " + (otherTasks.size() - MAX_LISTED_TASKS) + " more" : listed));
        }
        String datacenter = DatacenterOutageRule.datacenterField(diagnosis, reachability);
        if (datacenter != null) {
            fields.add(new Message.Field("Datacenter", datacenter));
        }
        if (logFinding != null) {
            fields.add(new Message.Field("Log shows", logFinding));
        }
        fields.add(new Message.Field("Tidewatch did", action));
        if (logs != null && logs.missing() != null) {
            fields.add(new Message.Field("Log lines", logs.missing()));
        }

        String region = region(event);
        List<Message.Link> links = new ArrayList<>();
        if (region != null) {
            links.add(new Message.Link("Task in the ECS console", ConsoleLinks.ecsTask(region, event.clusterName(), event.taskId())));
        }
        Message.Evidence evidence = null;
        if (logs != null) {
            // The task definition's awslogs-region is someone's text too: only a region code may become a host.
            String logRegion = logs.region() == null ? region : RegionNames.code(logs.region()).orElse(null);
            if (logRegion != null) {
                links.add(new Message.Link("Container log stream", ConsoleLinks.logStream(logRegion, logs.group(), logs.stream())));
            }
            if (logs.lines() != null && !logs.lines().isEmpty()) {
                evidence = new Message.Evidence("Last " + logs.lines().size() + " log lines of " + diagnosis.container(), logs.lines());
            }
        }
        String summary = DatacenterOutageRule.linked(diagnosis, reachability)
                ? "Likely cause: " + reachability.likelyCause() + ". " + diagnosis.explanation() : diagnosis.explanation();
        return new Message(title, severity, summary, fields, links, evidence, key(event, diagnosis), SOURCE);
    }

    static String exitCodes(TaskStopEvent event) {
        if (event.containers().isEmpty()) {
            return "no containers reported";
        }
        return event.containers().stream()
                .map(c -> c.name() + ": " + (c.exitCode() == null ? "none" : c.exitCode())
                        + (c.reason() == null || c.reason().isBlank() ? "" : " (" + c.reason() + ")"))
                .collect(Collectors.joining(", "));
    }

    /** The event's region, else the task ARN's; null when neither is a region code (it becomes a link's host). */
    static String region(TaskStopEvent event) {
        return RegionNames.code(event.region()).orElseGet(() -> RegionNames.fromArn(event.taskArn()));
    }
}

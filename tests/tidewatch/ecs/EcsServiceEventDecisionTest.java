package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tidewatch.notify.Severity;

/** The decision table of service events, and what a task that cannot be placed needs against what is left. */
class EcsServiceEventDecisionTest {
    private static final String PLACE = "(service registry-certs) was unable to place a task because no container instance met all of its requirements.";
    private static final String STEADY = "(service registry-certs) has reached a steady state.";

    private static ServiceRecord.Event event(String message) {
        return new ServiceRecord.Event(null, message);
    }

    private static ServiceRecord service(int desired, int running) {
        return new ServiceRecord("registry-certs", desired, running, 0, null, List.of(), List.of(), java.util.Map.of());
    }

    @ParameterizedTest(name = "desired {0}, running {1} -> {2}")
    @CsvSource({"2, 0, CRITICAL", "2, 1, WARNING", "2, 2, WARNING", "0, 0, WARNING"})
    void noTaskRunningIsCritical(int desired, int running, Severity severity) {
        assertEquals(severity, EcsServiceEventDecision.severity(service(desired, running)));
    }

    @Test
    void anUnknownServiceIsAWarning() {
        assertEquals(Severity.WARNING, EcsServiceEventDecision.severity(null));
        assertEquals(Severity.CRITICAL, EcsServiceEventDecision.worst(List.of(
                service(2, 1), service(1, 0))));
    }

    @ParameterizedTest(name = "{0} in a row, {1} in the batch -> {2}")
    @CsvSource({"1, 1, true", "2, 1, true", "3, 1, false", "4, 1, true", "5, 1, false", "7, 1, false", "8, 1, true",
            "7, 3, false", "9, 3, true", "6, 3, true", "0, 1, true", "0, 3, true", "100, 5, false", "128, 1, true"})
    void placementFailuresAreToldAtDoublingCounts(int inARow, int inBatch, boolean told) {
        assertEquals(told, EcsServiceEventDecision.tellPlacementFailure(inARow, inBatch));
    }

    @Test
    void ecsReportsImpairedOnlyWithinTheWindow() {
        Instant now = Instant.parse("2026-12-02T09:20:00Z");
        ServiceRecord.Event impaired = new ServiceRecord.Event(now.minusSeconds(600),
                "(service registry-certs) is unable to consistently start tasks successfully.");
        assertEquals(List.of(now.minusSeconds(600)), EcsServiceEventDecision.impairedAt(List.of(event(PLACE), impaired), now, Duration.ofMinutes(15)));
        assertEquals(List.of(), EcsServiceEventDecision.impairedAt(List.of(impaired), now, Duration.ofMinutes(5)));
        assertEquals(List.of(), EcsServiceEventDecision.impairedAt(List.of(event(PLACE)), now, Duration.ofMinutes(15)));
    }

    @Test
    void exactlyOneSideTellsALoop() {
        CrashLoop loop = new CrashLoop(3, Duration.ofMinutes(15));
        Instant t = Instant.parse("2026-12-02T09:15:00Z");
        List<Instant> twoBefore = List.of(t.minusSeconds(300), t.minusSeconds(60));
        // ECS first: two stops before its event, so its event was told (the impaired side's count, 2, is below 3).
        assertTrue(EcsServiceEventDecision.impairedWasTold(List.of(t), twoBefore, loop));
        assertFalse(loop.isLooping(loop.count(twoBefore, t)), "the impaired side told it");
        // Tidewatch first: three stops before ECS's event, so ECS's was held back and the loop message must go out.
        List<Instant> threeBefore = List.of(t.minusSeconds(300), t.minusSeconds(120), t.minusSeconds(30));
        assertFalse(EcsServiceEventDecision.impairedWasTold(List.of(t), threeBefore, loop));
        assertTrue(loop.isLooping(loop.count(threeBefore, t)), "the impaired side held it back");
        // A stop within the clock slack after ECS's event counts on the loop side: told twice rather than never.
        List<Instant> thirdJustAfter = List.of(t.minusSeconds(300), t.minusSeconds(120), t.plusSeconds(30));
        assertFalse(EcsServiceEventDecision.impairedWasTold(List.of(t), thirdJustAfter, loop));
        assertFalse(EcsServiceEventDecision.impairedWasTold(List.of(), twoBefore, loop), "no impaired event, nothing told by ECS");
    }

    // ------------------------------------------------------------------------------------------------- capacity

    private static PlacementCapacity.Instance instance(String id, int memory, int cpu) {
        return EcsState.room(ContainerInstance.builder().ec2InstanceId(id).runningTasksCount(2).remainingResources(
                Resource.builder().name("MEMORY").type("INTEGER").integerValue(memory).build(),
                Resource.builder().name("CPU").type("INTEGER").integerValue(cpu).build()).build());
    }

    private static PlacementCapacity capacity(TaskDefinition definition, List<PlacementCapacity.Instance> instances) {
        return new PlacementCapacity(EcsState.placementNeeds(definition), instances);
    }

    private static TaskDefinition definition(Integer memory, Integer reservation) {
        return TaskDefinition.builder().containerDefinitions(
                ContainerDefinition.builder().name("service").memory(memory).memoryReservation(reservation).cpu(128).build(),
                ContainerDefinition.builder().name("sidecar").memory(50).build()).build();
    }

    @Test
    void aTaskNeedsItsReservationsElseItsLimits() {
        PlacementCapacity capacity = capacity(definition(500, 200), List.of(instance("i-a", 150, 1024), instance("i-b", 120, 512)));
        assertEquals(250, capacity.needMemoryMiB(), "200 reserved + the sidecar's 50 limit");
        assertEquals(128, capacity.needCpu());
        assertEquals("i-a", capacity.roomiest().name());
        assertEquals("The largest free memory is 150 MiB on instance i-a; the task needs 250 MiB: add an instance, lower the containers' "
                + "memory reservation, or stop something.", capacity.fix("RESOURCE:MEMORY"));
        assertEquals(1000, capacity(definition(500, null).toBuilder().memory("1000").build(), List.of()).needMemoryMiB(),
                "a task-level memory is reserved whole");
    }

    @Test
    void aFargateFailureAndDisconnectedAgentsGetTheirOwnWords() {
        PlacementCapacity fargate = capacity(definition(500, 200), null);
        assertTrue(fargate.fix("RESOURCE:FARGATE").startsWith("Fargate has no capacity"), fargate.fix("RESOURCE:FARGATE"));
        PlacementCapacity.Instance gone = EcsState.room(ContainerInstance.builder().ec2InstanceId("i-gone").agentConnected(false)
                .remainingResources(Resource.builder().name("MEMORY").type("INTEGER").integerValue(900).build()).build());
        PlacementCapacity withGone = capacity(definition(500, 200), List.of(gone, instance("i-a", 150, 1024)));
        assertEquals("i-a", withGone.roomiest().name(), "an instance without its agent takes no task, whatever it has left");
        assertTrue(capacity(definition(500, 200), List.of(gone)).fix("RESOURCE:MEMORY").contains("with its agent connected"));
    }

    @Test
    void eachReasonGetsItsOwnFix() {
        PlacementCapacity capacity = capacity(definition(500, 200), List.of(instance("i-a", 150, 64)));
        assertTrue(capacity.fix("RESOURCE:CPU").startsWith("The most free CPU is 64 units on instance i-a; the task needs 128"), capacity.fix("RESOURCE:CPU"));
        assertTrue(capacity.fix("RESOURCE:PORTS").contains("hostPort 0"));
        assertTrue(capacity.fix("MemberOf placement constraint unsatisfied").contains("placement constraints"));
        assertNull(capacity.fix("RESOURCE:ENI"), "nothing beyond ECS's own reason");
        assertTrue(capacity(definition(500, 200), List.of()).fix("RESOURCE:MEMORY").contains("no ACTIVE container instance"));
        assertTrue(new PlacementCapacity(null, null).fix("RESOURCE:MEMORY") == null, "nothing known, nothing invented");
    }
}

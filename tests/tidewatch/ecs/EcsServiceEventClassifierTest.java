package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tidewatch.json.JsonObject;

/** What each documented ECS service, deployment and container-instance event is, read from its real shape. */
class EcsServiceEventClassifierTest {

    private static EcsServiceEvent parse(Map<String, Object> envelope) {
        return EcsServiceEvent.fromEventBridge(JsonObject.of(envelope, "event"));
    }

    private static EcsServiceEvent named(String file, String eventType, String eventName) {
        return parse(SampleEvents.variant(file, d -> {
            d.put("eventType", eventType);
            d.put("eventName", eventName);
        }));
    }

    @ParameterizedTest(name = "{1} {2} -> {3}")
    @CsvSource({
            "ecs-service-placement-failure-memory.json, ERROR, SERVICE_TASK_PLACEMENT_FAILURE, PLACEMENT_FAILURE",
            "ecs-service-placement-failure-memory.json, ERROR, SERVICE_TASK_CONFIGURATION_FAILURE, CONFIGURATION_FAILURE",
            "ecs-service-placement-failure-memory.json, ERROR, SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED, DAEMON_PLACEMENT_VIOLATED",
            "ecs-service-placement-failure-memory.json, ERROR, ECS_OPERATION_THROTTLED, THROTTLED",
            "ecs-service-placement-failure-memory.json, ERROR, SERVICE_DISCOVERY_OPERATION_THROTTLED, THROTTLED",
            "ecs-service-task-start-impaired.json, WARN, SERVICE_TASK_START_IMPAIRED, START_IMPAIRED",
            "ecs-service-task-start-impaired.json, WARN, SERVICE_DISCOVERY_INSTANCE_UNHEALTHY, SERVICE_DISCOVERY_UNHEALTHY",
            "ecs-service-task-start-impaired.json, WARN, VPC_LATTICE_TARGET_UNHEALTHY, VPC_LATTICE_TARGET_UNHEALTHY",
            "ecs-service-task-start-impaired.json, WARN, SERVICE_SOMETHING_NEW, UNKNOWN",
            "ecs-service-task-start-impaired.json, INFO, SERVICE_STEADY_STATE, INFORMATIONAL",
            "ecs-service-task-start-impaired.json, INFO, TASKS_STOPPED, INFORMATIONAL",
            "ecs-deployment-failed.json, ERROR, SERVICE_DEPLOYMENT_FAILED, DEPLOYMENT_FAILED",
            "ecs-deployment-failed.json, INFO, SERVICE_DEPLOYMENT_COMPLETED, INFORMATIONAL",
            "ecs-deployment-failed.json, INFO, SERVICE_DEPLOYMENT_IN_PROGRESS, INFORMATIONAL",
    })
    void everyDocumentedNameHasItsKind(String file, String eventType, String eventName, EcsServiceEventKind kind) {
        assertEquals(kind, named(file, eventType, eventName).kind());
    }

    @Test
    void aContainerInstanceIsDisconnectedDrainingOrRoutine() {
        assertEquals(EcsServiceEventKind.INSTANCE_DISCONNECTED, parse(SampleEvents.envelope("ecs-container-instance-disconnected.json")).kind());
        assertEquals(EcsServiceEventKind.INSTANCE_DRAINING, parse(SampleEvents.variant("ecs-container-instance-disconnected.json", d -> {
            d.put("agentConnected", true);
            d.put("status", "DRAINING");
        })).kind());
        assertEquals(EcsServiceEventKind.INFORMATIONAL, parse(SampleEvents.variant("ecs-container-instance-disconnected.json",
                d -> d.put("agentConnected", true))).kind());
    }

    @Test
    void aDeploymentEventsClusterComesFromItsServiceArn() {
        EcsServiceEvent event = parse(SampleEvents.envelope("ecs-deployment-failed.json"));
        assertNull(event.problem());
        assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/AppsProd", event.clusterArn());
        assertEquals("registry-certs", event.serviceName());
        assertEquals("ecs-svc/4830296719461875531", event.deploymentId());
        assertNull(EcsServiceEvent.clusterOfService("arn:aws:ecs:us-east-1:123456789012:service/registry-certs"), "a short ARN names no cluster");
    }

    @Test
    void missingOrMistypedMembersAreNamedNotThrown() {
        Map<String, Object> noResources = SampleEvents.envelope("ecs-deployment-failed.json");
        noResources.put("resources", List.of());
        assertEquals("no service ARN in resources", parse(noResources).problem());

        EcsServiceEvent mistyped = parse(SampleEvents.variant("ecs-service-placement-failure-memory.json", d -> d.put("eventName", 42)));
        assertEquals(EcsServiceEventKind.UNKNOWN, mistyped.kind());
        assertTrue(mistyped.problem().contains("eventName"), mistyped.problem());
        assertTrue(mistyped.raw().contains("\"eventName\":42"), "the raw event is kept to quote: " + mistyped.raw());

        EcsServiceEvent noName = parse(SampleEvents.variant("ecs-service-placement-failure-memory.json", d -> d.remove("eventName")));
        assertEquals("no detail.eventName", noName.problem());

        Map<String, Object> noDetail = SampleEvents.envelope("ecs-container-instance-disconnected.json");
        noDetail.remove("detail");
        noDetail.put("resources", List.of());
        assertEquals("no detail.containerInstanceArn", parse(noDetail).problem());
    }
}

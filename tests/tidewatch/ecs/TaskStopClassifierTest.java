package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per real-world way a task stops; each row starts from a sample event in events/. */
class TaskStopClassifierTest {
    private static final String CRASHED = "ecs-service-task-crashed.json";
    private static final String STANDALONE = "ecs-standalone-task-crashed.json";

    private static Map<String, Object> stop(String file, String stopCode, String reason, List<Map<String, Object>> containers) {
        return SampleEvents.variant(file, detail -> {
            if (stopCode == null) {
                detail.remove("stopCode");
            } else {
                detail.put("stopCode", stopCode);
            }
            detail.put("stoppedReason", reason);
            detail.put("containers", containers);
        });
    }

    static Stream<Arguments> cases() {
        String essentialExited = "Essential container in task exited";
        return Stream.of(
                Arguments.of("sample: service crash", SampleEvents.envelope(CRASHED), StopCause.CRASH, "web", "exited with code 1"),
                Arguments.of("sample: out of memory", SampleEvents.envelope("ecs-service-task-out-of-memory.json"), StopCause.OUT_OF_MEMORY, "web", "768 MiB"),
                Arguments.of("sample: ELB health checks, containers killed with 137",
                        SampleEvents.envelope("ecs-service-task-failed-elb-health-checks.json"), StopCause.ELB_HEALTH_CHECK, "web", "health check"),
                Arguments.of("sample: image pull", SampleEvents.envelope("ecs-task-failed-to-start-image-pull.json"), StopCause.FAILED_TO_START, null, "check the image"),
                Arguments.of("sample: deployment", SampleEvents.envelope("ecs-service-deployment-replaced-task.json"), StopCause.DEPLOYMENT, null, "deployment"),
                Arguments.of("sample: standalone crash", SampleEvents.envelope(STANDALONE), StopCause.CRASH, "report", "code 2"),
                Arguments.of("exit 137 without a reason is an out-of-memory kill",
                        stop(CRASHED, "EssentialContainerExited", essentialExited, SampleEvents.containers("web", 137, null, "log-router", 0, null)),
                        StopCause.OUT_OF_MEMORY, "web", "exit code 137"),
                Arguments.of("OOM reason on a non-essential container still counts",
                        stop(CRASHED, "EssentialContainerExited", essentialExited, SampleEvents.containers("web", 0, null, "log-router", 137, "OutOfMemoryError: Container killed due to memory usage")),
                        StopCause.OUT_OF_MEMORY, "log-router", "out of memory"),
                Arguments.of("container health check",
                        stop(CRASHED, "ServiceSchedulerInitiated", "Task failed container health checks", SampleEvents.containers("web", 137, null, "log-router", 0, null)),
                        StopCause.CONTAINER_HEALTH_CHECK, "web", "HEALTHCHECK"),
                Arguments.of("secrets could not be fetched",
                        stop(CRASHED, "TaskFailedToStart", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm",
                                SampleEvents.containers("web", null, null, "log-router", null, null)),
                        StopCause.FAILED_TO_START, null, "secrets"),
                Arguments.of("scale-in",
                        stop(CRASHED, "ServiceSchedulerInitiated", "Scaling activity initiated by (service web)", SampleEvents.containers("web", 143, null, "log-router", 0, null)),
                        StopCause.SCALE_IN, null, "scale-in"),
                Arguments.of("a user's stop whose reason mentions an instance is still a user stop",
                        stop(CRASHED, "UserInitiated", "Stopped by ops: instance terminated for patching, do not restart",
                                SampleEvents.containers("web", 143, null, "log-router", 143, null)),
                        StopCause.USER_STOP, null, "StopTask"),
                Arguments.of("a sidecar killed with 137 after the app crashed is a crash, not out of memory",
                        stop(CRASHED, "EssentialContainerExited", essentialExited, SampleEvents.containers("envoy", 137, null, "web", 1, null)),
                        StopCause.CRASH, "web", "exited with code 1"),
                Arguments.of("user stop",
                        stop(CRASHED, "UserInitiated", "Task stopped by user", SampleEvents.containers("web", 143, null, "log-router", 143, null)),
                        StopCause.USER_STOP, null, "StopTask"),
                Arguments.of("standalone task completed",
                        stop(STANDALONE, "EssentialContainerExited", essentialExited, SampleEvents.containers("report", 0, null)),
                        StopCause.COMPLETED, null, "exited with code 0"),
                Arguments.of("a service task that exits 0 is not normal",
                        stop(CRASHED, "EssentialContainerExited", essentialExited, SampleEvents.containers("web", 0, null, "log-router", 0, null)),
                        StopCause.CRASH, "web", "meant to keep running"),
                Arguments.of("a non-essential container's failure alone does not make a crash",
                        stop(CRASHED, "EssentialContainerExited", essentialExited, SampleEvents.containers("web", 1, null, "log-router", 2, null)),
                        StopCause.CRASH, "web", "code 1"),
                Arguments.of("Spot interruption",
                        stop(CRASHED, "SpotInterruption", "Your Spot Task was interrupted.", SampleEvents.containers("web", 143, null, "log-router", 0, null)),
                        StopCause.INFRASTRUCTURE, null, "SpotInterruption"),
                Arguments.of("termination notice",
                        stop(CRASHED, "TerminationNotice", "Task stopped because the underlying host is being retired", SampleEvents.containers("web", 143, null)),
                        StopCause.INFRASTRUCTURE, null, "TerminationNotice"),
                Arguments.of("infrastructure health",
                        stop(CRASHED, "InfrastructureHealth", "Infrastructure maintenance", SampleEvents.containers("web", 143, null)),
                        StopCause.INFRASTRUCTURE, null, "InfrastructureHealth"),
                Arguments.of("instance stopped",
                        stop(CRASHED, "EssentialContainerExited", "Host EC2 (instance i-0a1b2c3d4e5f60718) stopped/terminated.", SampleEvents.containers("web", null, null)),
                        StopCause.INFRASTRUCTURE, null, "host"),
                Arguments.of("an unknown stop code is abnormal and quotes the raw text",
                        stop(CRASHED, "BrandNewStopCode", "Something new <!here>", SampleEvents.containers("web", null, null)),
                        StopCause.UNKNOWN, "web", "BrandNewStopCode, reason: Something new <!here>"),
                Arguments.of("no stop code and no exit codes",
                        stop(CRASHED, null, null, List.of()),
                        StopCause.UNKNOWN, null, "none given"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void classifies(String name, Map<String, Object> envelope, StopCause cause, String container, String explanationContains) {
        TaskStopEvent event = SampleEvents.event(envelope);
        TaskDefinitionFacts facts = event.taskDefinitionArn().contains("nightly-report")
                ? new TaskDefinitionFacts(Map.of("report", new TaskDefinitionFacts.ContainerFacts(true, 1024, "/ecs/nightly-report", "ecs", null)), null)
                : SampleEvents.webFacts();
        Diagnosis diagnosis = TaskStopClassifier.classify(event, facts);
        assertEquals(cause, diagnosis.cause());
        assertEquals(container, diagnosis.container());
        assertTrue(diagnosis.explanation().contains(explanationContains), diagnosis.explanation());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void withoutTheTaskDefinitionEveryContainerIsEssential(String name, Map<String, Object> envelope, StopCause cause) {
        Diagnosis diagnosis = TaskStopClassifier.classify(SampleEvents.event(envelope), TaskDefinitionFacts.UNKNOWN);
        assertEquals(cause.abnormal(), diagnosis.abnormal(), "normal or abnormal does not depend on the task definition");
    }
}

package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/**
 * ECS's service, deployment and container-instance events through the ECS function and the sandbox, against
 * events/worlds/appsprod-service-events.json: cluster AppsProd, service registry-certs (1 of 2 running, a task
 * needing 200 MiB, two instances with 150 and 120 MiB left) and permits.
 */
class EcsServiceEventsFunctionTest {
    private static final Path WORLD = Path.of("events/worlds/appsprod-service-events.json");
    private static final List<String> WRITES = List.of("RunTask", "StopTask", "UpdateService", "TagResource", "UntagResource");

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;
    private EcsTaskStateFunction function;

    /** The sample world, changed by {@code change} (its root as a mutable map). */
    @SuppressWarnings("unchecked")
    private static World world(Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> root = Json.parseObject(Files.readString(WORLD), "world").mutableCopy();
        change.accept(root);
        return World.parse(Json.write(root));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Map<String, Object> root, String name) {
        return ((List<Map<String, Object>>) ((Map<String, Object>) root.get("ecs")).get("services")).stream()
                .filter(s -> name.equals(s.get("serviceName"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static void addServiceEvent(Map<String, Object> root, String service, String createdAt, String message) {
        List<Object> events = new ArrayList<>((List<Object>) service(root, service).get("events"));
        events.add(0, Map.of("id", "e-" + events.size(), "createdAt", createdAt, "message", message));
        service(root, service).put("events", events);
    }

    private JsonObject invokeWatching(String watched, World world, Object... bodies) throws Exception {
        if (sandbox == null) {
            sandbox = sandboxes.start(world);
            function = new EcsTaskStateFunction(new Settings(sandbox.declaring(Map.of(
                    "NOTIFY_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications",
                    "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url", "WATCHED_CLUSTERS", watched))), sandbox.clients(Duration.ofSeconds(2)));
        }
        List<Object> records = new ArrayList<>();
        for (Object body : bodies) {
            records.add(Map.of("messageId", "m" + records.size(), "body", body instanceof String text ? text : Json.write(body), "eventSource", "aws:sqs"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Json.write(Map.of("Records", records)).getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private JsonObject invoke(World world, Object... bodies) throws Exception {
        return invokeWatching("AppsProd", world, bodies);
    }

    private List<String> published() {
        assertEquals(sandbox.calls("sns", "Publish").size(), sandbox.calls("slack", "post").size(), "both channels get each message");
        return sandbox.calls("sns", "Publish").stream().map(c -> (String) c.params().get("Message")).toList();
    }

    private String severity(int message) {
        return String.valueOf(((Map<?, ?>) ((Map<?, ?>) sandbox.calls("sns", "Publish").get(message).params().get("MessageAttributes"))
                .get("severity")).get("StringValue"));
    }

    private List<String> ecsOperations() {
        return sandbox.calls().stream().filter(c -> c.service().equals("ecs")).map(Sandbox.Call::operation).toList();
    }

    private void assertNothingWritten() {
        assertTrue(sandbox.calls().stream().noneMatch(c -> WRITES.contains(c.operation())), "no action on infrastructure: " + ecsOperations());
    }

    private static String text(String file) {
        return SampleEvents.text(file);
    }

    // ------------------------------------------------------------------------------------------- placement failure

    @Test
    void aPlacementFailureForMemorySaysWhatTheTaskNeedsAndWhatTheInstancesHaveLeft() throws Exception {
        JsonObject output = invoke(world(root -> { }), text("ecs-service-placement-failure-memory.json"));
        assertEquals(List.of(), output.array("batchItemFailures"));
        List<String> messages = published();
        assertEquals(1, messages.size(), logs.text());
        String body = messages.get(0);
        assertTrue(body.contains("Service registry-certs in AppsProd: cannot place a task"), body);
        assertTrue(body.contains("The service runs 1 of its 2 tasks."), body);
        assertTrue(body.contains("The largest free memory is 150 MiB on instance i-0a1b2c3d4e5f60718; the task needs 200 MiB: add an instance, "
                + "lower the containers' memory reservation, or stop something."), body);
        assertTrue(body.contains("Task needs: 200 MiB memory"), "the reservation, not the 500 MiB limit: " + body);
        assertTrue(body.contains("i-0a1b2c3d4e5f60718: 150 MiB, 2048 CPU, 2 tasks; i-0f1e2d3c4b5a69788: 120 MiB, 2048 CPU, 1 task"), body);
        assertTrue(body.contains("Latest service event: (service registry-certs) was unable to place a task because no container instance"), body);
        assertFalse(body.contains("placement failures seen"), "the first one: " + body);
        assertEquals("warning", severity(0), "one of two tasks still runs");
        assertEquals(List.of("DescribeServices", "DescribeTaskDefinition", "ListContainerInstances", "DescribeContainerInstances",
                "DescribeClusters", "DescribeServices"), ecsOperations(), "the reads, then the silences' tags");
        assertEquals("arn:aws:ecs:us-east-1:123456789012:cluster/AppsProd",
                sandbox.calls("ecs", "DescribeContainerInstances").get(0).params().get("cluster"));
        assertEquals("ACTIVE", sandbox.calls("ecs", "ListContainerInstances").get(0).params().get("status"));
        assertNothingWritten();
    }

    @Test
    void aServiceWithNoTaskRunningIsCritical() throws Exception {
        invoke(world(root -> service(root, "registry-certs").put("runningCount", 0)), text("ecs-service-placement-failure-memory.json"));
        assertEquals(1, published().size());
        assertEquals("critical", severity(0));
    }

    @Test
    void repeatedPlacementFailuresAreToldAtDoublingCounts() throws Exception {
        World world = world(root -> { });
        String event = text("ecs-service-placement-failure-memory.json");
        List<Integer> told = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            JsonObject output = invoke(world, event);
            assertEquals(List.of(), output.array("batchItemFailures"), "held back is done, not retried");
            told.add(published().size());
        }
        assertEquals(List.of(1, 2, 2, 3, 3), told, "told at the 1st, 2nd and 4th failure");
        assertTrue(published().get(2).contains("4 placement failures seen since the service's last steady state"), published().get(2));
        assertTrue(logs.text().contains("placement failure not told again: between milestones"), logs.text());
    }

    @SuppressWarnings("unchecked")
    @Test
    void aSteadyStateEndsTheRunOfPlacementFailures() throws Exception {
        World world = world(root -> { });
        String event = text("ecs-service-placement-failure-memory.json");
        invoke(world, event);
        invoke(world, event);
        invoke(world, event); // the 3rd: held back
        assertEquals(2, published().size());
        // ECS says the service reached a steady state since: the next failure starts a new run, and is told.
        Map<String, Object> service = sandbox.world().serviceForTests("registry-certs");
        List<Object> events = new ArrayList<>((List<Object>) service.get("events"));
        events.add(0, Map.of("id", "steady", "createdAt", java.time.Instant.now().plusSeconds(5).toString(),
                "message", "(service registry-certs) has reached a steady state."));
        service.put("events", events);
        invoke(world, event);
        assertEquals(3, published().size());
    }

    @Test
    void aStormOfPlacementFailuresOfOneServiceIsOneMessage() throws Exception {
        String event = text("ecs-service-placement-failure-memory.json");
        JsonObject output = invoke(world(root -> { }), event, event, event, event, event);
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(1, published().size());
        assertTrue(published().get(0).contains("Events of this kind in this batch: 5"), published().get(0));
        assertEquals(1, sandbox.calls("ecs", "ListContainerInstances").size(), "the group is read once");
    }

    @Test
    void placementFailuresOfTwoServicesAreTwoMessagesAndTheClustersInstancesAreReadOnce() throws Exception {
        Map<String, Object> permits = SampleEvents.envelope("ecs-service-placement-failure-memory.json");
        permits.put("resources", List.of("arn:aws:ecs:us-east-1:123456789012:service/AppsProd/permits"));
        String registry = text("ecs-service-placement-failure-memory.json");
        invoke(world(root -> { }), registry, permits, registry, permits);
        List<String> messages = published();
        assertEquals(2, messages.size(), logs.text());
        assertTrue(messages.get(1).contains("Service permits in AppsProd: cannot place a task"), messages.get(1));
        assertEquals(1, sandbox.calls("ecs", "ListContainerInstances").size(), "one cluster, one read per batch");
    }

    @Test
    void aReadThatFailsIsNamedAndTheMessageStillGoesOut() throws Exception {
        invoke(world(root -> { }).fault("ecs.DescribeContainerInstances", "AccessDeniedException"), text("ecs-service-placement-failure-memory.json"));
        List<String> messages = published();
        assertEquals(1, messages.size(), logs.text());
        assertTrue(messages.get(0).contains("Could not read: ecs:ListContainerInstances/DescribeContainerInstances"), messages.get(0));
        assertTrue(messages.get(0).contains("ECS's reason: RESOURCE:MEMORY."), "without the instances, ECS's own reason: " + messages.get(0));
    }

    // ------------------------------------------------------------------------------------------- deployment failed

    @Test
    void aFailedDeploymentNamesBothTaskDefinitionsAndTheCausesOfItsStoppedTasks() throws Exception {
        invoke(world(root -> { }), text("ecs-deployment-failed.json"));
        List<String> messages = published();
        assertEquals(1, messages.size(), logs.text());
        String body = messages.get(0);
        assertTrue(body.contains("Service registry-certs in AppsProd: deployment failed"), body);
        assertTrue(body.contains("Failed task definition: registry-certs:15"), body);
        assertTrue(body.contains("Rolled back to: registry-certs:14"), body);
        assertTrue(body.contains("Stopped tasks of the deployment: 3 an essential container exited with an error (service exit 1)"), body);
        assertTrue(body.contains("ECS deployment circuit breaker: tasks failed to start."), body);
        assertNothingWritten();
    }

    @Test
    void aDeploymentECSNoLongerListsIsToldWithWhatIsKnown() throws Exception {
        invoke(world(root -> service(root, "registry-certs").put("deployments", List.of())), text("ecs-deployment-failed.json"));
        String body = published().get(0);
        assertTrue(body.contains("Failed task definition: unknown: ECS no longer lists the deployment"), body);
    }

    // -------------------------------------------------------------------------------- start impaired and crash loops

    @Test
    void startImpairedIsFoldedIntoTidewatchsOwnCrashLoop() throws Exception {
        // The world's three crashes of registry-certs:15 in the 15 minutes before: Tidewatch's own count calls it a loop.
        JsonObject output = invoke(world(root -> { }), text("ecs-service-task-start-impaired.json"));
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(0, published().size());
        assertTrue(logs.text().contains("SERVICE_TASK_START_IMPAIRED folded into Tidewatch's crash-loop message"), logs.text());
    }

    @SuppressWarnings("unchecked")
    @Test
    void startImpairedIsToldWhenTidewatchHasNotCalledItALoop() throws Exception {
        invoke(world(root -> ((List<Object>) ((Map<String, Object>) root.get("ecs")).get("stoppedTasks")).remove(0)),
                text("ecs-service-task-start-impaired.json"));
        List<String> messages = published();
        assertEquals(1, messages.size(), logs.text());
        assertTrue(messages.get(0).contains("cannot start tasks consistently"), messages.get(0));
        assertTrue(messages.get(0).contains("2 abnormal stops in the last"), messages.get(0));
    }

    /** A crash of registry-certs:15 at 09:16, the third in a row with the world's last two (the first removed). */
    @SuppressWarnings("unchecked")
    private static World thirdCrashWorld(boolean ecsToldImpaired) throws Exception {
        return thirdCrashWorld(ecsToldImpaired ? "2026-12-02T09:15:02Z" : null);
    }

    /** @param impairedAt when ECS's event list says the service became impaired, or null */
    @SuppressWarnings("unchecked")
    private static World thirdCrashWorld(String impairedAt) throws Exception {
        return world(root -> {
            ((List<Object>) ((Map<String, Object>) root.get("ecs")).get("stoppedTasks")).remove(0);
            if (impairedAt != null) {
                addServiceEvent(root, "registry-certs", impairedAt,
                        "(service registry-certs) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section.");
            }
        });
    }

    private static Map<String, Object> thirdCrash() {
        String task = "arn:aws:ecs:us-east-1:123456789012:task/AppsProd/6c5b4a3f2e1d40986c5b4a3f2e1d4098";
        Map<String, Object> event = SampleEvents.variant("ecs-service-task-crashed.json", d -> {
            d.put("clusterArn", "arn:aws:ecs:us-east-1:123456789012:cluster/AppsProd");
            d.put("group", "service:registry-certs");
            d.put("taskArn", task);
            d.put("taskDefinitionArn", "arn:aws:ecs:us-east-1:123456789012:task-definition/registry-certs:15");
            d.put("stoppedAt", "2026-12-02T09:16:20.000Z");
            d.put("containers", List.of(Map.of("name", "service", "exitCode", 1, "lastStatus", "STOPPED", "taskArn", task)));
        });
        event.put("region", "us-east-1");
        return event;
    }

    @Test
    void tidewatchsCrashLoopIsNotToldAgainWhenEcsToldItImpaired() throws Exception {
        JsonObject output = invoke(thirdCrashWorld(true), thirdCrash());
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(0, published().size(), logs.text());
        assertTrue(logs.text().contains("crash loop already told as ECS's SERVICE_TASK_START_IMPAIRED; not told again"), logs.text());
    }

    @Test
    void tidewatchsCrashLoopIsToldWhenEcsHasNot() throws Exception {
        invoke(thirdCrashWorld(false), thirdCrash());
        assertEquals(1, published().size(), logs.text());
        assertTrue(published().get(0).contains("Service registry-certs is crash-looping in AppsProd"), published().get(0));
        assertEquals("critical", severity(0));
    }

    @Test
    void aLoopAndEcsImpairedEventInOneBatchAreOneMessage() throws Exception {
        // The third crash at 09:16:20, then ECS's impaired event at 09:17: Tidewatch's count already calls it a loop.
        Map<String, Object> impaired = SampleEvents.envelope("ecs-service-task-start-impaired.json");
        impaired.put("time", "2026-12-02T09:17:00Z");
        JsonObject output = invoke(thirdCrashWorld("2026-12-02T09:17:00Z"), thirdCrash(), impaired);
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(1, published().size(), "one message, not two, and not none: " + logs.text());
        assertTrue(published().get(0).contains("Service registry-certs is crash-looping in AppsProd"), published().get(0));
        assertTrue(logs.text().contains("SERVICE_TASK_START_IMPAIRED folded into Tidewatch's crash-loop message"), logs.text());
    }

    @Test
    void aFargatePlacementFailureReadsNoInstances() throws Exception {
        Map<String, Object> fargate = SampleEvents.variant("ecs-service-placement-failure-memory.json", d -> d.put("reason", "RESOURCE:FARGATE"));
        invoke(world(root -> { }), fargate);
        String body = published().get(0);
        assertTrue(body.contains("Fargate has no capacity for the task"), body);
        assertEquals(List.of(), sandbox.calls("ecs", "ListContainerInstances"), "a Fargate service has no instances to read");
    }

    // ---------------------------------------------------------------------------------------- container instances

    /** The world with the first instance's agent disconnected, as ECS's record shows it after the event. */
    @SuppressWarnings("unchecked")
    private static World disconnectedWorld() throws Exception {
        return world(root -> ((List<Map<String, Object>>) ((Map<String, Object>) root.get("ecs")).get("containerInstances")).get(0)
                .put("agentConnected", false));
    }

    @Test
    void aDisconnectedAgentNamesItsTasksAndTheServicesLosingACopyOnce() throws Exception {
        JsonObject output = invoke(disconnectedWorld(), text("ecs-container-instance-disconnected.json"));
        assertEquals(List.of(), output.array("batchItemFailures"));
        String body = published().get(0);
        assertTrue(body.contains("Container instance i-0a1b2c3d4e5f60718 in AppsProd: its ECS agent disconnected"), body);
        assertTrue(body.contains("Tasks on it: 2"), body);
        assertTrue(body.contains("Services losing a copy: permits (2 running of 2 desired); registry-certs (1 running of 2 desired)"), body);
        assertEquals("warning", severity(0));
        // ECS repeats the instance's state with each change: the same container tells it once.
        invoke(null, text("ecs-container-instance-disconnected.json"));
        assertEquals(1, published().size());
        assertTrue(logs.text().contains("container instance state already told by this container"), logs.text());
    }

    @Test
    void anAgentThatReconnectedIsNotTold() throws Exception {
        // The world's record shows the agent connected: it disconnected and reconnected, as it does several times an hour.
        JsonObject output = invoke(world(root -> { }), text("ecs-container-instance-disconnected.json"));
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(0, published().size());
        assertTrue(logs.text().contains("ECS's record shows its agent connected again"), logs.text());
        assertEquals(1, sandbox.calls("ecs", "DescribeContainerInstances").size());
    }

    @Test
    void aDrainingInstanceIsToldOnlyWhenAServiceOnItRunsShort() throws Exception {
        Map<String, Object> draining = SampleEvents.variant("ecs-container-instance-disconnected.json", d -> {
            d.put("agentConnected", true);
            d.put("status", "DRAINING");
        });
        invoke(world(root -> service(root, "registry-certs").put("runningCount", 2)), draining);
        assertEquals(0, published().size(), "both services at their desired count: a drain on purpose");
        assertTrue(logs.text().contains("every service on it runs its desired count"), logs.text());
        sandbox = null;
        invoke(world(root -> { }), draining); // registry-certs runs 1 of 2
        String body = published().get(0);
        assertTrue(body.contains("Container instance i-0a1b2c3d4e5f60718 in AppsProd: draining"), body);
        assertTrue(body.contains("registry-certs (1 running of 2 desired)"), body);
    }

    // ------------------------------------------------------------------------------------------------ bad input

    @Test
    void anEventOfAClusterNotWatchedIsIgnoredWithOneLogLine() throws Exception {
        JsonObject output = invokeWatching("AppsStaging", world(root -> { }), text("ecs-service-placement-failure-memory.json"));
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(List.of(), sandbox.calls().stream().filter(c -> !c.service().equals("secretsmanager")).toList());
        assertTrue(logs.text().contains("\"message\":\"ignored: cluster not watched\""), logs.text());
    }

    @Test
    void anUnknownEventNameIsToldQuotedRawAndEscaped() throws Exception {
        Map<String, Object> event = SampleEvents.variant("ecs-service-placement-failure-memory.json", detail -> {
            detail.put("eventName", "SERVICE_SOMETHING_NEW");
            detail.put("reason", "<!channel> <https://evil.example|click> *bold*");
        });
        JsonObject output = invoke(world(root -> { }), event);
        assertEquals(List.of(), output.array("batchItemFailures"));
        List<String> messages = published();
        assertEquals(1, messages.size(), logs.text());
        assertTrue(messages.get(0).contains("Unknown ECS event: SERVICE_SOMETHING_NEW"), messages.get(0));
        assertTrue(messages.get(0).contains("\"eventName\":\"SERVICE_SOMETHING_NEW\""), "quoted raw: " + messages.get(0));
        String slack = String.valueOf(sandbox.calls("slack", "post").get(0).params());
        assertFalse(slack.contains("<!channel>"), "event text never pings a channel: " + slack);
        assertNothingWritten();
    }

    @Test
    void anEventMissingItsServiceIsToldRawAndTheRestOfTheBatchIsHandled() throws Exception {
        Map<String, Object> broken = SampleEvents.envelope("ecs-deployment-failed.json");
        broken.put("resources", List.of());
        JsonObject output = invoke(world(root -> { }), broken, "{not json", text("ecs-deployment-failed.json"));
        assertEquals(List.of(Map.of("itemIdentifier", "m1")), output.array("batchItemFailures"), "only the malformed record is retried");
        List<String> messages = published();
        assertEquals(2, messages.size());
        assertTrue(messages.stream().anyMatch(m -> m.contains("no service ARN in resources")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("Rolled back to: registry-certs:14")), messages.toString());
    }

    @Test
    void anUndeliveredMessageIsRetried() throws Exception {
        JsonObject output = invoke(world(root -> { }).fault("sns", 500).fault("slack", 500), text("ecs-deployment-failed.json"));
        assertEquals(List.of(Map.of("itemIdentifier", "m0")), output.array("batchItemFailures"));
    }
}

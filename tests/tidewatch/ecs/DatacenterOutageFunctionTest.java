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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The outage rule end to end: the datacenter's VPN with both tunnels down, apps whose logs show their database
 * connection timing out, the real SDK clients against the sandbox.
 */
class DatacenterOutageFunctionTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications";
    private static final String VPN = "vpn-0a1b2c3d4e5f67890";
    private static final String WEB_STREAM = "/ecs/web/ecs/web/8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f";
    private static final List<String> DATABASE_TIMEOUT = List.of(
            "> registry-certs@1.4.2 start", "> node server.js",
            "ConnectionError: Failed to connect to 10.20.1.5:1433 in 15000ms",
            "    at Connection.socketError (/app/node_modules/tedious/lib/connection.js:1395:28)",
            "error Command failed with exit code 1.");

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    /** The crash-loop world's task definitions and service, a VPN in the given state, and {@code stopped} earlier stops. */
    @SuppressWarnings("unchecked")
    private static World world(String tunnel1, String tunnel2, boolean earlierStops) throws Exception {
        Map<String, Object> root = Json.parseObject(Files.readString(Path.of("events/worlds/web-crash-loop.json")), "world").mutableCopy();
        if (!earlierStops) {
            ((Map<String, Object>) root.get("ecs")).put("stoppedTasks", List.of());
        }
        root.put("logs", Map.of(WEB_STREAM, DATABASE_TIMEOUT));
        root.remove("ec2"); // the crash-loop world's VPN is UP; this world's is the one below
        return World.parse(Json.write(root)).addVpnConnection(Map.of("VpnConnectionId", VPN, "State", "available",
                "VgwTelemetry", List.of(
                        Map.of("OutsideIpAddress", "203.0.113.10", "Status", tunnel1, "LastStatusChange", "2026-11-24T09:02:40Z"),
                        Map.of("OutsideIpAddress", "203.0.113.20", "Status", tunnel2, "LastStatusChange", "2026-11-24T09:03:15Z"))));
    }

    private EcsTaskStateFunction function(World world, String... env) {
        sandbox = sandboxes.start(world);
        Map<String, String> settings = new LinkedHashMap<>(Map.of("NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url",
                "WATCHED_CLUSTERS", "prod", "VPN_CONNECTION_IDS", VPN, "DATACENTER_CIDR", "10.20.0.0/16"));
        for (int i = 0; i < env.length; i += 2) {
            settings.put(env[i], env[i + 1]);
        }
        return new EcsTaskStateFunction(new Settings(sandbox.declaring(settings)), sandbox.clients(Duration.ofSeconds(2)));
    }

    private static JsonObject invoke(EcsTaskStateFunction function, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private static String batch(Map<String, Object>... envelopes) {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < envelopes.length; i++) {
            records.add(Map.of("messageId", "m" + i, "body", Json.write(envelopes[i]), "eventSource", "aws:sqs"));
        }
        return Json.write(Map.of("Records", records));
    }

    /** The sample crash as a task of another service, api. */
    private static Map<String, Object> apiCrash() {
        return SampleEvents.variant("ecs-service-task-crashed.json", detail -> {
            detail.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef");
            detail.put("group", "service:api");
        });
    }

    private Map<String, Object> onlyPublish() {
        assertEquals(1, sandbox.calls("sns", "Publish").size(), sandbox.calls().toString());
        return sandbox.calls("sns", "Publish").get(0).params();
    }

    @Test
    void aCrashWhileBothTunnelsAreDownSaysTheDatacenterIsTheLikelyCauseWithTheLogsEvidence() throws Exception {
        JsonObject output = invoke(function(world("DOWN", "DOWN", false)), SampleEvents.text("ecs-service-task-crashed.json"));
        assertEquals("NOTIFIED", output.string("result"));
        Map<String, Object> publish = onlyPublish();
        assertEquals("[WARNING] Datacenter unreachable: 1 service stopped abnormally (1 task)", publish.get("Subject"));
        String body = (String) publish.get("Message");
        assertTrue(body.contains("Likely cause: the datacenter is unreachable since 09:03 UTC (VPN " + VPN + ": both tunnels DOWN)."), body);
        assertTrue(body.indexOf("Likely cause") < body.indexOf("Service web in prod"), "the likely cause comes first: " + body);
        assertTrue(body.contains("Service web in prod: an essential container exited with an error; 1 task (8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f); "
                + "the log shows a connection timeout to 10.20.1.5:1433"), body);
        assertTrue(body.contains("ConnectionError: Failed to connect to 10.20.1.5:1433 in 15000ms"), "the log lines are shown: " + body);
        assertTrue(body.contains("https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f"), body);
        assertTrue(body.contains("#logsV2:log-groups/log-group/$252Fecs$252Fweb/log-events/ecs$252Fweb$252F8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f"), body);
        assertEquals(Map.of("DataType", "String", "StringValue", "warning"), ((Map<?, ?>) publish.get("MessageAttributes")).get("severity"));
        assertEquals(1, sandbox.calls("ec2", "DescribeVpnConnections").size());
        assertEquals(List.of(VPN), ((List<?>) ((Map<?, ?>) ((List<?>) sandbox.calls("ec2", "DescribeVpnConnections").get(0).params()
                .get("Filter")).get(0)).get("Value")), "only the listed connection is read");
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    @Test
    void aCrashLoopWhileTheDatacenterIsDownIsFoldedNotACriticalMessageAtEachMilestone() throws Exception {
        // The crash-loop world: this is the third abnormal stop in a row, a milestone that is critical while the VPN is up.
        JsonObject output = invoke(function(world("DOWN", "DOWN", true)), SampleEvents.text("ecs-service-task-crashed.json"));
        assertEquals("SUPPRESSED", output.string("result"));
        assertTrue(sandbox.calls("sns", "Publish").isEmpty(), sandbox.calls().toString());
        assertTrue(sandbox.calls("slack", "post").isEmpty());

        // The same stop with one tunnel UP: the datacenter is reachable, so the crash loop is critical as ever.
        invoke(function(world("UP", "DOWN", true)), SampleEvents.text("ecs-service-task-crashed.json"));
        assertEquals("[CRITICAL] Service web is crash-looping in prod (3 abnormal stops)", onlyPublish().get("Subject"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStormDuringTheOutageIsOneMessageWithALinePerServiceAndAnOutOfMemoryKillIsToldApart() throws Exception {
        Map<String, Object> web = SampleEvents.envelope("ecs-service-task-crashed.json");
        Map<String, Object> api = apiCrash();
        Map<String, Object> oom = SampleEvents.variant("ecs-service-task-out-of-memory.json", detail -> detail.put("group", "service:reports"));
        JsonObject output = invoke(function(world("DOWN", "DOWN", false)), batch(web, api, oom));
        assertEquals(List.of(), output.array("batchItemFailures"));
        List<Map<String, Object>> published = sandbox.calls("sns", "Publish").stream().map(c -> c.params()).toList();
        assertEquals(2, published.size(), published.toString());
        Map<String, Object> outage = published.stream().filter(p -> ((String) p.get("Subject")).contains("Datacenter unreachable")).findFirst().orElseThrow();
        assertEquals("[WARNING] Datacenter unreachable: 2 services stopped abnormally (2 tasks)", outage.get("Subject"));
        String body = (String) outage.get("Message");
        assertTrue(body.contains("Service web in prod: an essential container exited with an error; 1 task"), body);
        assertTrue(body.contains("Service api in prod: an essential container exited with an error; 1 task (0123456789abcdef0123456789abcdef)"), body);
        Map<String, Object> memory = published.stream().filter(p -> p != outage).findFirst().orElseThrow();
        String memoryBody = (String) memory.get("Message");
        assertFalse(((String) memory.get("Subject")).contains("Datacenter"), memory.toString());
        assertTrue(memoryBody.contains("Datacenter: unreachable since 09:03 UTC (VPN " + VPN + ": both tunnels DOWN); this stop's cause is not one "
                + "the VPN explains"), memoryBody);
        assertEquals(1, sandbox.calls("ec2", "DescribeVpnConnections").size(), "read once per invocation");
    }

    @Test
    void whenTheDatacentersStateCannotBeReadTheMessageGoesOutAsEverSayingSo() throws Exception {
        JsonObject output = invoke(function(world("DOWN", "DOWN", true).fault("ec2.DescribeVpnConnections", "UnauthorizedOperation")),
                SampleEvents.text("ecs-service-task-crashed.json"));
        assertEquals("NOTIFIED", output.string("result"));
        Map<String, Object> publish = onlyPublish();
        assertEquals("[CRITICAL] Service web is crash-looping in prod (3 abnormal stops)", publish.get("Subject"));
        String body = (String) publish.get("Message");
        assertTrue(body.contains("Datacenter: state unavailable: DescribeVpnConnections failed: "), body);
        assertTrue(body.contains("UnauthorizedOperation"), body);
        assertTrue(body.contains("Log shows: a connection timeout to 10.20.1.5:1433"), "the log's evidence stands on its own: " + body);
    }

    @Test
    void withoutAListedVpnNothingIsReadAndNothingSaid() throws Exception {
        invoke(function(world("DOWN", "DOWN", true), "VPN_CONNECTION_IDS", ""), SampleEvents.text("ecs-service-task-crashed.json"));
        assertTrue(sandbox.calls("ec2", "DescribeVpnConnections").isEmpty());
        assertFalse(((String) onlyPublish().get("Message")).contains("Datacenter"));
    }

    @Test
    void aNormalStopReadsNothingOfTheDatacenter() throws Exception {
        invoke(function(world("DOWN", "DOWN", false)), SampleEvents.text("ecs-service-deployment-replaced-task.json"));
        assertTrue(sandbox.calls("ec2", "DescribeVpnConnections").isEmpty());
        assertTrue(sandbox.calls("sns", "Publish").isEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSilencedServiceIsLeftOutOfTheOutageMessageAndTheOthersAreStillTold() throws Exception {
        Map<String, Object> web = SampleEvents.envelope("ecs-service-task-crashed.json");
        Map<String, Object> api = apiCrash();
        World world = world("DOWN", "DOWN", false).addService(Map.of("serviceName", "api", "clusterArn", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
                "tags", List.of(Map.of("key", "tidewatch:silence-until", "value", "2099-01-01T00:00:00Z"))));
        JsonObject output = invoke(function(world), batch(web, api));
        assertEquals(List.of(), output.array("batchItemFailures"));
        Map<String, Object> publish = onlyPublish();
        assertEquals("[WARNING] Datacenter unreachable: 1 service stopped abnormally (1 task)", publish.get("Subject"));
        assertFalse(((String) publish.get("Message")).contains("Service api"), (String) publish.get("Message"));
        assertTrue(logs.text().contains("\"key\":\"ecs/datacenter-unreachable/service:api\""), logs.text());
        assertTrue(logs.text().contains("\"results\":{\"NOTIFIED\":1,\"SILENCED\":1}"), logs.text());
    }

    @Test
    void aStormOfInvocationsReadsTheDatacenterAndTheSilencesOnceAMinuteButAnUnknownReadingAgain() throws Exception {
        EcsTaskStateFunction function = function(world("DOWN", "DOWN", false));
        invoke(function, SampleEvents.text("ecs-service-task-crashed.json"));
        invoke(function, batch(apiCrash()));
        assertEquals(1, sandbox.calls("ec2", "DescribeVpnConnections").size(), "the reading is reused within a minute");
        assertEquals(1, sandbox.calls("ecs", "DescribeClusters").size(), "and so are the cluster's tags");
        assertEquals(2, sandbox.calls("ecs", "DescribeServices").size(), "each service's own tags, once");

        EcsTaskStateFunction unsure = function(world("DOWN", "DOWN", false).fault("ec2.DescribeVpnConnections", "UnauthorizedOperation", "delay:0"));
        invoke(unsure, SampleEvents.text("ecs-service-task-crashed.json"));
        invoke(unsure, batch(apiCrash()));
        assertEquals(2, sandbox.calls("ec2", "DescribeVpnConnections").size(), "a reading that failed is not kept");
    }
}

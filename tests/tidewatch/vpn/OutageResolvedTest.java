package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.ecs.OutageStops;
import tidewatch.json.Json;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;

/**
 * When a datacenter alarm clears, its resolved message lists the services whose tasks stopped abnormally while it
 * was in ALARM (10:17:42 to 11:04:12 in the OK sample), from ECS's own record, and whether each is back.
 */
class OutageResolvedTest {
    private static final String OK_EVENT = "events/vpn-alarm-ok-eventbridge.json";

    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    /** A stopped task of the crash-loop world, moved to {@code service} at {@code stoppedAt} with the given stop. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> stopped(int index, String service, String stoppedAt, String stopCode, int exitCode) throws Exception {
        Map<String, Object> root = Json.parseObject(Files.readString(Path.of("events/worlds/web-crash-loop.json")), "world").mutableCopy();
        Map<String, Object> task = ((List<Map<String, Object>>) ((Map<String, Object>) root.get("ecs")).get("stoppedTasks")).get(0);
        task.put("taskArn", "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + "%032x".formatted(index));
        task.put("group", "service:" + service);
        task.put("stoppedAt", stoppedAt);
        task.put("stopCode", stopCode);
        if (stopCode.equals("ServiceSchedulerInitiated")) {
            task.put("stoppedReason", "Scaling activity initiated by (deployment ecs-svc/4405931437208146391)");
        }
        ((List<Map<String, Object>>) task.get("containers")).get(0).put("exitCode", exitCode);
        return task;
    }

    private static Map<String, Object> service(String name, int desired, int running) {
        return Map.of("serviceName", name, "serviceArn", "arn:aws:ecs:eu-west-1:123456789012:service/prod/" + name,
                "clusterArn", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod", "desiredCount", desired, "runningCount", running,
                "status", "ACTIVE");
    }

    private Message resolved(World world, List<String> clusters) throws Exception {
        sandbox = sandboxes.start(world.topic("arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications").function("tidewatch-keepalive"));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        RecordingChannel channel = new RecordingChannel("test", false);
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(aws, new Notifier(List.of(channel)), VpnFixtures.usualConfig(),
                Clock.fixed(Instant.parse("2024-05-01T11:04:20Z"), ZoneOffset.UTC)).withOutageStops(new OutageStops(aws::ecs, clusters)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(OK_EVENT))), out, null);
        assertEquals(1, channel.messages().size());
        return channel.messages().get(0);
    }

    private static String field(Message message, String name) {
        return message.fields().stream().filter(f -> f.name().equals(name)).map(Message.Field::value).findFirst().orElse(null);
    }

    @Test
    void listsTheServicesThatStoppedAbnormallyDuringTheOutageAndWhetherTheyAreBack() throws Exception {
        World world = World.empty()
                .addStoppedTask(stopped(1, "registry-certs", "2024-05-01T10:20:00Z", "EssentialContainerExited", 1))
                .addStoppedTask(stopped(2, "registry-certs", "2024-05-01T10:31:00Z", "EssentialContainerExited", 1))
                .addStoppedTask(stopped(3, "permits", "2024-05-01T10:40:00Z", "EssentialContainerExited", 1))
                // Not in the list: a deployment's stop, and a crash before the alarm.
                .addStoppedTask(stopped(4, "parking", "2024-05-01T10:45:00Z", "ServiceSchedulerInitiated", 143))
                .addStoppedTask(stopped(5, "parking", "2024-05-01T10:10:00Z", "EssentialContainerExited", 1))
                .addService(service("registry-certs", 2, 2))
                .addService(service("permits", 2, 1));
        Message message = resolved(world, List.of("prod"));
        assertEquals("registry-certs in prod: 2 abnormal stops; back: 2 of 2 running\n"
                + "permits in prod: 1 abnormal stop; NOT back: 1 of 2 running\n"
                + "(between 10:17 UTC and 11:04 UTC; ECS keeps stopped tasks about an hour)",
                field(message, VpnAlarmFunction.OUTAGE_STOPS_FIELD));
        assertEquals(1, sandbox.calls("ecs", "ListTasks").size());
        assertEquals("STOPPED", sandbox.calls("ecs", "ListTasks").get(0).params().get("desiredStatus"));
        assertEquals(List.of("registry-certs", "permits"), sandbox.calls("ecs", "DescribeServices").get(0).params().get("services"));
    }

    @Test
    void saysWhenNothingStoppedWhenTheReadFailsAndReadsNothingWithoutNamedClusters() throws Exception {
        Message none = resolved(World.empty(), List.of("prod"));
        assertEquals("none: no service task of prod stopped abnormally between 10:17 UTC and 11:04 UTC (ECS keeps stopped tasks about an hour)",
                field(none, VpnAlarmFunction.OUTAGE_STOPS_FIELD));

        Message denied = resolved(World.empty().fault("ecs.ListTasks", "AccessDeniedException"), List.of("prod"));
        String value = field(denied, VpnAlarmFunction.OUTAGE_STOPS_FIELD);
        assertTrue(value.startsWith("not read: ") && value.contains("AccessDeniedException"), value);

        Message unnamed = resolved(World.empty(), List.of("*"));
        assertEquals(null, field(unnamed, VpnAlarmFunction.OUTAGE_STOPS_FIELD));
        assertTrue(sandbox.calls("ecs", "ListTasks").isEmpty());
    }
}

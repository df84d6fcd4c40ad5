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
import tidewatch.datacenter.Reachability;
import tidewatch.datacenter.ReachabilityReader;
import tidewatch.json.Json;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.notify.Notifier;

/**
 * The keepalive's alarm kept on the listed VPN connections (tunnels UP, datacenter hosts silent), through the real
 * SDK against the sandbox, and what the ECS function's reader makes of it.
 */
class KeepaliveUnreachableTagTest {
    private static final String VPN = "vpn-0a1b2c3d4e5f67890";

    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();

    private static Map<String, Object> tunnelsUp() {
        return Map.of("VpnConnectionId", VPN, "State", "available", "VgwTelemetry", List.of(
                Map.of("OutsideIpAddress", "203.0.113.10", "Status", "UP", "LastStatusChange", "2024-04-29T14:03:10Z"),
                Map.of("OutsideIpAddress", "203.0.113.20", "Status", "UP", "LastStatusChange", "2024-04-29T14:03:10Z")));
    }

    private static void invoke(Sandbox sandbox, AwsClients aws, byte[] event) throws Exception {
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(aws, new Notifier(List.of(new RecordingChannel("test", false))),
                VpnFixtures.usualConfig(), Clock.fixed(Instant.parse("2024-05-01T10:19:10Z"), ZoneOffset.UTC)));
        function.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKeepalivesAlarmIsKeptOnTheVpnWhileItLastsAndTheEcsReaderSeesTheDatacenterUnreachable() throws Exception {
        Sandbox sandbox = sandboxes.start(World.empty().addVpnConnection(tunnelsUp()).topic("arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications")
                .function("tidewatch-keepalive"));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        ReachabilityReader reader = new ReachabilityReader(aws::ec2, List.of(VPN),
                Clock.fixed(Instant.parse("2024-05-01T10:25:00Z"), ZoneOffset.UTC));
        assertEquals(Reachability.State.REACHABLE, reader.read(InvocationDeadline.unbounded()).state());

        byte[] alarm = Files.readAllBytes(Path.of("events/keepalive-alarm-lambda-action.json"));
        invoke(sandbox, aws, alarm);
        Map<String, Object> created = sandbox.calls("ec2", "CreateTags").get(0).params();
        assertEquals(List.of(VPN), created.get("ResourceId"));
        assertEquals(List.of(Map.of("Key", ReachabilityReader.KEEPALIVE_UNREACHABLE_TAG, "Value", "2024-05-01T10:19:05.330Z")), created.get("Tag"));
        Reachability down = reader.read(InvocationDeadline.unbounded());
        assertEquals("the datacenter is unreachable since 10:19 UTC (VPN " + VPN + ": 2 of 2 tunnels UP, but the keepalive reaches no "
                + "datacenter host)", down.likelyCause());

        Map<String, Object> ok = Json.parseObject(new String(alarm, StandardCharsets.UTF_8), "alarm").mutableCopy();
        Map<String, Object> data = (Map<String, Object>) ok.get("alarmData");
        ((Map<String, Object>) data.get("state")).put("value", "OK");
        ((Map<String, Object>) data.get("previousState")).put("value", "ALARM");
        String cleared = Json.write(ok);
        invoke(sandbox, aws, cleared.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(Map.of("Key", ReachabilityReader.KEEPALIVE_UNREACHABLE_TAG)), sandbox.calls("ec2", "DeleteTags").get(0).params().get("Tag"));
        assertEquals(Reachability.State.REACHABLE, reader.read(InvocationDeadline.unbounded()).state());
    }

    @Test
    void aTunnelAlarmWritesNoSuchTagAndAFailedWriteNeverHoldsTheMessageUp() throws Exception {
        Sandbox sandbox = sandboxes.start(World.empty().addVpnConnection(tunnelsUp()).topic("arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications")
                .function("tidewatch-keepalive").fault("ec2.CreateTags", "UnauthorizedOperation"));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        invoke(sandbox, aws, Files.readAllBytes(Path.of("events/vpn-alarm-eventbridge.json")));
        assertTrue(sandbox.calls("ec2", "CreateTags").isEmpty(), "a tunnel alarm is not the keepalive's");

        RecordingChannel channel = new RecordingChannel("test", false);
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(aws, new Notifier(List.of(channel)), VpnFixtures.usualConfig(),
                Clock.fixed(Instant.parse("2024-05-01T10:19:10Z"), ZoneOffset.UTC)));
        function.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("events/keepalive-alarm-lambda-action.json"))),
                new ByteArrayOutputStream(), null);
        assertEquals(1, sandbox.calls("ec2", "CreateTags").size(), "tried once");
        assertEquals(1, channel.messages().size(), "the alarm is told all the same");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAlarmInTheKeepalivesNamespaceWithoutAMetricNameIsToldAndTagsNothing() throws Exception {
        // A fuzz finding: the keepalive check read the metric name of an alarm that has none.
        Sandbox sandbox = sandboxes.start(World.empty().addVpnConnection(tunnelsUp()).topic("arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications")
                .function("tidewatch-keepalive"));
        Map<String, Object> alarm = Json.parseObject(Files.readString(Path.of("events/keepalive-alarm-lambda-action.json")), "alarm").mutableCopy();
        Map<String, Object> metric = (Map<String, Object>) ((Map<String, Object>) ((List<Map<String, Object>>) ((Map<String, Object>)
                ((Map<String, Object>) alarm.get("alarmData")).get("configuration")).get("metrics")).get(0).get("metricStat")).get("metric");
        metric.remove("name");
        RecordingChannel channel = new RecordingChannel("test", false);
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(sandbox.clients(Duration.ofSeconds(2)), new Notifier(List.of(channel)),
                VpnFixtures.usualConfig(), Clock.fixed(Instant.parse("2024-05-01T10:19:10Z"), ZoneOffset.UTC)));
        function.handleRequest(new ByteArrayInputStream(Json.write(alarm).getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
        assertEquals(1, channel.messages().size());
        assertTrue(sandbox.calls("ec2", "CreateTags").isEmpty());
    }
}

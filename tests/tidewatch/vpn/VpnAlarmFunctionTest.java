package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.NOW;
import static tidewatch.vpn.VpnFixtures.TUNNEL_A;
import static tidewatch.vpn.VpnFixtures.TUNNEL_B;
import static tidewatch.vpn.VpnFixtures.VPN;
import static tidewatch.vpn.VpnFixtures.event;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tidewatch.aws.AwsClients;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.log.Log;
import tidewatch.notify.Message;
import tidewatch.notify.NotificationFailedException;
import tidewatch.notify.Notifier;
import tidewatch.notify.Severity;

/** The handler end to end: sample events in, EC2 and Lambda faked over HTTP, messages caught by a test channel. */
class VpnAlarmFunctionTest {
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private FakeAws aws;
    private RecordingChannel channel;

    @BeforeEach
    void start() throws IOException {
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8), Log.Level.DEBUG);
        aws = new FakeAws();
        channel = new RecordingChannel("test", false);
    }

    @AfterEach
    void stop() {
        aws.close();
        Log.redirect(System.out, Log.Level.INFO);
    }

    private VpnAlarmFunction function(VpnAlarmConfig config, RecordingChannel... channels) {
        AwsClients clients = aws.clients();
        List<tidewatch.notify.Channel> all = channels.length == 0 ? List.of(channel) : List.of(channels);
        return new VpnAlarmFunction(clients.ec2(), clients.lambda(), new Notifier(all), config,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static JsonObject invoke(VpnAlarmFunction function, String payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private static String field(Message message, String name) {
        return message.fields().stream().filter(f -> f.name().equals(name)).map(Message.Field::value).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + message.fields()));
    }

    @Test
    void degradedVpnAlarmRunsBothResponsesAndNotifies() throws IOException {
        VpnAlarmConfig config = VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");

        JsonObject output = invoke(function(config), event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke", "CreateTags", "ReplaceVpnTunnel"), aws.actions());
        FakeAws.Request describe = aws.only("DescribeVpnConnections");
        assertEquals("vpn-connection-id", describe.form().get("Filter.1.Name"));
        assertEquals(VPN, describe.form().get("Filter.1.Value.1"));

        FakeAws.Request invoke = aws.only("Invoke");
        assertEquals("/2015-03-31/functions/tidewatch-keepalive/invocations", invoke.path());
        assertEquals("Event", invoke.invocationType());
        assertEquals(Map.of("burst", 3), Json.parseObject(invoke.body(), "payload").asMap());

        FakeAws.Request tag = aws.only("CreateTags");
        assertEquals(VPN, tag.form().get("ResourceId.1"));
        assertEquals("tidewatch:replaced:" + TUNNEL_A, tag.form().get("Tag.1.Key"));
        assertEquals(NOW.toString(), tag.form().get("Tag.1.Value"));
        FakeAws.Request replace = aws.only("ReplaceVpnTunnel");
        assertEquals(VPN, replace.form().get("VpnConnectionId"));
        assertEquals(TUNNEL_A, replace.form().get("VpnTunnelOutsideIpAddress"));

        Message message = channel.messages().get(0);
        assertEquals(1, channel.messages().size());
        assertEquals(Severity.WARNING, message.severity());
        assertEquals("VPN degraded: traffic still flows over tunnel " + TUNNEL_B, message.title());
        assertEquals("keepalive burst of 3 rounds requested; tunnel " + TUNNEL_A + " replacement: requested (down 47 min)",
                field(message, "Automatic response"));
        assertTrue(field(message, "Tunnel " + TUNNEL_A).startsWith("DOWN since 2024-05-01T09:31:00Z (47 min ago)"));

        JsonObject result = output.objects("results").get(0);
        assertEquals("warning", result.string("severity"));
        assertEquals(message.title(), result.string("title"));
        assertEquals(List.of("keepalive-burst", "replace-vpn-tunnel"),
                result.objects("actions").stream().map(a -> a.string("action")).toList());
        assertEquals(List.of("done", "done"), result.objects("actions").stream().map(a -> a.string("outcome")).toList());
        assertEquals(List.of("test"), result.strings("notified"));
    }

    @Test
    void aRecentCooldownTagReadFromEc2PreventsASecondReplacement() throws IOException {
        aws.describeXml = FakeAws.vpnConnectionsXml("tidewatch:replaced:" + TUNNEL_A, "2024-05-01T07:18:00Z");

        invoke(function(VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-eventbridge.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke"), aws.actions());
        assertTrue(field(channel.messages().get(0), "Automatic response")
                .contains("replacement: skipped, replaced 3 h ago"), field(channel.messages().get(0), "Automatic response"));
    }

    @Test
    void failingResponsesAreReportedAndNeverStopTheNotification() throws IOException {
        aws.invokeDenied = true;
        aws.createTagsDenied = true;

        JsonObject output = invoke(function(VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")),
                event("vpn-alarm-lambda-action.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke", "CreateTags"), aws.actions(),
                "no replacement without the cooldown tag");
        String responses = field(channel.messages().get(0), "Automatic response");
        assertTrue(responses.startsWith("keepalive burst of 3 rounds: failed, AccessDeniedException: "), responses);
        assertTrue(responses.contains("tunnel " + TUNNEL_A + " replacement: not attempted, the cooldown tag could not "
                + "be written (UnauthorizedOperation: "), responses);
        assertEquals(List.of("failed", "failed"), output.objects("results").get(0).objects("actions").stream()
                .map(a -> a.string("outcome")).toList());
        assertTrue(logs.toString(StandardCharsets.UTF_8).contains("automatic response failed"));
    }

    @Test
    void aFailedReplacementIsReported() throws IOException {
        aws.replaceFails = true;

        invoke(function(VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-sns.json"));

        String responses = field(channel.messages().get(0), "Automatic response");
        assertTrue(responses.contains("tunnel " + TUNNEL_A + " replacement: failed, InvalidParameterValue: Tunnel "
                + "replacement in progress"), responses);
    }

    @Test
    void bothTunnelsDownIsCritical() throws IOException {
        aws.describeXml = FakeAws.tunnelsXml("DOWN", "2024-05-01T09:31:00.000Z", "DOWN", "2024-05-01T10:02:00.000Z");

        invoke(function(VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke"), aws.actions());
        Message message = channel.messages().get(0);
        assertEquals(Severity.CRITICAL, message.severity());
        assertEquals("VPN down: the datacenter is unreachable", message.title());
        assertTrue(message.summary().contains(TUNNEL_A) && message.summary().contains(TUNNEL_B), message.summary());
    }

    @Test
    void okReadsTelemetryOnceAndActsOnNothing() throws IOException {
        aws.describeXml = FakeAws.tunnelsXml("UP", "2024-05-01T11:01:00.000Z", "UP", "2024-04-29T14:03:10.000Z");

        invoke(function(VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")),
                event("vpn-alarm-ok-eventbridge.json"));

        assertEquals(List.of("DescribeVpnConnections"), aws.actions());
        Message message = channel.messages().get(0);
        assertEquals(Severity.RESOLVED, message.severity());
        assertTrue(field(message, "Alarm lasted").startsWith("46 min"));
    }

    @Test
    void anUnreadablePayloadIsSentAsRawTextWithoutTouchingAws() throws IOException {
        String payload = "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Subject\":\"hi\",\"Message\":\"disk full on db-1\"}}]}";

        JsonObject output = invoke(function(VpnFixtures.usualConfig()), payload);

        assertEquals(List.of(), aws.actions());
        Message message = channel.messages().get(0);
        assertEquals("Unrecognised alarm", message.title());
        assertEquals(Severity.WARNING, message.severity());
        assertEquals(List.of("disk full on db-1"), message.evidence().lines());
        assertEquals("warning", output.objects("results").get(0).string("severity"));
    }

    @Test
    void anUnrelatedAlarmMakesNoAwsCall() throws IOException {
        String cpu = event("vpn-alarm-eventbridge.json")
                .replace("\"namespace\": \"AWS/VPN\"", "\"namespace\": \"AWS/EC2\"")
                .replace("\"name\": \"TunnelState\"", "\"name\": \"CPUUtilization\"");

        invoke(function(VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), cpu);

        assertEquals(List.of(), aws.actions());
        assertEquals(Severity.WARNING, channel.messages().get(0).severity());
        assertEquals("alarm/tidewatch-vpn-tunnel-down", channel.messages().get(0).key());
    }

    @Test
    void aConfigurationChangeSendsNothing() throws IOException {
        String change = "{\"version\":\"0\",\"detail-type\":\"CloudWatch Alarm Configuration Change\","
                + "\"source\":\"aws.cloudwatch\",\"account\":\"123456789012\",\"region\":\"eu-west-1\","
                + "\"detail\":{\"alarmName\":\"tidewatch-vpn-tunnel-down\",\"operation\":\"update\"}}";

        JsonObject output = invoke(function(VpnFixtures.usualConfig()), change);

        assertEquals(List.of(), aws.actions());
        assertEquals(List.of(), channel.messages());
        assertTrue(output.objects("results").get(0).has("skipped"));
    }

    @Test
    void whenEveryChannelFailsTheInvocationFails() {
        RecordingChannel broken = new RecordingChannel("broken", true);
        VpnAlarmFunction function = function(VpnFixtures.usualConfig(), broken);

        assertThrows(NotificationFailedException.class, () -> invoke(function, event("vpn-alarm-sns.json")));
    }

    @Test
    void oneWorkingChannelIsEnough() throws IOException {
        RecordingChannel broken = new RecordingChannel("broken", true);
        JsonObject output = invoke(function(VpnFixtures.usualConfig(), broken, channel), event("vpn-alarm-sns.json"));
        assertEquals(1, channel.messages().size());
        assertEquals(List.of("test"), output.objects("results").get(0).strings("notified"));
    }

    @Test
    void anUnreadableVpnStillNotifies() throws IOException {
        aws.describeXml = "<DescribeVpnConnectionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>r</requestId><vpnConnectionSet/></DescribeVpnConnectionsResponse>";

        invoke(function(VpnFixtures.usualConfig()), event("vpn-alarm-sns.json"));

        Message message = channel.messages().get(0);
        assertEquals(Severity.WARNING, message.severity());
        assertTrue(field(message, "VPN").contains("does not list it"), field(message, "VPN"));
    }

    @Test
    void aFaultWhileAssessingStillSendsTheAlarm() throws IOException {
        TunnelTelemetrySource broken = vpnIds -> {
            throw new IllegalStateException("bug in the read");
        };
        Responder refuses = response -> {
            if (!(response instanceof Response.NotRun)) {
                throw new AssertionError("nothing may run: " + response);
            }
            return ResponseResult.done(response);
        };
        VpnAlarmFunction function = new VpnAlarmFunction(broken, refuses, new Notifier(List.of(channel)),
                VpnFixtures.usualConfig(), Clock.fixed(NOW, ZoneOffset.UTC));

        invoke(function, event("vpn-alarm-sns.json"));

        Message message = channel.messages().get(0);
        assertEquals(Severity.WARNING, message.severity());
        assertEquals("alarm/tidewatch-vpn-tunnel-down", message.key());
        assertTrue(field(message, "Tidewatch").contains("IllegalStateException: bug in the read"));
    }

    @Test
    void keepaliveAlarmLooksUpTheConfiguredVpn() throws IOException {
        invoke(function(VpnFixtures.usualConfig()), event("keepalive-alarm-lambda-action.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke"), aws.actions());
        assertEquals("vpn/" + VPN + "/tidewatch-keepalive-no-reachable-targets", channel.messages().get(0).key());
    }
}

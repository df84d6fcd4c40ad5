package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Channel;
import tidewatch.notify.Message;
import tidewatch.notify.NotificationFailedException;
import tidewatch.notify.Notifier;
import tidewatch.notify.Severity;
import tidewatch.notify.SnsChannel;

/**
 * The handler end to end: sample events in, real SDK clients against the shared sandbox (EC2 and Lambda over their
 * wire protocols, every call recorded), messages caught by a test channel.
 */
class VpnAlarmFunctionTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications";
    /** The one-tunnel-down sample world: tunnel .10 DOWN since 08:55, .20 UP. */
    private static final Path ONE_TUNNEL_DOWN = Path.of("events/worlds/vpn-one-tunnel-down.json");
    private static final Path BOTH_TUNNELS_DOWN = Path.of("events/worlds/vpn-both-tunnels-down.json");
    /** When the scheduled check runs against the sample worlds: 45 min after tunnel .10 went down. */
    private static final Instant CHECK_TIME = Instant.parse("2026-11-24T09:40:00Z");

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;
    private RecordingChannel channel;

    @BeforeEach
    void start() {
        channel = new RecordingChannel("test", false);
    }

    // ---- the world: VPN connections as DescribeVpnConnections returns them (EC2 API member names) --------------

    /** One tunnel DOWN since 09:31 (47 min before VpnFixtures.NOW), the other UP; extra tags as key, value pairs. */
    private static Map<String, Object> degradedVpn(String... tags) {
        return vpnConnection("DOWN", "2024-05-01T09:31:00Z", "UP", "2024-04-29T14:03:10Z", tags);
    }

    private static Map<String, Object> vpnConnection(String statusA, String sinceA, String statusB, String sinceB,
                                                     String... tags) {
        List<Object> tagList = new ArrayList<>();
        tagList.add(Map.of("Key", "Name", "Value", "datacenter"));
        for (int i = 0; i + 1 < tags.length; i += 2) {
            tagList.add(Map.of("Key", tags[i], "Value", tags[i + 1]));
        }
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("VpnConnectionId", VPN);
        connection.put("State", "available");
        connection.put("Type", "ipsec.1");
        connection.put("CustomerGatewayId", "cgw-0e11f167");
        connection.put("VpnGatewayId", "vgw-9a4cacf3");
        connection.put("Tags", tagList);
        connection.put("VgwTelemetry", List.of(tunnel(TUNNEL_A, statusA, sinceA), tunnel(TUNNEL_B, statusB, sinceB)));
        return connection;
    }

    private static Map<String, Object> tunnel(String ip, String status, String since) {
        boolean down = "DOWN".equals(status);
        return Map.of("OutsideIpAddress", ip, "Status", status, "StatusMessage", down ? "IPSEC IS DOWN" : "2 BGP ROUTES",
                "LastStatusChange", since, "AcceptedRouteCount", down ? 0 : 2);
    }

    // ---- running the handler ------------------------------------------------------------------------------------

    /** The world with the topic and the keepalive function the usual settings name. */
    private AwsClients aws(World world) {
        sandbox = sandboxes.start(world.topic(TOPIC).function("tidewatch-keepalive"));
        return sandbox.clients(Duration.ofSeconds(2));
    }

    private VpnAlarmFunction function(World world, VpnAlarmSettings config, Channel... channels) {
        return function(aws(world), config, Clock.fixed(NOW, ZoneOffset.UTC), channels);
    }

    private VpnAlarmFunction function(AwsClients clients, VpnAlarmSettings config, Clock clock, Channel... channels) {
        List<Channel> all = channels.length == 0 ? List.of(channel) : List.of(channels);
        return new VpnAlarmFunction(VpnAlarmParts.of(clients, new Notifier(all), config, clock));
    }

    private static JsonObject invoke(VpnAlarmFunction function, String payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    /** The operations the sandbox received, in order. */
    private List<String> operations() {
        return sandbox.calls().stream().map(Sandbox.Call::operation).toList();
    }

    private Map<String, Object> only(String service, String operation) {
        List<Sandbox.Call> calls = sandbox.calls(service, operation);
        if (calls.size() != 1) {
            throw new AssertionError("expected one " + service + " " + operation + ", got " + operations());
        }
        return calls.get(0).params();
    }

    // ---- alarms -------------------------------------------------------------------------------------------------

    @Test
    void degradedVpnAlarmRunsBothResponsesAndNotifies() throws IOException {
        VpnAlarmSettings config = VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");

        JsonObject output = invoke(function(World.empty().addVpnConnection(degradedVpn()), config),
                event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke", "CreateTags", "ReplaceVpnTunnel"), operations());
        assertEquals(List.of(Map.of("Name", "vpn-connection-id", "Value", List.of(VPN))),
                only("ec2", "DescribeVpnConnections").get("Filter"));

        Map<String, Object> burst = only("lambda", "Invoke");
        assertEquals("tidewatch-keepalive", burst.get("FunctionName"));
        assertEquals("Event", burst.get("InvocationType"));
        assertEquals(Map.of("burst", 3), burst.get("Payload"));

        Map<String, Object> tag = only("ec2", "CreateTags");
        assertEquals(List.of(VPN), tag.get("ResourceId"));
        assertEquals(List.of(Map.of("Key", "tidewatch:replaced:" + TUNNEL_A, "Value", NOW.toString())), tag.get("Tag"));
        Map<String, Object> replace = only("ec2", "ReplaceVpnTunnel");
        assertEquals(VPN, replace.get("VpnConnectionId"));
        assertEquals(TUNNEL_A, replace.get("VpnTunnelOutsideIpAddress"));

        Message message = channel.messages().get(0);
        assertEquals(1, channel.messages().size());
        assertEquals(Severity.WARNING, message.severity());
        assertEquals("VPN degraded: traffic still flows over tunnel " + TUNNEL_B, message.title());
        assertEquals("keepalive burst of 3 rounds requested; tunnel " + TUNNEL_A + " replacement: requested (down 47 min)",
                VpnFixtures.field(message, "Automatic response"));
        assertTrue(VpnFixtures.field(message, "Tunnel " + TUNNEL_A).startsWith("DOWN since 2024-05-01T09:31:00Z (47 min ago)"));

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
        World world = World.empty().addVpnConnection(degradedVpn("tidewatch:replaced:" + TUNNEL_A, "2024-05-01T07:18:00Z"));

        invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-eventbridge.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke"), operations());
        assertTrue(VpnFixtures.field(channel.messages().get(0), "Automatic response")
                .contains("replacement: skipped, replaced 3 h ago"), VpnFixtures.field(channel.messages().get(0), "Automatic response"));
    }

    @Test
    void aCooldownTagDated2099IsIgnoredSoTheReplacementProceedsAndTheMessageSaysSo() throws IOException {
        World world = World.empty().addVpnConnection(degradedVpn("tidewatch:replaced:" + TUNNEL_A, "2099-01-01T00:00:00Z"));

        JsonObject output = invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")),
                event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke", "CreateTags", "ReplaceVpnTunnel"), operations());
        assertEquals(List.of(Map.of("Key", "tidewatch:replaced:" + TUNNEL_A, "Value", NOW.toString())),
                only("ec2", "CreateTags").get("Tag"), "the tag is written anew, with this clock's time");
        String responses = VpnFixtures.field(channel.messages().get(0), "Automatic response");
        assertTrue(responses.contains("tunnel " + TUNNEL_A + " replacement: requested (down 47 min); cooldown tag "
                + "2099-01-01T00:00:00Z ignored: further ahead than the cooldown (6 h) itself, clocks disagree"), responses);
        assertEquals(List.of("done", "done"), output.objects("results").get(0).objects("actions").stream()
                .map(a -> a.string("outcome")).toList());
    }

    @Test
    void aTunnelDownSinceATimeInTheFutureIsToldAsClocksDisagreeAndNotReplaced() throws IOException {
        World world = World.empty().addVpnConnection(
                vpnConnection("DOWN", "2024-05-01T12:07:00Z", "UP", "2024-04-29T14:03:10Z"));

        invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke"), operations(), "no replacement for an unknown down time");
        Message message = channel.messages().get(0);
        assertEquals("DOWN since 2024-05-01T12:07:00Z (in the future: clocks disagree); IPSEC IS DOWN; 0 accepted routes",
                VpnFixtures.field(message, "Tunnel " + TUNNEL_A));
        assertTrue(message.summary().contains("tunnel " + TUNNEL_A + " is DOWN since 2024-05-01T12:07:00Z (in the future: "
                + "clocks disagree)"), message.summary());
        String told = message.summary() + message.fields();
        assertTrue(!told.contains(" 0 s"), "never down 0 s: " + told);
        assertTrue(VpnFixtures.field(message, "Automatic response").contains("tunnel " + TUNNEL_A + " replacement: skipped, "
                + "down since 2024-05-01T12:07:00Z (in the future: clocks disagree), so for an unknown time"));
    }

    @Test
    void failingResponsesAreReportedAndNeverStopTheNotification() throws IOException {
        World world = World.empty().addVpnConnection(degradedVpn())
                .fault("lambda.Invoke", "AccessDeniedException")
                .fault("ec2.CreateTags", "UnauthorizedOperation");

        JsonObject output = invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")),
                event("vpn-alarm-lambda-action.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke", "CreateTags"), operations(),
                "no replacement without the cooldown tag");
        assertEquals("AccessDeniedException", sandbox.calls("lambda", "Invoke").get(0).fault());
        assertEquals("UnauthorizedOperation", sandbox.calls("ec2", "CreateTags").get(0).fault());
        String responses = VpnFixtures.field(channel.messages().get(0), "Automatic response");
        assertTrue(responses.startsWith("keepalive burst of 3 rounds: failed, AccessDeniedException: "), responses);
        assertTrue(responses.contains("tunnel " + TUNNEL_A + " replacement: not attempted, the cooldown tag could not "
                + "be written (UnauthorizedOperation: "), responses);
        assertEquals(List.of("failed", "failed"), output.objects("results").get(0).objects("actions").stream()
                .map(a -> a.string("outcome")).toList());
        assertTrue(logs.text().contains("automatic response failed"));
    }

    @Test
    void aFailedReplacementIsReported() throws IOException {
        World world = World.empty().addVpnConnection(degradedVpn()).fault("ec2.ReplaceVpnTunnel", "InvalidParameterValue");

        JsonObject output = invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")),
                event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke", "CreateTags", "ReplaceVpnTunnel"), operations(),
                "a client error is not retried");
        String responses = VpnFixtures.field(channel.messages().get(0), "Automatic response");
        assertTrue(responses.contains("tunnel " + TUNNEL_A + " replacement: failed, InvalidParameterValue: "), responses);
        assertTrue(responses.contains("(the cooldown tag stays, so it is not retried before the cooldown ends)"), responses);
        assertEquals(List.of("done", "failed"), output.objects("results").get(0).objects("actions").stream()
                .map(a -> a.string("outcome")).toList());
    }

    @Test
    void aServerErrorOnReplacementIsNotRetriedSinceTheReplacementMayHaveHappened() throws IOException {
        World world = World.empty().addVpnConnection(degradedVpn()).fault("ec2.ReplaceVpnTunnel", 500);

        invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-sns.json"));

        assertEquals(1, sandbox.calls("ec2", "CreateTags").size(), "the cooldown tag is written once");
        assertEquals(1, sandbox.calls("ec2", "ReplaceVpnTunnel").size(), "ReplaceVpnTunnel has no idempotency token: sent once");
        String responses = VpnFixtures.field(channel.messages().get(0), "Automatic response");
        assertTrue(responses.contains("tunnel " + TUNNEL_A + " replacement: failed, InternalFailure: "), responses);
    }

    @Test
    void bothTunnelsDownIsCritical() throws IOException {
        World world = World.empty().addVpnConnection(
                vpnConnection("DOWN", "2024-05-01T09:31:00Z", "DOWN", "2024-05-01T10:02:00Z"));

        invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke"), operations());
        Message message = channel.messages().get(0);
        assertEquals(Severity.CRITICAL, message.severity());
        assertEquals("VPN down: the datacenter is unreachable", message.title());
        assertTrue(message.summary().contains(TUNNEL_A) && message.summary().contains(TUNNEL_B), message.summary());
    }

    @Test
    void okReadsTelemetryOnceAndActsOnNothing() throws IOException {
        World world = World.empty().addVpnConnection(
                vpnConnection("UP", "2024-05-01T11:01:00Z", "UP", "2024-04-29T14:03:10Z"));

        invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")),
                event("vpn-alarm-ok-eventbridge.json"));

        assertEquals(List.of("DescribeVpnConnections"), operations());
        Message message = channel.messages().get(0);
        assertEquals(Severity.RESOLVED, message.severity());
        assertTrue(VpnFixtures.field(message, "Alarm lasted").startsWith("46 min"));
    }

    @Test
    void anUnreadablePayloadIsSentAsRawTextWithoutTouchingAws() throws IOException {
        String payload = "{\"Records\":[{\"EventSource\":\"aws:sns\",\"Sns\":{\"Subject\":\"hi\",\"Message\":\"disk full on db-1\"}}]}";

        JsonObject output = invoke(function(World.empty().addVpnConnection(degradedVpn()), VpnFixtures.usualConfig()), payload);

        assertEquals(List.of(), operations());
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

        invoke(function(World.empty().addVpnConnection(degradedVpn()),
                VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), cpu);

        assertEquals(List.of(), operations());
        assertEquals(Severity.WARNING, channel.messages().get(0).severity());
        assertEquals("alarm/tidewatch-vpn-tunnel-down", channel.messages().get(0).key());
    }

    @Test
    void aConfigurationChangeSendsNothing() throws IOException {
        String change = "{\"version\":\"0\",\"detail-type\":\"CloudWatch Alarm Configuration Change\","
                + "\"source\":\"aws.cloudwatch\",\"account\":\"123456789012\",\"region\":\"eu-west-1\","
                + "\"detail\":{\"alarmName\":\"tidewatch-vpn-tunnel-down\",\"operation\":\"update\"}}";

        JsonObject output = invoke(function(World.empty().addVpnConnection(degradedVpn()), VpnFixtures.usualConfig()), change);

        assertEquals(List.of(), operations());
        assertEquals(List.of(), channel.messages());
        assertTrue(output.objects("results").get(0).has("skipped"));
    }

    @Test
    void whenEveryChannelFailsTheInvocationFails() {
        RecordingChannel broken = new RecordingChannel("broken", true);
        VpnAlarmFunction function = function(World.empty().addVpnConnection(degradedVpn()), VpnFixtures.usualConfig(), broken);

        assertThrows(NotificationFailedException.class, () -> invoke(function, event("vpn-alarm-sns.json")));
    }

    @Test
    void whenSnsRefusesAndTheOtherChannelIsDownTheInvocationFails() {
        World world = World.empty().addVpnConnection(degradedVpn()).fault("sns.Publish", "AuthorizationError");
        AwsClients clients = aws(world);
        VpnAlarmFunction function = function(clients, VpnFixtures.usualConfig(), Clock.fixed(NOW, ZoneOffset.UTC),
                new SnsChannel(clients.sns(), TOPIC), new RecordingChannel("broken", true));

        NotificationFailedException error = assertThrows(NotificationFailedException.class,
                () -> invoke(function, event("vpn-alarm-sns.json")));

        assertTrue(error.getMessage().contains("AuthorizationError"), error.getMessage());
        assertEquals("AuthorizationError", sandbox.calls("sns", "Publish").get(0).fault());
        assertEquals(1, sandbox.calls("lambda", "Invoke").size(), "the responses ran before the notification");
    }

    @Test
    void oneWorkingChannelIsEnough() throws IOException {
        RecordingChannel broken = new RecordingChannel("broken", true);
        JsonObject output = invoke(function(World.empty().addVpnConnection(degradedVpn()), VpnFixtures.usualConfig(),
                broken, channel), event("vpn-alarm-sns.json"));
        assertEquals(1, channel.messages().size());
        assertEquals(List.of("test"), output.objects("results").get(0).strings("notified"));
    }

    @Test
    void theMessageGoesOutOverSns() throws IOException {
        AwsClients clients = aws(World.empty().addVpnConnection(degradedVpn()));
        VpnAlarmFunction function = function(clients, VpnFixtures.usualConfig(), Clock.fixed(NOW, ZoneOffset.UTC),
                new SnsChannel(clients.sns(), TOPIC));

        JsonObject output = invoke(function, event("vpn-alarm-sns.json"));

        Map<String, Object> publish = only("sns", "Publish");
        assertEquals(TOPIC, publish.get("TopicArn"));
        assertTrue(String.valueOf(publish.get("Subject")).contains("VPN degraded"), String.valueOf(publish.get("Subject")));
        assertTrue(String.valueOf(publish.get("Message")).contains(TUNNEL_A), String.valueOf(publish.get("Message")));
        assertEquals(1, output.objects("results").get(0).strings("notified").size());
    }

    @Test
    void anUnreadableVpnStillNotifies() throws IOException {
        invoke(function(World.empty(), VpnFixtures.usualConfig()), event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections", "Invoke"), operations());
        Message message = channel.messages().get(0);
        assertEquals(Severity.WARNING, message.severity());
        assertTrue(VpnFixtures.field(message, "VPN").contains("does not list it"), VpnFixtures.field(message, "VPN"));
    }

    @Test
    void aFailedReadStillNotifies() throws IOException {
        World world = World.empty().addVpnConnection(degradedVpn()).fault("ec2.DescribeVpnConnections", "UnauthorizedOperation");

        invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-sns.json"));

        assertEquals(List.of(), sandbox.calls("ec2", "ReplaceVpnTunnel"), "nothing is replaced blind");
        Message message = channel.messages().get(0);
        assertEquals(Severity.WARNING, message.severity());
        assertTrue(VpnFixtures.field(message, "VPN").contains("DescribeVpnConnections failed: UnauthorizedOperation"),
                VpnFixtures.field(message, "VPN"));
    }

    @Test
    void aFaultWhileAssessingStillSendsTheAlarm() throws IOException {
        TunnelTelemetrySource broken = (vpnIds, deadline) -> {
            throw new IllegalStateException("bug in the read");
        };
        Responder refuses = (response, deadline) -> {
            if (!(response instanceof Response.NotRun)) {
                throw new AssertionError("nothing may run: " + response);
            }
            return ResponseResult.done(response);
        };
        VpnAlarmFunction function = new VpnAlarmFunction(new VpnAlarmParts(broken, refuses, new Notifier(List.of(channel)),
                VpnFixtures.usualConfig(), Clock.fixed(NOW, ZoneOffset.UTC), null));

        invoke(function, event("vpn-alarm-sns.json"));

        Message message = channel.messages().get(0);
        assertEquals(Severity.WARNING, message.severity());
        assertEquals("alarm/tidewatch-vpn-tunnel-down", message.key());
        assertTrue(VpnFixtures.field(message, "Tidewatch").contains("IllegalStateException: bug in the read"));
    }

    @Test
    void keepaliveAlarmLooksUpTheConfiguredVpn() throws IOException {
        invoke(function(World.empty().addVpnConnection(degradedVpn()), VpnFixtures.usualConfig()),
                event("keepalive-alarm-lambda-action.json"));

        // CreateTags: the keepalive's alarm kept on the VPN for the ECS function (KeepaliveUnreachableTagTest).
        assertEquals(List.of("CreateTags", "DescribeVpnConnections", "Invoke"), operations());
        assertEquals(List.of(Map.of("Name", "vpn-connection-id", "Value", List.of(VPN))),
                only("ec2", "DescribeVpnConnections").get("Filter"));
        assertEquals("vpn/" + VPN + "/tidewatch-keepalive-no-reachable-targets", channel.messages().get(0).key());
    }

    @Test
    void aKeepaliveAlarmWithBothTunnelsUpIsCriticalAndStillBursts() throws IOException {
        World world = World.empty().addVpnConnection(
                vpnConnection("UP", "2024-05-01T09:31:00Z", "UP", "2024-04-29T14:03:10Z"));

        JsonObject output = invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")),
                event("keepalive-alarm-lambda-action.json"));

        assertEquals(List.of("CreateTags", "DescribeVpnConnections", "Invoke"), operations(), "the burst gives fresh data");
        assertTrue(output.objects("results").get(0).string("keepaliveTag").startsWith("set 2024-05-01T10:19:05.330Z"), output.toString());
        assertEquals(Map.of("burst", 3), only("lambda", "Invoke").get("Payload"));
        Message message = channel.messages().get(0);
        assertEquals(Severity.CRITICAL, message.severity());
        assertEquals("Datacenter unreachable although the VPN tunnels are UP", message.title());
        assertEquals("keepalive burst of 3 rounds requested", VpnFixtures.field(message, "Automatic response"));
        assertEquals("critical", output.objects("results").get(0).string("severity"));
    }

    @Test
    void aTunnelAlarmWithBothTunnelsUpIsStaleAndSendsNoBurst() throws IOException {
        World world = World.empty().addVpnConnection(
                vpnConnection("UP", "2024-05-01T09:31:00Z", "UP", "2024-04-29T14:03:10Z"));

        invoke(function(world, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true")), event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections"), operations());
        assertEquals(Severity.INFO, channel.messages().get(0).severity());
    }

    @Test
    void anEmptyVpnListNotifiesWithTheTunnelsButActsOnNothing() throws IOException {
        VpnAlarmSettings empty = VpnFixtures.config("KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive",
                "ENABLE_TUNNEL_REPLACEMENT", "true");

        JsonObject output = invoke(function(World.empty().addVpnConnection(degradedVpn()), empty), event("vpn-alarm-sns.json"));

        assertEquals(List.of("DescribeVpnConnections"), operations(), "no burst, no tag, no replacement");
        Message message = channel.messages().get(0);
        assertEquals(Severity.WARNING, message.severity());
        assertEquals("VPN degraded: traffic still flows over tunnel " + TUNNEL_B, message.title());
        assertEquals("none: VPN_CONNECTION_IDS is empty, so Tidewatch takes no automatic action",
                VpnFixtures.field(message, "Automatic response"));
        assertEquals(List.of("none"), output.objects("results").get(0).objects("actions").stream()
                .map(a -> a.string("action")).toList());
    }

    // ---- the scheduled tunnel check -----------------------------------------------------------------------------

    @Test
    void theScheduledCheckReplacesATunnelDownPastTheThresholdOnceInTheCooldown() throws IOException {
        AwsClients clients = aws(World.load(ONE_TUNNEL_DOWN));
        VpnAlarmSettings config = VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");
        String scheduled = event("vpn-tunnel-check-scheduled.json");

        JsonObject first = invoke(function(clients, config, Clock.fixed(CHECK_TIME, ZoneOffset.UTC)), scheduled);

        assertEquals(List.of("DescribeVpnConnections", "CreateTags", "ReplaceVpnTunnel"), operations(),
                "no keepalive burst on a schedule");
        assertEquals(List.of(Map.of("Key", "tidewatch:replaced:203.0.113.10", "Value", CHECK_TIME.toString())),
                only("ec2", "CreateTags").get("Tag"));
        assertEquals(Map.of("VpnConnectionId", VPN, "VpnTunnelOutsideIpAddress", "203.0.113.10"),
                only("ec2", "ReplaceVpnTunnel"));
        assertEquals(1, channel.messages().size());
        Message message = channel.messages().get(0);
        assertEquals(Severity.WARNING, message.severity());
        assertEquals("VPN tunnel 203.0.113.10 replaced after staying down", message.title());
        assertEquals("vpn/" + VPN + "/tunnel-check", message.key());
        assertEquals("tunnel 203.0.113.10 replacement: requested (down 45 min)", VpnFixtures.field(message, "Automatic response"));
        assertTrue(VpnFixtures.field(message, "Tunnel 203.0.113.10").startsWith("DOWN since 2026-11-24T08:55:00Z (45 min ago)"),
                VpnFixtures.field(message, "Tunnel 203.0.113.10"));
        JsonObject result = first.objects("results").get(0);
        assertEquals(List.of("done"), result.objects("actions").stream().map(a -> a.string("outcome")).toList());
        assertNull(result.string("alarm"), "a schedule is not an alarm");

        // Five minutes later the tunnel is still DOWN (a replacement takes minutes), but CreateTags left the
        // cooldown tag on the connection in the world, and the next read sees it.
        JsonObject second = invoke(function(clients, config, Clock.fixed(CHECK_TIME.plus(Duration.ofMinutes(5)),
                ZoneOffset.UTC)), scheduled);

        assertEquals(List.of("DescribeVpnConnections", "CreateTags", "ReplaceVpnTunnel", "DescribeVpnConnections"),
                operations());
        assertEquals(1, channel.messages().size(), "nothing new to tell");
        JsonObject skipped = second.objects("results").get(0);
        assertEquals("tunnel check", skipped.string("skipped"));
        assertTrue(skipped.string("reason").contains("replaced 5 min ago (at 2026-11-24T09:40:00Z)"),
                skipped.string("reason"));
    }

    @Test
    void theScheduledCheckDoesNothingAtAllWhileReplacementIsOff() throws IOException {
        AwsClients clients = aws(World.load(ONE_TUNNEL_DOWN));

        JsonObject output = invoke(function(clients, VpnFixtures.usualConfig(), Clock.fixed(CHECK_TIME, ZoneOffset.UTC)),
                event("vpn-tunnel-check-scheduled.json"));

        assertEquals(List.of(), sandbox.calls(), "not even a read");
        assertEquals(List.of(), channel.messages());
        JsonObject skipped = output.objects("results").get(0);
        assertEquals("tunnel check", skipped.string("skipped"));
        assertTrue(skipped.string("reason").contains("ENABLE_TUNNEL_REPLACEMENT=false"), skipped.string("reason"));
    }

    @Test
    void theScheduledCheckNeverReplacesTheLastTunnel() throws IOException {
        AwsClients clients = aws(World.load(BOTH_TUNNELS_DOWN));

        JsonObject output = invoke(function(clients, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"),
                Clock.fixed(CHECK_TIME, ZoneOffset.UTC)), event("vpn-tunnel-check-scheduled.json"));

        assertEquals(List.of("DescribeVpnConnections"), operations());
        assertEquals(List.of(), channel.messages(), "the TunnelState alarm already told people");
        assertEquals("tunnel check", output.objects("results").get(0).string("skipped"));
    }

    @Test
    void aRefusedCooldownTagOnTheScheduleStopsTheReplacementAndSaysSo() throws IOException {
        AwsClients clients = aws(World.load(ONE_TUNNEL_DOWN).fault("ec2.CreateTags", "UnauthorizedOperation"));

        JsonObject output = invoke(function(clients, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"),
                Clock.fixed(CHECK_TIME, ZoneOffset.UTC)), event("vpn-tunnel-check-scheduled.json"));

        assertEquals(List.of("DescribeVpnConnections", "CreateTags"), operations());
        String responses = VpnFixtures.field(channel.messages().get(0), "Automatic response");
        assertTrue(responses.startsWith("tunnel 203.0.113.10 replacement: not attempted, the cooldown tag could not be "
                + "written (UnauthorizedOperation: "), responses);
        assertEquals(List.of("failed"), output.objects("results").get(0).objects("actions").stream()
                .map(a -> a.string("outcome")).toList());
    }
}

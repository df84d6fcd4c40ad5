package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.event;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;
import tidewatch.notify.RetryPolicy;
import tidewatch.notify.Severity;
import tidewatch.notify.SlackChannel;
import tidewatch.notify.SlackWebhook;
import tidewatch.notify.SnsChannel;

/**
 * Malformed tunnel telemetry end to end: worlds whose VgwTelemetry lists an outside IP twice or far more entries than
 * a connection's two tunnels, the real SDK clients against the sandbox, and the calls it recorded. Nothing may be
 * replaced, repaired or tagged on such a connection; a sane one still is, once.
 */
class TelemetrySanityFunctionTest {
    private static final String VPN = "vpn-0a1b2c3d4e5f67890";
    private static final String A = "203.0.113.10";
    private static final String B = "203.0.113.20";
    /** Tunnel A DOWN since 08:55, B UP; no tunnel options. */
    private static final Path ONE_DOWN = Path.of("events/worlds/vpn-one-tunnel-down.json");
    /** The same with default options (startup action add, DPD timeout action clear), a public gateway, A's log. */
    private static final Path ONE_DOWN_DEFAULT_OPTIONS = Path.of("events/worlds/vpn-one-tunnel-down-default-options.json");
    /** 45 minutes after tunnel A went down: past the 30-minute replacement threshold. */
    private static final Instant NOW = Instant.parse("2026-11-24T09:40:00Z");
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:tidewatch-notifications";
    private static final String[] REPLACING = {"VPN_CONNECTION_IDS", VPN, "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive",
            "ENABLE_TUNNEL_REPLACEMENT", "true"};
    private static final String[] REPAIRING = {"VPN_CONNECTION_IDS", VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true"};

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    /** JUnit makes a new instance per test, so each test has its own channel. */
    private final RecordingChannel channel = new RecordingChannel("test", false);
    private Sandbox sandbox;

    // ---- worlds -------------------------------------------------------------------------------------------------

    private static Map<String, Object> entry(String ip, String status, String since) {
        boolean up = "UP".equals(status);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("OutsideIpAddress", ip);
        entry.put("Status", status);
        entry.put("StatusMessage", up ? "2 BGP ROUTES" : "IPSEC IS DOWN");
        entry.put("LastStatusChange", since);
        entry.put("AcceptedRouteCount", up ? 2 : 0);
        return entry;
    }

    private static Map<String, Object> downA() {
        return entry(A, "DOWN", "2026-11-24T08:55:00Z");
    }

    private static Map<String, Object> upA() {
        return entry(A, "UP", "2026-11-20T14:02:11Z");
    }

    private static Map<String, Object> upB() {
        return entry(B, "UP", "2026-11-20T14:02:11Z");
    }

    /** A sample world whose connection reports these VgwTelemetry entries instead of its own. */
    private static World withTelemetry(Path sample, List<Map<String, Object>> entries) {
        World world = World.load(sample);
        world.vpnConnections().get(0).put("VgwTelemetry", entries);
        return world;
    }

    /**
     * 500 DOWN entries with distinct outside IPs, each with default options and its log on (as repair and the log
     * read would want), beside tunnel B UP: what the old code answered with 500 tags and 500 replacements.
     */
    private static World fiveHundredDown() {
        World world = World.load(ONE_DOWN_DEFAULT_OPTIONS);
        Map<String, Object> connection = world.vpnConnections().get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> options = (Map<String, Object>) connection.get("Options");
        @SuppressWarnings("unchecked")
        Map<String, Object> template = ((List<Map<String, Object>>) options.get("TunnelOptions")).get(0);
        List<Map<String, Object>> entries = new ArrayList<>();
        List<Map<String, Object>> tunnelOptions = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String ip = "198.18." + (i / 250) + "." + (i % 250 + 1);
            entries.add(entry(ip, "DOWN", "2026-11-24T08:55:00Z"));
            Map<String, Object> option = new LinkedHashMap<>(template);
            option.put("OutsideIpAddress", ip);
            tunnelOptions.add(option);
        }
        entries.add(upB());
        options.put("TunnelOptions", tunnelOptions);
        connection.put("VgwTelemetry", entries);
        return world;
    }

    // ---- running the handler ------------------------------------------------------------------------------------

    private JsonObject invoke(World world, String event, String[] settings) throws Exception {
        sandbox = sandboxes.start(world.function("tidewatch-keepalive"));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        return invoke(new VpnAlarmParts(new Ec2TunnelTelemetry(aws.ec2(), aws::logs), new AwsResponder(aws.ec2(), aws.lambda()),
                new Notifier(List.of(channel)), VpnFixtures.config(settings), Clock.fixed(NOW, ZoneOffset.UTC), aws), event);
    }

    private static JsonObject invoke(VpnAlarmParts parts, String payload) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new VpnAlarmFunction(parts).handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    private int count(String service, String operation) {
        return sandbox.calls(service, operation).size();
    }

    private Message message() {
        assertEquals(1, channel.messages().size(), "one message: " + channel.messages());
        return channel.messages().get(0);
    }

    // ---- tunnel replacement -------------------------------------------------------------------------------------

    @Test
    void theSameIpReportedDownAndUpIsNeverReplaced() throws Exception {
        invoke(withTelemetry(ONE_DOWN, List.of(downA(), upA())), event("vpn-alarm-sns.json"), REPLACING);

        assertEquals(0, count("ec2", "ReplaceVpnTunnel"), "A is reported UP: it may be the only tunnel up");
        assertEquals(0, count("ec2", "CreateTags"));
        assertEquals(List.of("DescribeVpnConnections", "Invoke"), sandbox.calls().stream().map(Sandbox.Call::operation).toList(),
                "only the read and the harmless burst");
        Message message = message();
        String problem = "telemetry of " + VPN + " inconsistent (2 entries, duplicate IP " + A + ")";
        assertEquals(Severity.WARNING, message.severity(), "an entry reports A UP: not claimed down");
        assertEquals("VPN telemetry inconsistent: tunnel state of " + VPN + " uncertain", message.title());
        assertEquals(problem + "; reported UP by an entry: " + A + "; reported UP by none: none",
                VpnFixtures.field(message, "Telemetry"));
        assertTrue(message.summary().contains("replaces and repairs nothing on " + VPN), message.summary());
        assertTrue(!message.summary().contains("Traffic still flows over tunnel"), "no degraded claim: " + message.summary());
        assertEquals("keepalive burst of 3 rounds requested; tunnel replacement: skipped, " + problem,
                VpnFixtures.field(message, "Automatic response"));
    }

    @Test
    void fiveHundredDownEntriesReplaceRepairAndTagNothingAndFitOneSlackMessage() throws Exception {
        String[] both = {"VPN_CONNECTION_IDS", VPN, "ENABLE_TUNNEL_REPLACEMENT", "true", "ENABLE_TUNNEL_OPTIONS_REPAIR", "true",
                "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive"};
        sandbox = sandboxes.start(fiveHundredDown().parameter("/tidewatch/slack-webhook-url").topic(TOPIC).function("tidewatch-keepalive"));
        AwsClients clients = sandbox.clients(Duration.ofSeconds(2));
        Notifier notifier = new Notifier(List.of(new SlackChannel(new SlackWebhook("/tidewatch/slack-webhook-url", null,
                clients.ssm()), Duration.ofSeconds(2), RetryPolicy.DEFAULT, d -> { }), new SnsChannel(clients.sns(), TOPIC)));

        JsonObject output = invoke(new VpnAlarmParts(new Ec2TunnelTelemetry(clients.ec2(), clients::logs),
                new AwsResponder(clients.ec2(), clients.lambda()), notifier, VpnFixtures.config(both),
                Clock.fixed(NOW, ZoneOffset.UTC), clients), event("vpn-alarm-eventbridge.json"));

        assertEquals(0, count("ec2", "ReplaceVpnTunnel"));
        assertEquals(0, count("ec2", "CreateTags"));
        assertEquals(0, count("ec2", "ModifyVpnTunnelOptions"));
        assertEquals(0, count("ec2", "DescribeCustomerGateways"));
        assertEquals(0, count("logs", "FilterLogEvents"), "no log read per suspect entry");
        assertEquals(1, count("ec2", "DescribeVpnConnections"));
        assertEquals(1, count("sns", "Publish"));
        List<Sandbox.Call> posts = sandbox.calls("slack", "post");
        assertEquals(1, posts.size(), "one message");
        assertTrue(posts.get(0).params().get("blocks") instanceof List<?> blocks && blocks.size() < 50,
                "Slack takes at most 50 blocks: " + posts.get(0).params().get("blocks"));
        String text = String.valueOf(posts.get(0).params());
        assertTrue(text.contains("telemetry of " + VPN + " inconsistent (501 entries for the 2 tunnels of a connection)"), text);
        JsonObject result = output.objects("results").get(0);
        assertEquals("warning", result.string("severity"));
        assertTrue(result.objects("actions").stream().noneMatch(a -> "done".equals(a.string("outcome"))
                && !"keepalive-burst".equals(a.string("action"))), result.toString());
    }

    @Test
    void aSaneDegradedConnectionIsStillReplacedExactlyOnce() throws Exception {
        invoke(World.load(ONE_DOWN), event("vpn-alarm-sns.json"), REPLACING);

        assertEquals(1, count("ec2", "CreateTags"));
        List<Sandbox.Call> replaced = sandbox.calls("ec2", "ReplaceVpnTunnel");
        assertEquals(1, replaced.size());
        assertEquals(Map.of("VpnConnectionId", VPN, "VpnTunnelOutsideIpAddress", A), replaced.get(0).params());
        assertEquals("keepalive burst of 3 rounds requested; tunnel " + A + " replacement: requested (down 45 min)",
                VpnFixtures.field(message(), "Automatic response"));
    }

    /** Two copies of the SNS alarm in one payload, each read answered as the first read was (the tag not seen yet). */
    private JsonObject twoAlarmsOnAStaleRead(World world, String[] settings) throws Exception {
        sandbox = sandboxes.start(world.function("tidewatch-keepalive"));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        Ec2TunnelTelemetry ec2 = new Ec2TunnelTelemetry(aws.ec2(), aws::logs);
        VpnAlarmSettings config = VpnFixtures.config(settings);
        InvocationDeadline unbounded = InvocationDeadline.unbounded();
        Map<String, VpnTelemetry> first = ec2.withEvidence(ec2.read(List.of(VPN), unbounded), config, unbounded);
        TunnelTelemetrySource stale = (vpnIds, deadline) -> first;
        Map<String, Object> record = Json.parseObject(event("vpn-alarm-sns.json"), "event").objects("Records").get(0).asMap();
        String twoRecords = "{\"Records\":[" + Json.write(record) + "," + Json.write(record) + "]}";
        return invoke(new VpnAlarmParts(stale, new AwsResponder(aws.ec2(), aws.lambda()), new Notifier(List.of(channel)),
                config, Clock.fixed(NOW, ZoneOffset.UTC), aws), twoRecords);
    }

    @Test
    void twoAlarmsInOneInvocationReplaceTheConnectionOnceEvenWhenTheSecondReadMissesTheTag() throws Exception {
        JsonObject output = twoAlarmsOnAStaleRead(World.load(ONE_DOWN), REPLACING);

        assertEquals(1, count("ec2", "ReplaceVpnTunnel"), "one replacement per connection per invocation");
        assertEquals(1, count("ec2", "CreateTags"));
        assertEquals(2, channel.messages().size());
        String second = VpnFixtures.field(channel.messages().get(1), "Automatic response");
        assertTrue(second.contains("tunnel " + A + " replacement: skipped, tunnel " + A + " of " + VPN + " is replaced in "
                + "this invocation (at most one replacement per connection)"), second);
        assertEquals(List.of("done", "skipped"), output.objects("results").stream()
                .map(r -> r.objects("actions").get(1).string("outcome")).toList());
    }

    // ---- options repair -----------------------------------------------------------------------------------------

    @Test
    void theSameIpReportedDownAndUpIsNeverRepaired() throws Exception {
        invoke(withTelemetry(ONE_DOWN_DEFAULT_OPTIONS, List.of(downA(), upA(), upB())), event("vpn-alarm-eventbridge.json"),
                REPAIRING);

        assertEquals(0, count("ec2", "ModifyVpnTunnelOptions"), "A is reported UP: an UP tunnel is never modified");
        assertEquals(0, count("ec2", "CreateTags"));
        assertEquals(0, count("ec2", "DescribeCustomerGateways"));
        assertEquals(0, count("logs", "FilterLogEvents"));
        Message message = message();
        String problem = "telemetry of " + VPN + " inconsistent (3 entries, duplicate IP " + A + ")";
        assertTrue(VpnFixtures.field(message, "Telemetry").startsWith(problem), VpnFixtures.field(message, "Telemetry"));
        assertTrue(VpnFixtures.field(message, "Automatic response").contains("tunnel options repair: skipped, " + problem),
                VpnFixtures.field(message, "Automatic response"));
        assertTrue(!message.summary().contains("modify-vpn-tunnel-options"), "no advice built on it: " + message.summary());
    }

    @Test
    void aSaneConnectionIsStillRepairedExactlyOnce() throws Exception {
        invoke(World.load(ONE_DOWN_DEFAULT_OPTIONS), event("vpn-alarm-eventbridge.json"), REPAIRING);

        List<Sandbox.Call> modified = sandbox.calls("ec2", "ModifyVpnTunnelOptions");
        assertEquals(1, modified.size());
        assertEquals(A, modified.get(0).params().get("VpnTunnelOutsideIpAddress"));
        assertEquals(1, count("ec2", "CreateTags"), "the repair's cooldown tag");
        assertTrue(VpnFixtures.field(message(), "Automatic response").contains("tunnel " + A + " options repair"));
    }

    @Test
    void twoAlarmsInOneInvocationRepairATunnelOnce() throws Exception {
        twoAlarmsOnAStaleRead(World.load(ONE_DOWN_DEFAULT_OPTIONS), REPAIRING);

        assertEquals(1, count("ec2", "ModifyVpnTunnelOptions"), "one repair per tunnel per invocation");
        String second = VpnFixtures.field(channel.messages().get(1), "Automatic response");
        assertTrue(second.contains("tunnel " + A + " options repair: skipped, already repaired in this invocation (at "
                + "most one repair per tunnel)"), second);
    }

    // ---- the scheduled tunnel check -----------------------------------------------------------------------------

    @Test
    void theTunnelCheckActsOnNothingAndTagsNothingOnInconsistentTelemetry() throws Exception {
        String[] both = {"VPN_CONNECTION_IDS", VPN, "ENABLE_TUNNEL_REPLACEMENT", "true", "ENABLE_TUNNEL_OPTIONS_REPAIR", "true"};
        JsonObject output = invoke(withTelemetry(ONE_DOWN_DEFAULT_OPTIONS, List.of(downA(), upA(), upB())),
                event("vpn-tunnel-check-scheduled.json"), both);

        assertEquals(List.of("DescribeVpnConnections"), sandbox.calls().stream().map(Sandbox.Call::operation).toList(),
                "no replacement, no repair, no posture tag");
        assertEquals(List.of(), channel.messages());
        JsonObject skipped = output.objects("results").get(0);
        assertEquals("tunnel check", skipped.string("skipped"));
        assertEquals(VPN + ": nothing replaced or repaired, telemetry of " + VPN + " inconsistent (3 entries, duplicate IP "
                + A + ")", skipped.string("reason"));
    }
}

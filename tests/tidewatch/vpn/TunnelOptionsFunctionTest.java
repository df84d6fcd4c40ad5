package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;

/**
 * Tunnel options end to end: the sample worlds with options, customer gateways and tunnel logs, the real SDK
 * clients against the sandbox, messages caught by a test channel.
 */
class TunnelOptionsFunctionTest {
    private static final String ONE_DOWN_VPN = "vpn-0a1b2c3d4e5f67890";
    private static final String BOTH_DOWN_VPN = "vpn-4f1c0a9e";
    private static final Path ONE_DOWN = Path.of("events/worlds/vpn-one-tunnel-down-default-options.json");
    private static final Path BOTH_DOWN = Path.of("events/worlds/vpn-both-tunnels-down-default-options.json");
    private static final Path START_RESTART = Path.of("events/worlds/vpn-both-tunnels-down-start-restart.json");
    /** 45 minutes after the sample worlds' tunnels went down. */
    private static final Instant NOW = Instant.parse("2026-11-24T09:40:00Z");

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;
    private World world;
    private RecordingChannel channel;

    @BeforeEach
    void start() {
        channel = new RecordingChannel("test", false);
    }

    private Message alarm(World world, String event, String... settings) throws Exception {
        run(world, event, settings);
        assertEquals(1, channel.messages().size(), "one message: " + channel.messages());
        return channel.messages().get(0);
    }

    private String run(World start, String event, String... settings) throws Exception {
        if (sandbox == null) {
            world = start;
            sandbox = sandboxes.start(start);
        }
        VpnAlarmFunction function = new VpnAlarmFunction(VpnAlarmParts.of(sandbox.clients(Duration.ofSeconds(2)),
                new Notifier(List.of(channel)), VpnFixtures.config(settings), Clock.fixed(NOW, ZoneOffset.UTC)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event(event).getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String text(Message message) {
        return message.summary() + "\n" + message.fields();
    }

    @Test
    void aTunnelThatWaitsForTheDatacenterIsSaidSoWithTheRunbookAndItsLog() throws Exception {
        Message message = alarm(World.load(ONE_DOWN), "vpn-alarm-eventbridge.json",
                "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive");

        assertTrue(VpnFixtures.field(message, "Who brings back 203.0.113.10").startsWith("only the datacenter's device"));
        String summary = message.summary();
        assertTrue(summary.contains("Ask the datacenter NOC to start IKE on their device towards 203.0.113.10"), summary);
        assertTrue(summary.contains("aws ec2 modify-vpn-tunnel-options --vpn-connection-id " + ONE_DOWN_VPN
                + " --vpn-tunnel-outside-ip-address 203.0.113.10 --tunnel-options StartupAction=start,DPDTimeoutAction=restart"), summary);
        assertTrue(summary.contains("tunnel1_startup_action = \"start\", tunnel1_dpd_timeout_action = \"restart\""), summary);
        assertTrue(summary.contains("Modify VPN tunnel options"), summary);
        assertTrue(summary.contains("the keepalive burst (traffic from the VPC) cannot bring it back"), summary);
        for (String sentence : text(message).split("[.\\n;]")) {
            boolean claims = sentence.contains("burst") && (sentence.contains("revive") || sentence.contains("bring")
                    || sentence.contains("comes up")) && !sentence.contains("cannot");
            assertFalse(claims, "no claim that the burst revives the tunnel: " + sentence);
        }
        // The burst still runs, for fresh data; nothing is modified while repair is off, and people are told so.
        assertEquals(1, sandbox.calls("lambda", "Invoke").size());
        assertTrue(sandbox.calls("ec2", "ModifyVpnTunnelOptions").isEmpty());
        assertTrue(sandbox.calls("ec2", "DescribeCustomerGateways").isEmpty(), "no gateway read without a possible repair");
        assertTrue(VpnFixtures.field(message, "Automatic response").contains("options repair: off (ENABLE_TUNNEL_OPTIONS_REPAIR=false)"));

        Message.Evidence log = message.evidence();
        assertNotNull(log);
        assertTrue(log.title().contains("203.0.113.10") && log.title().contains("/aws/vpn/city-datacenter"), log.title());
        assertTrue(log.lines().get(log.lines().size() - 1).endsWith("IKE phase 1 Down, phase 2 Down: IPsec tunnel is down"), log.lines().toString());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("Peer is not responsive - Declaring peer dead")));
        Map<String, Object> read = sandbox.calls("logs", "FilterLogEvents").get(0).params();
        assertEquals(ONE_DOWN_VPN + "-203.0.113.10", read.get("logStreamNamePrefix"));
    }

    @Test
    void withRepairOnTheDownTunnelIsModifiedAndTheCooldownRemembered() throws Exception {
        Message message = alarm(World.load(ONE_DOWN), "vpn-alarm-eventbridge.json",
                "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        List<Sandbox.Call> modified = sandbox.calls("ec2", "ModifyVpnTunnelOptions");
        assertEquals(1, modified.size(), "only the DOWN tunnel, never the UP one");
        assertEquals("203.0.113.10", modified.get(0).params().get("VpnTunnelOutsideIpAddress"));
        assertEquals(Map.of("StartupAction", "start", "DPDTimeoutAction", "restart"), modified.get(0).params().get("TunnelOptions"));
        assertEquals(1, sandbox.calls("ec2", "DescribeCustomerGateways").size());
        String responses = VpnFixtures.field(message, "Automatic response");
        assertTrue(responses.contains("tunnel 203.0.113.10 options repair (startup action start, DPD timeout action restart): "
                + "requested; the tunnel is unavailable for some minutes while AWS applies it"), responses);
        assertTrue(tag(ONE_DOWN_VPN, "tidewatch:options-repaired:203.0.113.10") != null, "the cooldown is a tag on the connection");

        // The next alarm reads the new options: AWS brings the tunnel back, nothing more to modify.
        channel = new RecordingChannel("test", false);
        alarm(null, "vpn-alarm-eventbridge.json", "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");
        assertEquals(1, sandbox.calls("ec2", "ModifyVpnTunnelOptions").size());
        assertTrue(VpnFixtures.field(channel.messages().get(0), "Who brings back 203.0.113.10").startsWith("AWS brings it back itself"));
    }

    @Test
    void everyTunnelDownWithDefaultsIsRepairedTunnelByTunnel() throws Exception {
        Message message = alarm(World.load(BOTH_DOWN), "vpn-alarm-tunnelstate-vpnid-only.json",
                "VPN_CONNECTION_IDS", BOTH_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertEquals(List.of("198.51.100.7", "198.51.100.9"), sandbox.calls("ec2", "ModifyVpnTunnelOptions").stream()
                .map(c -> c.params().get("VpnTunnelOutsideIpAddress")).toList());
        assertTrue(message.summary().contains("tunnel1_startup_action") && message.summary().contains("tunnel2_startup_action"),
                message.summary());
        assertTrue(message.summary().contains("Tunnel 198.51.100.9 has no tunnel log (Site-to-Site VPN logging is off)"),
                "how to turn logging on: " + message.summary());
    }

    @Test
    void aRetryableRefusalIsToldAndLeavesTheCooldownFree() throws Exception {
        Message message = alarm(World.load(ONE_DOWN).fault("ec2.ModifyVpnTunnelOptions", "IncorrectState"),
                "vpn-alarm-eventbridge.json", "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertEquals(1, sandbox.calls("ec2", "ModifyVpnTunnelOptions").size(), "sent once, not retried");
        String responses = VpnFixtures.field(message, "Automatic response");
        assertTrue(responses.contains("options repair (startup action start, DPD timeout action restart): failed, refused, "
                + "IncorrectState") && responses.contains("the cooldown is not used"), responses);
        assertNull(tag(ONE_DOWN_VPN, "tidewatch:options-repaired:203.0.113.10"));
    }

    @Test
    void anUnauthorizedRefusalUsesTheCooldown() throws Exception {
        Message message = alarm(World.load(ONE_DOWN).fault("ec2.ModifyVpnTunnelOptions", "UnauthorizedOperation"),
                "vpn-alarm-eventbridge.json", "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertEquals(1, sandbox.calls("ec2", "ModifyVpnTunnelOptions").size());
        String responses = VpnFixtures.field(message, "Automatic response");
        assertTrue(responses.contains("refused, UnauthorizedOperation") && responses.contains("not retried before the cooldown ends"),
                responses);
        assertNotNull(tag(ONE_DOWN_VPN, "tidewatch:options-repaired:203.0.113.10"));
    }

    @Test
    void aGatewayWithoutAPublicIpIsNotRepairedAndPeopleAreToldWhy() throws Exception {
        World world = World.load(ONE_DOWN);
        world.vpnConnections().get(0).put("CustomerGatewayId", "cgw-07d3e6b1a9c2f4058");
        Message message = alarm(world, "vpn-alarm-eventbridge.json",
                "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertTrue(sandbox.calls("ec2", "ModifyVpnTunnelOptions").isEmpty());
        assertTrue(VpnFixtures.field(message, "Automatic response").contains("customer gateway cgw-07d3e6b1a9c2f4058 has no "
                + "public IP address (10.40.0.1): AWS can only start IKE towards a public address"));
    }

    @Test
    void aModifyingConnectionIsLeftAlone() throws Exception {
        World world = World.load(ONE_DOWN);
        world.vpnConnections().get(0).put("State", "modifying");
        Message message = alarm(world, "vpn-alarm-eventbridge.json",
                "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertTrue(sandbox.calls("ec2", "ModifyVpnTunnelOptions").isEmpty());
        assertTrue(VpnFixtures.field(message, "Automatic response").contains("the connection is modifying"));
    }

    @Test
    void repairAndReplacementNeverTouchTheSameTunnelInOneInvocation() throws Exception {
        Message message = alarm(World.load(ONE_DOWN), "vpn-alarm-eventbridge.json", "VPN_CONNECTION_IDS", ONE_DOWN_VPN,
                "ENABLE_TUNNEL_OPTIONS_REPAIR", "true", "ENABLE_TUNNEL_REPLACEMENT", "true");

        assertEquals(1, sandbox.calls("ec2", "ModifyVpnTunnelOptions").size());
        assertTrue(sandbox.calls("ec2", "ReplaceVpnTunnel").isEmpty());
        assertTrue(VpnFixtures.field(message, "Automatic response").contains("replacement: skipped, its options are repaired"));
    }

    @Test
    void tunnelsAwsBringsBackNeedNoNocAndNoRepair() throws Exception {
        Message message = alarm(World.load(START_RESTART), "vpn-alarm-tunnelstate-vpnid-only.json",
                "VPN_CONNECTION_IDS", BOTH_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertTrue(VpnFixtures.field(message, "Who brings back 198.51.100.7").startsWith("AWS brings it back itself"));
        assertFalse(message.summary().contains("waits for the datacenter"), message.summary());
        assertTrue(sandbox.calls("ec2", "ModifyVpnTunnelOptions").isEmpty());
        assertTrue(sandbox.calls("ec2", "DescribeCustomerGateways").isEmpty());
    }

    @Test
    void anUnlistedVpnIsReadAndJudgedButNotActedOn() throws Exception {
        Message message = alarm(World.load(BOTH_DOWN), "vpn-alarm-tunnelstate-vpnid-only.json",
                "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true", "KEEPALIVE_FUNCTION_NAME", "k");

        assertEquals(1, sandbox.calls("ec2", "DescribeVpnConnections").size());
        assertTrue(message.title().startsWith(VpnVerdict.TITLE_DOWN), message.title());
        assertTrue(VpnFixtures.field(message, "Who brings back 198.51.100.7").startsWith("only the datacenter's device"));
        assertEquals("none: " + BOTH_DOWN_VPN + " is not in VPN_CONNECTION_IDS (" + ONE_DOWN_VPN
                + "), so Tidewatch does not act on it", VpnFixtures.field(message, "Automatic response"));
        assertTrue(sandbox.calls("ec2", "ModifyVpnTunnelOptions").isEmpty());
        assertTrue(sandbox.calls("lambda", "Invoke").isEmpty());
    }

    @Test
    void missingOptionsAreUnknownAndNothingIsDone() throws Exception {
        Message message = alarm(World.load(Path.of("events/worlds/vpn-one-tunnel-down.json")), "vpn-alarm-eventbridge.json",
                "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertEquals("unknown: DescribeVpnConnections did not report this tunnel's options",
                VpnFixtures.field(message, "Who brings back 203.0.113.10"));
        assertTrue(sandbox.calls("ec2", "ModifyVpnTunnelOptions").isEmpty());
        assertTrue(VpnFixtures.field(message, "Automatic response").contains("its options are unknown"));
    }

    @Test
    void theTunnelCheckTellsThePostureOncePerChangeAndRepairs() throws Exception {
        run(World.load(ONE_DOWN), "vpn-tunnel-check-scheduled.json", "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");

        assertEquals(1, channel.messages().size());
        Message first = channel.messages().get(0);
        assertTrue(first.title().contains("options repaired"), first.title());
        assertTrue(first.summary().contains("tunnel 203.0.113.10 and 203.0.113.20 leaves recovery to the datacenter"), first.summary());
        assertEquals(1, sandbox.calls("ec2", "ModifyVpnTunnelOptions").size());
        assertEquals("datacenter:203.0.113.10+203.0.113.20", tag(ONE_DOWN_VPN, "tidewatch:recovery-posture"));

        // Ten minutes later: .10 now has start/restart, so the posture changed once more (only .20 waits).
        run(null, "vpn-tunnel-check-scheduled.json", "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");
        assertEquals(2, channel.messages().size());
        Message second = channel.messages().get(1);
        assertEquals(tidewatch.notify.Severity.INFO, second.severity());
        assertEquals("VPN recovery posture changed", second.title());
        assertEquals("datacenter:203.0.113.20", tag(ONE_DOWN_VPN, "tidewatch:recovery-posture"));
        assertEquals(1, sandbox.calls("ec2", "ModifyVpnTunnelOptions").size(), "the UP tunnel is never modified");

        // And then nothing: the same posture is not told again.
        String third = run(null, "vpn-tunnel-check-scheduled.json", "VPN_CONNECTION_IDS", ONE_DOWN_VPN, "ENABLE_TUNNEL_OPTIONS_REPAIR", "true");
        assertEquals(2, channel.messages().size(), third);
    }

    private String tag(String vpnId, String key) {
        for (Map<String, Object> connection : world.vpnConnections()) {
            if (vpnId.equals(connection.get("VpnConnectionId")) && connection.get("Tags") instanceof List<?> tags) {
                for (Object tag : tags) {
                    if (tag instanceof Map<?, ?> m && key.equals(m.get("Key"))) {
                        return String.valueOf(m.get("Value"));
                    }
                }
            }
        }
        return null;
    }
}

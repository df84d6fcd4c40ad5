package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.NOW;
import static tidewatch.vpn.VpnFixtures.TUNNEL_A;
import static tidewatch.vpn.VpnFixtures.TUNNEL_B;
import static tidewatch.vpn.VpnFixtures.VPN;
import static tidewatch.vpn.VpnFixtures.alarm;
import static tidewatch.vpn.VpnFixtures.down;
import static tidewatch.vpn.VpnFixtures.telemetry;
import static tidewatch.vpn.VpnFixtures.tunnelAlarm;
import static tidewatch.vpn.VpnFixtures.up;
import static tidewatch.vpn.VpnFixtures.usualConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;
import tidewatch.console.ConsoleLinks;

class VpnAlarmDecisionTest {
    private static final Duration MINUTES_47 = Duration.ofMinutes(47);

    private static VpnAlarmPlan.Notify notify(VpnAlarmPlan plan) {
        return assertInstanceOf(VpnAlarmPlan.Notify.class, plan);
    }

    private static <T extends Response> List<T> responses(VpnAlarmPlan.Notify plan, Class<T> type) {
        return plan.responses().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static String notRun(VpnAlarmPlan.Notify plan) {
        return String.join(" | ", responses(plan, Response.NotRun.class).stream().map(Response::describe).toList());
    }

    /** The message as sent when every response ran as planned. */
    private static Message sent(VpnAlarmPlan.Notify plan) {
        return plan.message(plan.responses().stream().map(ResponseResult::done).toList());
    }

    // ---- the same alarm, three shapes ----------------------------------------------------------------------

    @Test
    void theThreeShapesLeadToTheSameDecision() {
        VpnAlarmSettings config = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");
        Map<String, VpnTelemetry> read = telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(3)));

        VpnAlarmPlan fromSns = VpnAlarmDecision.decide(alarm("vpn-alarm-sns.json"), config, read, NOW);
        VpnAlarmPlan fromBridge = VpnAlarmDecision.decide(alarm("vpn-alarm-eventbridge.json"), config, read, NOW);
        VpnAlarmPlan fromAction = VpnAlarmDecision.decide(alarm("vpn-alarm-lambda-action.json"), config, read, NOW);

        assertEquals(fromBridge, fromSns);
        assertEquals(fromBridge, fromAction);
        VpnAlarmPlan.Notify plan = notify(fromBridge);
        assertEquals(Severity.WARNING, plan.severity());
        assertEquals("vpn/" + VPN + "/tidewatch-vpn-tunnel-down", plan.key());
        assertEquals(1, responses(plan, Response.KeepaliveBurst.class).size());
        assertEquals(1, responses(plan, Response.ReplaceTunnel.class).size());
    }

    @Test
    void allShapesReadTheSameVpn() {
        VpnAlarmSettings config = usualConfig();
        for (String file : List.of("vpn-alarm-sns.json", "vpn-alarm-eventbridge.json", "vpn-alarm-lambda-action.json")) {
            assertEquals(List.of(VPN), VpnAlarmDecision.vpnsToRead(alarm(file), config), file);
        }
    }

    // ---- ALARM, judged from the tunnels --------------------------------------------------------------------

    @Test
    void oneTunnelDownIsDegraded() {
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), usualConfig(),
                telemetry(down(TUNNEL_A, Duration.ofMinutes(12)), up(TUNNEL_B, Duration.ofDays(2))), NOW));

        assertEquals(Severity.WARNING, plan.severity());
        assertEquals("VPN degraded: traffic still flows over tunnel " + TUNNEL_B, plan.title());
        assertEquals(List.of(new Response.KeepaliveBurst("tidewatch-keepalive", 3)),
                responses(plan, Response.KeepaliveBurst.class));
        Message message = sent(plan);
        assertTrue(VpnFixtures.field(message, "Tunnel " + TUNNEL_A).startsWith("DOWN since 2024-05-01T10:06:00Z (12 min ago)"),
                VpnFixtures.field(message, "Tunnel " + TUNNEL_A));
        assertTrue(VpnFixtures.field(message, "Tunnel " + TUNNEL_A).contains("IPSEC IS DOWN"));
        assertTrue(VpnFixtures.field(message, "Tunnel " + TUNNEL_B).startsWith("UP since"));
        assertEquals(VPN + " (available)", VpnFixtures.field(message, "VPN"));
        assertEquals("OK -> ALARM at 2024-05-01T10:17:42Z", VpnFixtures.field(message, "State change"));
        assertEquals("keepalive burst of 3 rounds requested; tunnel replacement: off (ENABLE_TUNNEL_REPLACEMENT=false)",
                VpnFixtures.field(message, "Automatic response"));
        assertEquals("vpn-alarm", message.source());
    }

    @Test
    void bothTunnelsDownIsCriticalWithTheRunbook() {
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM),
                usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"),
                telemetry(down(TUNNEL_A, Duration.ofMinutes(50)), down(TUNNEL_B, Duration.ofMinutes(8))), NOW));

        assertEquals(Severity.CRITICAL, plan.severity());
        assertEquals("VPN down: the datacenter is unreachable", plan.title());
        String summary = plan.summary();
        assertTrue(summary.contains("NOC"), summary);
        assertTrue(summary.contains(VPN), summary);
        assertTrue(summary.contains(TUNNEL_A + " DOWN since 2024-05-01T09:28:00Z"), summary);
        assertTrue(summary.contains(TUNNEL_B + " DOWN since 2024-05-01T10:10:00Z"), summary);
        assertTrue(summary.contains("since 2024-05-01T10:10:00Z (8 min ago)"), "unreachable since the last went down: " + summary);
        // The burst still runs (traffic may bring a tunnel up); the last tunnel is never replaced.
        assertEquals(1, responses(plan, Response.KeepaliveBurst.class).size());
        assertTrue(responses(plan, Response.ReplaceTunnel.class).isEmpty());
        assertTrue(notRun(plan).contains("no tunnel of " + VPN + " is UP"), notRun(plan));
    }

    @Test
    void aKeepaliveAlarmWithEveryTunnelUpIsTheDatacenterUnreachableNotAStaleAlarm() {
        AlarmEvent keepalive = alarm("keepalive-alarm-lambda-action.json");
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(keepalive, usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"),
                telemetry(up(TUNNEL_A, Duration.ofMinutes(1)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.CRITICAL, plan.severity(), "unreachable from the VPC is as bad as VPN down for the apps");
        assertEquals("Datacenter unreachable although the VPN tunnels are UP", plan.title());
        String summary = plan.summary();
        assertTrue(summary.contains("every tunnel of " + VPN + " UP (" + TUNNEL_A + " and " + TUNNEL_B + ")"), summary);
        for (String check : List.of("keepalive's own log", "ReachableTargets", "UnreachableTargets", "routes",
                "datacenter CIDR", "security group", "datacenter hosts", "firewall", "missing data", "not running")) {
            assertTrue(summary.contains(check), check + " in: " + summary);
        }
        assertFalse(summary.contains("stale"), summary);
        // The burst still runs: it gives the keepalive's metric fresh data at once.
        assertEquals(List.of(new Response.KeepaliveBurst("tidewatch-keepalive", 3)),
                responses(plan, Response.KeepaliveBurst.class));
        assertTrue(responses(plan, Response.ReplaceTunnel.class).isEmpty());
        assertFalse(notRun(plan).contains("not needed"), notRun(plan));
        assertEquals("keepalive burst of 3 rounds requested", VpnFixtures.field(sent(plan), "Automatic response"));
    }

    @Test
    void aKeepaliveAlarmWithOneTunnelUpIsStillTheDatacenterUnreachable() {
        AlarmEvent keepalive = alarm("keepalive-alarm-lambda-action.json");
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(keepalive, usualConfig(),
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(1))), NOW));
        assertEquals(Severity.CRITICAL, plan.severity(), "traffic could flow over the UP tunnel, yet nothing answered");
        assertEquals("Datacenter unreachable although tunnel " + TUNNEL_B + " is UP", plan.title());
        assertTrue(plan.summary().contains("security group"), plan.summary());
        assertEquals(1, responses(plan, Response.KeepaliveBurst.class).size());
        VpnAlarmPlan.Notify unknown = notify(VpnAlarmDecision.decide(keepalive, usualConfig(),
                Map.of(VPN, new VpnTelemetry.Unavailable(VPN, "AccessDenied")), NOW));
        assertEquals(Severity.CRITICAL, unknown.severity());
        assertTrue(unknown.title().startsWith("Datacenter unreachable"), unknown.title());
    }

    @Test
    void theUnreachableTargetsMetricIsAKeepaliveAlarmToo() {
        AlarmEvent unreachable = VpnFixtures.alarmEvent("Tidewatch", "UnreachableTargets", Map.of(),
                AlarmState.OK, AlarmState.ALARM);
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(unreachable, usualConfig(),
                telemetry(up(TUNNEL_A, Duration.ofDays(1)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.CRITICAL, plan.severity());
        assertEquals(1, responses(plan, Response.KeepaliveBurst.class).size());
    }

    @Test
    void aKeepaliveAlarmOnMissingDataSaysTheKeepaliveReportedNothing() {
        AlarmEvent base = VpnFixtures.alarmEvent("Tidewatch", "ReachableTargets", Map.of(), AlarmState.OK, AlarmState.ALARM);
        AlarmEvent missing = new AlarmEvent(base.alarmName(), base.alarmArn(), base.region(), base.accountId(),
                base.newState(), base.oldState(), "Threshold Crossed: no datapoints were received for 3 periods and 3 "
                + "missing datapoints were treated as [Breaching].", base.stateChangeTime(), base.previousStateTime(),
                base.namespace(), base.metricName(), base.dimensions(), base.description(), base.alarmRule());
        VpnAlarmPlan.Notify withData = notify(VpnAlarmDecision.decide(base, usualConfig(),
                telemetry(up(TUNNEL_A, Duration.ofDays(1)), up(TUNNEL_B, Duration.ofDays(1))), NOW));
        VpnAlarmPlan.Notify withoutData = notify(VpnAlarmDecision.decide(missing, usualConfig(),
                telemetry(up(TUNNEL_A, Duration.ofDays(1)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.CRITICAL, withoutData.severity());
        assertTrue(withoutData.summary().contains("CloudWatch received no keepalive data"), withoutData.summary());
        assertFalse(withData.summary().contains("CloudWatch received no keepalive data"), withData.summary());
    }

    @Test
    void theOkOfAKeepaliveAlarmIsResolved() {
        AlarmEvent ok = VpnFixtures.alarmEvent("Tidewatch", "ReachableTargets", Map.of(), AlarmState.ALARM, AlarmState.OK);
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(ok, usualConfig(),
                telemetry(up(TUNNEL_A, Duration.ofDays(1)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.RESOLVED, plan.severity());
        assertTrue(plan.responses().isEmpty());
    }

    @Test
    void bothTunnelsUpMakesTheAlarmStale() {
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM),
                usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"),
                telemetry(up(TUNNEL_A, Duration.ofMinutes(1)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.INFO, plan.severity());
        assertTrue(plan.title().contains("stale"), plan.title());
        assertTrue(responses(plan, Response.KeepaliveBurst.class).isEmpty());
        assertTrue(responses(plan, Response.ReplaceTunnel.class).isEmpty());
        assertTrue(notRun(plan).contains("not needed"), notRun(plan));
    }

    @Test
    void unreadableTelemetryStillNotifiesAndStillBursts() {
        Map<String, VpnTelemetry> read = Map.of(VPN, new VpnTelemetry.Unavailable(VPN,
                "DescribeVpnConnections failed: UnauthorizedOperation: not allowed"));
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM),
                usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"), read, NOW));

        assertEquals(Severity.WARNING, plan.severity());
        assertTrue(VpnFixtures.field(sent(plan), "VPN").contains("UnauthorizedOperation"));
        assertEquals(1, responses(plan, Response.KeepaliveBurst.class).size());
        assertTrue(responses(plan, Response.ReplaceTunnel.class).isEmpty());
    }

    @Test
    void burstWithoutAFunctionNameIsReportedNotRun() {
        VpnAlarmSettings config = VpnFixtures.config("VPN_CONNECTION_IDS", VPN);
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), config,
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertTrue(responses(plan, Response.KeepaliveBurst.class).isEmpty());
        assertTrue(notRun(plan).contains("KEEPALIVE_FUNCTION_NAME is not set"), notRun(plan));
    }

    @Test
    void burstCanBeSwitchedOffAndSizedBySettings() {
        Map<String, VpnTelemetry> read = telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(1)));
        VpnAlarmPlan.Notify off = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM),
                usualConfig("ENABLE_KEEPALIVE_BURST", "false"), read, NOW));
        VpnAlarmPlan.Notify five = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM),
                usualConfig("KEEPALIVE_BURST_ROUNDS", "5"), read, NOW));

        assertTrue(responses(off, Response.KeepaliveBurst.class).isEmpty());
        assertTrue(notRun(off).contains("ENABLE_KEEPALIVE_BURST=false"), notRun(off));
        assertEquals(List.of(new Response.KeepaliveBurst("tidewatch-keepalive", 5)),
                responses(five, Response.KeepaliveBurst.class));
    }

    // ---- tunnel replacement ----------------------------------------------------------------------------------

    @Test
    void replacementIsOffByDefault() {
        VpnAlarmSettings config = usualConfig();
        assertFalse(config.tunnelReplacementEnabled());
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), config,
                telemetry(down(TUNNEL_A, Duration.ofHours(5)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertTrue(responses(plan, Response.ReplaceTunnel.class).isEmpty());
        assertTrue(notRun(plan).contains("tunnel replacement: off"), notRun(plan));
    }

    @Test
    void replacementWaitsForTheDownThreshold() {
        VpnAlarmSettings config = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");
        VpnAlarmPlan.Notify early = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), config,
                telemetry(down(TUNNEL_A, Duration.ofMinutes(12)), up(TUNNEL_B, Duration.ofDays(1))), NOW));
        VpnAlarmPlan.Notify late = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), config,
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertTrue(responses(early, Response.ReplaceTunnel.class).isEmpty());
        assertEquals("tunnel " + TUNNEL_A + " replacement: skipped, down 12 min < 30 min threshold", notRun(early));
        assertEquals(List.of(new Response.ReplaceTunnel(VPN, TUNNEL_A, MINUTES_47, "tidewatch:replaced:" + TUNNEL_A, NOW)),
                responses(late, Response.ReplaceTunnel.class));
        assertEquals("keepalive burst of 3 rounds requested; tunnel " + TUNNEL_A + " replacement: requested (down 47 min)",
                VpnFixtures.field(sent(late), "Automatic response"));
    }

    @Test
    void theLastTunnelUpIsNeverReplaced() {
        VpnAlarmSettings config = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true", "TUNNEL_DOWN_THRESHOLD", "1m");
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), config,
                telemetry(down(TUNNEL_A, Duration.ofHours(9)), down(TUNNEL_B, Duration.ofHours(8))), NOW));

        assertTrue(responses(plan, Response.ReplaceTunnel.class).isEmpty());
        assertTrue(notRun(plan).contains("the last tunnel up is never replaced"), notRun(plan));
    }

    @Test
    void okResolvesAndSaysHowLongTheAlarmLasted() {
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(alarm("vpn-alarm-ok-eventbridge.json"), usualConfig(),
                telemetry(up(TUNNEL_A, Duration.ofMinutes(5)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.RESOLVED, plan.severity());
        assertTrue(plan.responses().isEmpty());
        Message message = sent(plan);
        assertEquals("46 min (ALARM from 2024-05-01T10:17:42Z to 2024-05-01T11:04:12Z)", VpnFixtures.field(message, "Alarm lasted"));
        assertEquals("ALARM -> OK at 2024-05-01T11:04:12Z", VpnFixtures.field(message, "State change"));
        assertEquals("none", VpnFixtures.field(message, "Automatic response"));
        assertTrue(plan.summary().contains("every tunnel UP"), plan.summary());
        assertTrue(message.fields().stream().anyMatch(f -> f.name().equals("Tunnel " + TUNNEL_A)));
    }

    @Test
    void okThroughSnsHasNoDuration() {
        String okSns = VpnFixtures.event("vpn-alarm-sns.json")
                .replace("\\\"NewStateValue\\\":\\\"ALARM\\\"", "\\\"NewStateValue\\\":\\\"OK\\\"")
                .replace("\\\"OldStateValue\\\":\\\"OK\\\"", "\\\"OldStateValue\\\":\\\"ALARM\\\"");
        AlarmEvent event = ((ParsedEvent.Alarm) AlarmParser.parse(okSns).get(0)).event();
        assertEquals(AlarmState.OK, event.newState());

        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(event, usualConfig(),
                telemetry(down(TUNNEL_A, Duration.ofMinutes(5)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.RESOLVED, plan.severity());
        assertEquals("duration unknown", VpnFixtures.field(sent(plan), "Alarm lasted"));
        assertTrue(plan.summary().contains(TUNNEL_A + " still DOWN"), plan.summary());
    }

    @Test
    void insufficientDataIsInfoWithoutResponses() {
        AlarmEvent event = tunnelAlarm(AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA);
        assertEquals(List.of(VPN), VpnAlarmDecision.vpnsToRead(event, usualConfig()));
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(event, usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"),
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.INFO, plan.severity());
        assertTrue(plan.title().contains("stopped reporting"), plan.title());
        assertTrue(plan.responses().isEmpty());
    }

    @Test
    void insufficientDataIsToldOnlyOnce() {
        AlarmEvent repeat = tunnelAlarm(AlarmState.INSUFFICIENT_DATA, AlarmState.INSUFFICIENT_DATA);
        assertEquals(List.of(), VpnAlarmDecision.vpnsToRead(repeat, usualConfig()));
        assertInstanceOf(VpnAlarmPlan.Skip.class, VpnAlarmDecision.decide(repeat, usualConfig(), Map.of(), NOW));
        AlarmEvent otherRepeat = VpnFixtures.alarmEvent("AWS/EC2", "CPUUtilization", Map.of(),
                AlarmState.INSUFFICIENT_DATA, AlarmState.INSUFFICIENT_DATA);
        assertInstanceOf(VpnAlarmPlan.Skip.class, VpnAlarmDecision.decide(otherRepeat, usualConfig(), Map.of(), NOW));
    }

    // ---- which VPN -------------------------------------------------------------------------------------------

    @Test
    void aVpnOutsideTheConfiguredListIsNotifiedWithoutAction() {
        AlarmEvent event = VpnFixtures.alarmEvent("AWS/VPN", "TunnelState", Map.of("VpnId", "vpn-0fffffffffffffff0"),
                AlarmState.OK, AlarmState.ALARM);
        VpnAlarmSettings config = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");

        assertEquals(List.of("vpn-0fffffffffffffff0"), VpnAlarmDecision.vpnsToRead(event, config), "read and judged, not acted on");
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(event, config, Map.of(), NOW));

        assertEquals(Severity.WARNING, plan.severity());
        assertTrue(plan.responses().stream().allMatch(Response.NotRun.class::isInstance));
        assertTrue(notRun(plan).contains("vpn-0fffffffffffffff0 is not in VPN_CONNECTION_IDS (" + VPN + ")"), notRun(plan));
    }

    @Test
    void anEmptyListReadsTheVpnTheAlarmNamesButTakesNoAutomaticAction() {
        AlarmEvent event = tunnelAlarm(AlarmState.OK, AlarmState.ALARM);
        VpnAlarmSettings config = VpnFixtures.config("KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive",
                "ENABLE_TUNNEL_REPLACEMENT", "true", "TUNNEL_DOWN_THRESHOLD", "1m");
        assertEquals(List.of(VPN), VpnAlarmDecision.vpnsToRead(event, config), "reading the tunnels is harmless");

        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(event, config,
                telemetry(down(TUNNEL_A, Duration.ofHours(5)), up(TUNNEL_B, Duration.ofDays(1))), NOW));

        assertEquals(Severity.WARNING, plan.severity());
        assertEquals("VPN degraded: traffic still flows over tunnel " + TUNNEL_B, plan.title());
        assertEquals(List.of(new Response.NotRun("none: VPN_CONNECTION_IDS is empty, so Tidewatch takes no automatic action")),
                plan.responses());
        assertEquals("none: VPN_CONNECTION_IDS is empty, so Tidewatch takes no automatic action",
                VpnFixtures.field(sent(plan), "Automatic response"));
    }

    @Test
    void keepaliveAlarmsLookUpTheConfiguredVpns() {
        AlarmEvent keepalive = alarm("keepalive-alarm-lambda-action.json");
        assertEquals(List.of(VPN), VpnAlarmDecision.vpnsToRead(keepalive, usualConfig()));

        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(keepalive, usualConfig(),
                telemetry(down(TUNNEL_A, MINUTES_47), down(TUNNEL_B, MINUTES_47)), NOW));
        assertEquals(Severity.CRITICAL, plan.severity());
        assertEquals("vpn/" + VPN + "/tidewatch-keepalive-no-reachable-targets", plan.key());

        VpnAlarmSettings otherNamespace = usualConfig("METRICS_NAMESPACE", "Elsewhere");
        assertEquals(List.of(), VpnAlarmDecision.vpnsToRead(keepalive, otherNamespace));
    }

    @Test
    void keepaliveAlarmWithoutConfiguredVpnsIsGeneric() {
        AlarmEvent keepalive = alarm("keepalive-alarm-lambda-action.json");
        VpnAlarmSettings config = VpnFixtures.config("KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive");
        assertEquals(List.of(), VpnAlarmDecision.vpnsToRead(keepalive, config));
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(keepalive, config, Map.of(), NOW));
        assertEquals(Severity.WARNING, plan.severity());
        assertTrue(notRun(plan).contains("VPN_CONNECTION_IDS is empty, so Tidewatch takes no automatic action"), notRun(plan));
    }

    @Test
    void aKeepaliveAlarmOverTwoVpnsTakesTheWorst() {
        String other = "vpn-0123456789abcdef0";
        VpnAlarmSettings config = VpnFixtures.config("VPN_CONNECTION_IDS", VPN + "," + other,
                "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive", "ENABLE_TUNNEL_REPLACEMENT", "true");
        Map<String, VpnTelemetry> read = new java.util.LinkedHashMap<>(
                telemetry(up(TUNNEL_A, Duration.ofDays(1)), up(TUNNEL_B, Duration.ofDays(1))));
        read.put(other, new VpnTelemetry.Available(new VpnConnectionStatus(other, "available",
                List.of(down("198.51.100.1", MINUTES_47), up("198.51.100.2", Duration.ofDays(1))), Map.of())));

        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(alarm("keepalive-alarm-lambda-action.json"), config, read, NOW));

        // No datacenter host answered although every tunnel of the first VPN is UP: that is the worst.
        assertEquals(Severity.CRITICAL, plan.severity());
        assertEquals("Datacenter unreachable although the VPN tunnels are UP (" + VPN + ")", plan.title());
        assertTrue(plan.summary().contains("tunnel 198.51.100.1 is DOWN"), "each VPN is described: " + plan.summary());
        assertEquals(1, plan.summary().split("Check, in this order").length - 1, "the checks are listed once: " + plan.summary());
        assertEquals(1, responses(plan, Response.KeepaliveBurst.class).size(), "one burst for all VPNs");
        assertEquals(List.of("198.51.100.1"),
                responses(plan, Response.ReplaceTunnel.class).stream().map(Response.ReplaceTunnel::outsideIp).toList());
    }

    // ---- anything else ---------------------------------------------------------------------------------------

    @Test
    void anUnrelatedAlarmIsNotifiedGenerically() {
        AlarmEvent cpu = VpnFixtures.alarmEvent("AWS/EC2", "CPUUtilization", Map.of("InstanceId", "i-0123456789abcdef0"),
                AlarmState.OK, AlarmState.ALARM);
        VpnAlarmSettings config = usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true");

        assertEquals(List.of(), VpnAlarmDecision.vpnsToRead(cpu, config), "no EC2 read for an unrelated alarm");
        VpnAlarmPlan.Notify alarm = notify(VpnAlarmDecision.decide(cpu, config, Map.of(), NOW));
        assertEquals(Severity.WARNING, alarm.severity());
        assertTrue(alarm.responses().isEmpty());
        assertEquals("alarm/some-alarm", alarm.key());
        assertEquals("AWS/EC2 CPUUtilization (InstanceId=i-0123456789abcdef0)", VpnFixtures.field(sent(alarm), "Metric"));

        VpnAlarmPlan.Notify ok = notify(VpnAlarmDecision.decide(VpnFixtures.alarmEvent("AWS/EC2", "CPUUtilization", Map.of(),
                AlarmState.ALARM, AlarmState.OK), config, Map.of(), NOW));
        assertEquals(Severity.RESOLVED, ok.severity());
        assertTrue(VpnFixtures.field(sent(ok), "Alarm lasted").startsWith("20 min"));

        VpnAlarmPlan.Notify noData = notify(VpnAlarmDecision.decide(VpnFixtures.alarmEvent("AWS/EC2", "CPUUtilization", Map.of(),
                AlarmState.OK, AlarmState.INSUFFICIENT_DATA), config, Map.of(), NOW));
        assertEquals(Severity.INFO, noData.severity());
    }

    @Test
    void anUnparseablePayloadIsPassedOnAsRawText() {
        String raw = "{\"AlarmName\": \"half a message";
        ParsedEvent.Unrecognised unrecognised = (ParsedEvent.Unrecognised) AlarmParser.parse(raw).get(0);

        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.unrecognised(unrecognised));
        Message message = sent(plan);

        assertEquals("Unrecognised alarm", message.title());
        assertEquals(Severity.WARNING, message.severity());
        assertEquals(List.of(raw), message.evidence().lines());
        assertTrue(plan.responses().isEmpty());
        assertEquals("none", VpnFixtures.field(message, "Automatic response"));
    }

    @Test
    void linksPointAtTheAlarmAndTheVpn() {
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), usualConfig(),
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(1))), NOW));
        assertEquals(List.of(
                new Message.Link("CloudWatch alarm",
                        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/some-alarm"),
                new Message.Link("VPN connection",
                        "https://eu-west-1.console.aws.amazon.com/vpcconsole/home?region=eu-west-1#VpnConnectionDetails:VpnConnectionId=" + VPN)),
                plan.links());
        assertEquals("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/VPN%20down%20%2F%20dc%231",
                ConsoleLinks.alarm("eu-west-1", "VPN down / dc#1"));
    }

    @Test
    void failedResponsesAreReportedInTheMessage() {
        VpnAlarmPlan.Notify plan = notify(VpnAlarmDecision.decide(tunnelAlarm(AlarmState.OK, AlarmState.ALARM), usualConfig(),
                telemetry(down(TUNNEL_A, MINUTES_47), up(TUNNEL_B, Duration.ofDays(1))), NOW));
        List<ResponseResult> results = plan.responses().stream()
                .map(r -> r instanceof Response.KeepaliveBurst
                        ? ResponseResult.failed(r, "AccessDeniedException: not authorized to perform lambda:InvokeFunction")
                        : ResponseResult.done(r))
                .toList();
        assertEquals("keepalive burst of 3 rounds: failed, AccessDeniedException: not authorized to perform "
                        + "lambda:InvokeFunction; tunnel replacement: off (ENABLE_TUNNEL_REPLACEMENT=false)",
                VpnFixtures.field(plan.message(results), "Automatic response"));
    }
}

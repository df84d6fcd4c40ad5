package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;
import tidewatch.console.ConsoleLinks;

/**
 * The functional core: from an alarm state change, the function's settings, one read of the VPN connections and the
 * current time, what to tell people and which automatic responses to run. No SDK types, no I/O, no clock.
 */
public final class VpnAlarmDecision {
    static final String VPN_NAMESPACE = "AWS/VPN";
    static final String TUNNEL_STATE = "TunnelState";
    static final String VPN_ID_DIMENSION = "VpnId";
    static final Set<String> KEEPALIVE_METRICS = Set.of("ReachableTargets", "UnreachableTargets");
    public static final String REPLACED_TAG_PREFIX = "tidewatch:replaced:";

    static final String TITLE_DOWN = "VPN down: the datacenter is unreachable";
    static final String TITLE_DEGRADED = "VPN degraded: traffic still flows over tunnel ";
    static final String TITLE_UNREACHABLE = "Datacenter unreachable although the VPN tunnels are UP";
    static final String TITLE_UNREACHABLE_DEGRADED = "Datacenter unreachable although tunnel ";
    static final String TITLE_UNRECOGNISED = "Unrecognised alarm";
    static final String NO_VPNS_LISTED = "VPN_CONNECTION_IDS is empty, so Tidewatch takes no automatic action";

    private VpnAlarmDecision() {}

    /** Which VPN connections an alarm is about, as far as the event and the settings tell. */
    sealed interface Scope {
        /**
         * VPN connections to read and judge. {@code listed} is false when VPN_CONNECTION_IDS is empty: the tunnels
         * the alarm names are read (harmless, and people learn what they say) but nothing is acted on.
         */
        record Vpns(List<String> vpnIds, boolean listed) implements Scope {}

        /** A TunnelState alarm for a VPN that VPN_CONNECTION_IDS does not list. */
        record Unmanaged(String vpnId, List<String> configured) implements Scope {}

        /** A VPN or keepalive alarm that names no VPN, with no configured list to fall back on. */
        record VpnUnknown(String why) implements Scope {}

        record Other() implements Scope {}
    }

    static Scope scope(AlarmEvent event, VpnAlarmConfig config) {
        boolean tunnelAlarm = VPN_NAMESPACE.equals(event.namespace()) && TUNNEL_STATE.equals(event.metricName());
        String vpnId = event.dimension(VPN_ID_DIMENSION);
        if (tunnelAlarm && vpnId != null) {
            if (config.vpnConnectionIds().isEmpty()) {
                return new Scope.Vpns(List.of(vpnId), false);
            }
            return config.manages(vpnId) ? new Scope.Vpns(List.of(vpnId), true)
                    : new Scope.Unmanaged(vpnId, config.vpnConnectionIds());
        }
        if (tunnelAlarm || isKeepaliveAlarm(event, config)) {
            // The keepalive's metrics, and TunnelState summed over all VPNs, name no VPN: the settings do.
            return config.vpnConnectionIds().isEmpty()
                    ? new Scope.VpnUnknown(NO_VPNS_LISTED + " (and the alarm names no VPN connection to read)")
                    : new Scope.Vpns(config.vpnConnectionIds(), true);
        }
        return new Scope.Other();
    }

    /**
     * An alarm on the keepalive's reachability metrics: no datacenter target answered the probes (or the keepalive
     * did not report), whatever the tunnels say.
     */
    static boolean isKeepaliveAlarm(AlarmEvent event, VpnAlarmConfig config) {
        return config.metricsNamespace().equals(event.namespace()) && KEEPALIVE_METRICS.contains(event.metricName());
    }

    /** The VPN connections to read before deciding; empty when the decision needs no AWS state. */
    public static List<String> vpnsToRead(AlarmEvent event, VpnAlarmConfig config) {
        if (isRepeatedInsufficientData(event)) {
            return List.of();
        }
        return scope(event, config) instanceof Scope.Vpns vpns ? vpns.vpnIds() : List.of();
    }

    public static Plan decide(AlarmEvent event, VpnAlarmConfig config, Map<String, VpnTelemetry> telemetry,
                              Instant now) {
        if (isRepeatedInsufficientData(event)) {
            return new Plan.Skip(event.alarmName(),
                    "still INSUFFICIENT_DATA: people were told when the metric stopped reporting");
        }
        Scope scope = scope(event, config);
        if (scope instanceof Scope.Vpns vpns) {
            return vpnPlan(event, config, vpns, telemetry, now);
        }
        if (scope instanceof Scope.Unmanaged unmanaged) {
            return genericPlan(event, List.of(new Message.Field("VPN", unmanaged.vpnId())),
                    List.of(new Response.NotRun("none: " + unmanaged.vpnId() + " is not in VPN_CONNECTION_IDS ("
                            + String.join(", ", unmanaged.configured()) + "), so Tidewatch does not act on it")));
        }
        if (scope instanceof Scope.VpnUnknown unknown) {
            return genericPlan(event, List.of(new Message.Field("VPN", "unknown")),
                    List.of(new Response.NotRun("none: " + unknown.why())));
        }
        return genericPlan(event, List.of(), List.of());
    }

    /** The VPN connections the scheduled tunnel check reads: none while tunnel replacement is off. */
    public static List<String> vpnsToCheck(VpnAlarmConfig config) {
        return config.tunnelReplacementEnabled() ? config.vpnConnectionIds() : List.of();
    }

    /**
     * The scheduled tunnel check: replace each tunnel that the replacement rules allow now (down past the threshold
     * while another tunnel is UP, outside the cooldown), and stay quiet otherwise: the alarms already told people.
     */
    public static Plan tunnelCheck(VpnAlarmConfig config, Map<String, VpnTelemetry> telemetry, Instant now) {
        if (!config.tunnelReplacementEnabled()) {
            return new Plan.Skip("tunnel check", "tunnel replacement is off (ENABLE_TUNNEL_REPLACEMENT=false)");
        }
        if (config.vpnConnectionIds().isEmpty()) {
            return new Plan.Skip("tunnel check", NO_VPNS_LISTED);
        }
        List<Response> replacements = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        List<Message.Field> facts = new ArrayList<>();
        for (String vpnId : config.vpnConnectionIds()) {
            VpnTelemetry read = telemetry.getOrDefault(vpnId, new VpnTelemetry.Unavailable(vpnId, "not read"));
            Assessment assessment = new Assessment(read, TunnelHealth.of(read));
            if (read instanceof VpnTelemetry.Unavailable unavailable) {
                waiting.add(vpnId + ": telemetry unavailable, " + unavailable.problem());
            }
            if (!(assessment.health() instanceof TunnelHealth.Degraded degraded)) {
                continue;
            }
            VpnConnectionStatus status = ((VpnTelemetry.Available) read).status();
            for (TunnelTelemetry tunnel : degraded.down()) {
                Response response = replacement(status, tunnel, config, now);
                if (response instanceof Response.ReplaceTunnel) {
                    replacements.add(response);
                } else {
                    waiting.add(response.describe());
                }
            }
            facts.addAll(tunnelFacts(assessment, now));
        }
        if (replacements.isEmpty()) {
            return new Plan.Skip("tunnel check", waiting.isEmpty() ? "no tunnel is down while another is up"
                    : String.join("; ", waiting));
        }
        String tunnels = replacements.stream().map(r -> ((Response.ReplaceTunnel) r).outsideIp()).collect(Collectors.joining(" and "));
        return new Plan.Notify("VPN tunnel " + tunnels + " replaced after staying down", Severity.WARNING,
                "Tunnel " + tunnels + " stayed DOWN past " + Elapsed.describe(config.tunnelDownThreshold())
                        + " while another tunnel carried the traffic, so Tidewatch asked AWS to replace it "
                        + "(ReplaceVpnTunnel): AWS brings up a new endpoint for it, which takes some minutes.",
                facts, List.of(), List.of(), null,
                "vpn/" + String.join("+", config.vpnConnectionIds()) + "/tunnel-check", replacements);
    }

    /** A payload that is not a readable alarm goes to people as it came, with no infrastructure action. */
    public static Plan unrecognised(ParsedEvent.Unrecognised payload) {
        return new Plan.Notify(
                TITLE_UNRECOGNISED,
                Severity.WARNING,
                "Tidewatch received a payload it could not read as a CloudWatch alarm state change; it is passed on "
                        + "as received (at most " + ParsedEvent.RAW_TEXT_MAX + " characters). "
                        + "No automatic response was taken.",
                List.of(new Message.Field("Problem", payload.problem())),
                List.of(),
                List.of(),
                new Message.Evidence("Payload as received", payload.rawText().lines().toList()),
                "alarm/unrecognised",
                List.of());
    }

    /** When assessing an alarm failed unexpectedly, people still get the alarm itself. */
    public static Plan unassessed(AlarmEvent event, String error) {
        return genericPlan(event, List.of(new Message.Field("Tidewatch", "could not assess this alarm: " + error)),
                List.of(new Response.NotRun("none: the alarm could not be assessed")));
    }

    static boolean isRepeatedInsufficientData(AlarmEvent event) {
        return event.newState() == AlarmState.INSUFFICIENT_DATA && event.oldState() == AlarmState.INSUFFICIENT_DATA;
    }

    // ---- VPN alarms -------------------------------------------------------------------------------------------

    /** One VPN connection as read, and what its tunnels say. */
    private record Assessment(VpnTelemetry telemetry, TunnelHealth health) {
        String vpnId() {
            return telemetry.vpnId();
        }
    }

    /**
     * The ALARM verdict for one VPN connection. {@code advice} is what to check, shared by every VPN with the same
     * verdict, so the message lists it once after the VPNs; null when the summary says it all.
     */
    private record Verdict(Severity severity, String title, String summary, String advice) {
        Verdict(Severity severity, String title, String summary) {
            this(severity, title, summary, null);
        }
    }

    private static Plan vpnPlan(AlarmEvent event, VpnAlarmConfig config, Scope.Vpns scope,
                                Map<String, VpnTelemetry> telemetry, Instant now) {
        List<String> vpnIds = scope.vpnIds();
        boolean keepaliveAlarm = isKeepaliveAlarm(event, config);
        List<Assessment> assessments = vpnIds.stream().map(id -> {
            VpnTelemetry read = telemetry.getOrDefault(id, new VpnTelemetry.Unavailable(id, "not read"));
            return new Assessment(read, TunnelHealth.of(read));
        }).toList();

        List<Message.Field> facts = new ArrayList<>();
        facts.add(new Message.Field("Alarm", event.alarmName()));
        facts.add(new Message.Field("State change", stateChange(event)));
        if (event.newState() == AlarmState.OK) {
            facts.add(new Message.Field("Alarm lasted", lasted(event)));
        }
        for (Assessment assessment : assessments) {
            facts.addAll(tunnelFacts(assessment, now));
        }
        List<Message.Link> links = links(event, vpnIds);
        String key = "vpn/" + String.join("+", vpnIds) + "/" + event.alarmName();
        List<Message.Field> context = context(event);

        return switch (event.newState()) {
            case ALARM -> {
                List<Verdict> verdicts = assessments.stream().map(a -> verdict(a, keepaliveAlarm, event, now)).toList();
                Verdict worst = verdicts.stream().min(Comparator.comparingInt(v -> v.severity().ordinal())).orElseThrow();
                String title = worst.title() + (assessments.size() > 1
                        ? " (" + assessments.get(verdicts.indexOf(worst)).vpnId() + ")" : "");
                String summary = Stream.concat(verdicts.stream().map(Verdict::summary),
                                verdicts.stream().map(Verdict::advice).filter(Objects::nonNull).distinct())
                        .collect(Collectors.joining("\n\n"));
                // With no VPN listed, the tunnels are only read: no burst, no replacement, whatever they say.
                List<Response> responses = scope.listed() ? responses(assessments, keepaliveAlarm, config, now)
                        : List.of(new Response.NotRun("none: " + NO_VPNS_LISTED));
                yield new Plan.Notify(title, worst.severity(), summary, facts, context, links, null, key, responses);
            }
            case OK -> new Plan.Notify("VPN alarm resolved: " + event.alarmName(), Severity.RESOLVED,
                    "The alarm is OK again; it lasted " + lasted(event) + ". Tunnels now: "
                            + assessments.stream().map(VpnAlarmDecision::tunnelsNow).collect(Collectors.joining(" ")),
                    facts, context, links, null, key, List.of());
            case INSUFFICIENT_DATA -> new Plan.Notify("VPN metric stopped reporting: " + event.alarmName(),
                    Severity.INFO,
                    "CloudWatch has too little " + metricName(event) + " data to evaluate the alarm: the metric "
                            + "stopped reporting (a deleted VPN connection, or a keepalive that no longer runs, does "
                            + "this). Sent once per change; no automatic response is taken.",
                    facts, context, links, null, key, List.of());
        };
    }

    private static Verdict verdict(Assessment assessment, boolean keepaliveAlarm, AlarmEvent event, Instant now) {
        String vpnId = assessment.vpnId();
        TunnelHealth health = assessment.health();
        if (health instanceof TunnelHealth.AllDown down) {
            return new Verdict(Severity.CRITICAL, TITLE_DOWN, runbook(vpnId, down.down(), now));
        }
        if (health instanceof TunnelHealth.Degraded degraded) {
            String tunnels = "On " + vpnId + ", tunnel " + degraded.down().stream()
                    .map(t -> t.outsideIp() + " is " + t.status() + " since " + Elapsed.since(t.lastStatusChange(), now))
                    .collect(Collectors.joining(" and tunnel "));
            if (keepaliveAlarm) {
                // Traffic could still flow over the UP tunnel, yet nothing in the datacenter answered.
                return new Verdict(Severity.CRITICAL, TITLE_UNREACHABLE_DEGRADED + ips(degraded.up()) + " is UP",
                        tunnels + ". Tunnel " + ips(degraded.up()) + " is UP, yet no datacenter target answered the keepalive.",
                        unreachableAdvice(event));
            }
            return new Verdict(Severity.WARNING,
                    TITLE_DEGRADED + ips(degraded.up()),
                    tunnels + ". Traffic still flows over tunnel " + ips(degraded.up())
                            + ", without redundancy until the other tunnel recovers.");
        }
        if (health instanceof TunnelHealth.AllUp up && keepaliveAlarm) {
            // The keepalive's alarm is not about the tunnels: it says nothing in the datacenter answered.
            return new Verdict(Severity.CRITICAL, TITLE_UNREACHABLE,
                    "EC2 reports every tunnel of " + vpnId + " UP (" + ips(up.up()) + "), yet no datacenter target "
                            + "answered the keepalive: the tunnels are not what cuts the datacenter off.",
                    unreachableAdvice(event));
        }
        if (health instanceof TunnelHealth.AllUp up) {
            return new Verdict(Severity.INFO,
                    "VPN alarm stale: every tunnel of " + vpnId + " is UP",
                    "The alarm says ALARM but EC2 reports every tunnel of " + vpnId + " UP now (" + ips(up.up())
                            + "): the alarm is stale or the tunnels are flapping. Watch for repeats.");
        }
        String why = ((TunnelHealth.Unknown) health).why();
        if (keepaliveAlarm) {
            return new Verdict(Severity.CRITICAL, "Datacenter unreachable (tunnel state of " + vpnId + " unknown)",
                    "No datacenter target answered the keepalive, and the tunnels of " + vpnId + " could not be judged ("
                            + why + "): check the VPN console.", unreachableAdvice(event));
        }
        return new Verdict(Severity.WARNING, "VPN alarm: tunnel state of " + vpnId + " unknown",
                "The tunnels of " + vpnId + " could not be judged (" + why
                        + "), so this rests on the alarm alone: check the VPN console.");
    }

    /** The steps for people when nothing reaches the datacenter, with what the NOC needs to know. */
    private static String runbook(String vpnId, List<TunnelTelemetry> down, Instant now) {
        Instant since = down.stream().map(TunnelTelemetry::lastStatusChange).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        String tunnels = down.stream()
                .map(t -> t.outsideIp() + " DOWN since " + Elapsed.instant(t.lastStatusChange())
                        + (t.statusMessage().isBlank() ? "" : " (" + t.statusMessage() + ")"))
                .collect(Collectors.joining("; "));
        return "No tunnel of " + vpnId + " is UP: nothing has reached the datacenter"
                + (since == null ? "" : " since " + Elapsed.since(since, now)) + ".\n"
                + "Runbook:\n"
                + "1. Contact the datacenter NOC now.\n"
                + "2. Tell them: AWS Site-to-Site VPN " + vpnId + ", every tunnel down; AWS-side tunnel outside IPs "
                + tunnels + ".\n"
                + "3. Ask them to check their customer gateway (IKE/IPsec, BGP) towards these IPs and bring a tunnel up.\n"
                + "4. Follow the VPN console link for live tunnel status; Tidewatch sends a resolved message when the "
                + "alarm clears.";
    }

    /**
     * What to check when the keepalive reaches nothing while the tunnels are UP. The alarm fires on missing data too
     * (the template treats it as breaching), and CloudWatch's reason then says no data points were received.
     */
    private static String unreachableAdvice(AlarmEvent event) {
        boolean noData = event.reason() != null
                && event.reason().toLowerCase(Locale.ROOT).contains("no datapoints were received");
        return "For the applications in the VPC the datacenter is as unreachable as with the VPN down: no datacenter "
                + "target answered the keepalive's probes for the alarm's whole evaluation period (15 minutes with "
                + "the template's alarm), or the keepalive did not report at all.\n"
                + (noData ? "CloudWatch received no keepalive data (the alarm's reason says so): the keepalive is "
                        + "probably not running, so start with step 1.\n" : "")
                + "Check, in this order:\n"
                + "1. The keepalive's own log (log group /aws/lambda/<stack>-vpn-keepalive) and its ReachableTargets "
                + "and UnreachableTargets metrics: which targets time out or find no route. An alarm on missing data "
                + "means the keepalive is not running or not reporting (its schedule, errors, throttles, the "
                + "failed-invocations queue).\n"
                + "2. The routes to the datacenter CIDR: the route tables of the private subnets (through the "
                + "virtual private gateway, or route propagation) and the routes each tunnel accepts (BGP, in the "
                + "tunnel facts below).\n"
                + "3. The security group of the keepalive (and of the applications): outbound to the datacenter CIDR.\n"
                + "4. The datacenter hosts themselves, and the datacenter firewall: it must let the VPC's addresses in.\n"
                + "The keepalive burst, when it runs, produces fresh data at once; Tidewatch sends a resolved message "
                + "when the alarm clears.";
    }

    private static List<Response> responses(List<Assessment> assessments, boolean keepaliveAlarm,
                                            VpnAlarmConfig config, Instant now) {
        List<Response> responses = new ArrayList<>();
        boolean allUp = assessments.stream().allMatch(a -> a.health() instanceof TunnelHealth.AllUp);
        // A stale tunnel alarm needs no traffic; the keepalive's alarm does: the burst gives its metric fresh data.
        if (allUp && !keepaliveAlarm) {
            responses.add(new Response.NotRun("keepalive burst: not needed, every tunnel is UP"));
        } else if (!config.keepaliveBurstEnabled()) {
            responses.add(new Response.NotRun("keepalive burst: off (ENABLE_KEEPALIVE_BURST=false)"));
        } else if (config.keepaliveFunctionName() == null) {
            responses.add(new Response.NotRun("keepalive burst: not configured, KEEPALIVE_FUNCTION_NAME is not set"));
        } else {
            responses.add(new Response.KeepaliveBurst(config.keepaliveFunctionName(), config.keepaliveBurstRounds()));
        }

        if (!config.tunnelReplacementEnabled()) {
            if (assessments.stream().anyMatch(a -> a.health() instanceof TunnelHealth.Degraded)) {
                responses.add(new Response.NotRun("tunnel replacement: off (ENABLE_TUNNEL_REPLACEMENT=false)"));
            }
            return responses;
        }
        for (Assessment assessment : assessments) {
            TunnelHealth health = assessment.health();
            if (health instanceof TunnelHealth.Degraded degraded) {
                VpnConnectionStatus status = ((VpnTelemetry.Available) assessment.telemetry()).status();
                for (TunnelTelemetry tunnel : degraded.down()) {
                    responses.add(replacement(status, tunnel, config, now));
                }
            } else if (health instanceof TunnelHealth.AllDown) {
                responses.add(new Response.NotRun("tunnel replacement: skipped, no tunnel of " + assessment.vpnId()
                        + " is UP (the last tunnel up is never replaced)"));
            } else if (health instanceof TunnelHealth.Unknown) {
                responses.add(new Response.NotRun("tunnel replacement: skipped, tunnels of " + assessment.vpnId()
                        + " unknown"));
            }
        }
        return responses;
    }

    /**
     * Replace a DOWN tunnel only while another tunnel carries the traffic, after it has been down past the threshold,
     * and at most once per cooldown (remembered in a tag on the VPN connection).
     */
    static Response replacement(VpnConnectionStatus status, TunnelTelemetry tunnel, VpnAlarmConfig config, Instant now) {
        String prefix = "tunnel " + tunnel.outsideIp() + " replacement: skipped, ";
        if (!config.manages(status.vpnId())) {
            return new Response.NotRun(prefix + status.vpnId() + " is not in VPN_CONNECTION_IDS");
        }
        if (!VpnConnectionStatus.AVAILABLE.equals(status.state())) {
            return new Response.NotRun(prefix + "the connection is " + status.state());
        }
        if (tunnel.status() != TunnelTelemetry.Status.DOWN) {
            return new Response.NotRun(prefix + "status is " + tunnel.status() + ", not DOWN");
        }
        if (tunnel.lastStatusChange() == null) {
            return new Response.NotRun(prefix + "down since an unknown time");
        }
        Duration downFor = Duration.between(tunnel.lastStatusChange(), now);
        if (downFor.compareTo(config.tunnelDownThreshold()) < 0) {
            return new Response.NotRun(prefix + "down " + Elapsed.describe(downFor) + " < "
                    + Elapsed.describe(config.tunnelDownThreshold()) + " threshold");
        }
        String tagKey = REPLACED_TAG_PREFIX + tunnel.outsideIp();
        String lastReplaced = status.tags().get(tagKey);
        if (lastReplaced != null) {
            Instant replacedAt;
            try {
                replacedAt = Instant.parse(lastReplaced.trim());
            } catch (DateTimeParseException e) {
                // Unreadable means someone edited it: not replacing is the safe reading.
                return new Response.NotRun(prefix + "cooldown tag " + tagKey + " holds '" + lastReplaced
                        + "', not an ISO-8601 instant");
            }
            Duration since = Duration.between(replacedAt, now);
            if (since.compareTo(config.tunnelReplacementCooldown()) < 0) {
                return new Response.NotRun(prefix + "replaced " + Elapsed.describe(since) + " ago (at "
                        + Elapsed.instant(replacedAt) + "), cooldown " + Elapsed.describe(config.tunnelReplacementCooldown()));
            }
        }
        return new Response.ReplaceTunnel(status.vpnId(), tunnel.outsideIp(), downFor, tagKey, now);
    }

    private static List<Message.Field> tunnelFacts(Assessment assessment, Instant now) {
        List<Message.Field> facts = new ArrayList<>();
        if (assessment.telemetry() instanceof VpnTelemetry.Unavailable unavailable) {
            facts.add(new Message.Field("VPN", unavailable.vpnId() + ": telemetry unavailable, " + unavailable.problem()));
            return facts;
        }
        VpnConnectionStatus status = ((VpnTelemetry.Available) assessment.telemetry()).status();
        facts.add(new Message.Field("VPN", status.vpnId() + " (" + status.state() + ")"));
        for (TunnelTelemetry tunnel : status.tunnels()) {
            StringBuilder value = new StringBuilder(tunnel.status().name())
                    .append(" since ").append(Elapsed.since(tunnel.lastStatusChange(), now));
            if (!tunnel.statusMessage().isBlank()) {
                value.append("; ").append(tunnel.statusMessage());
            }
            if (tunnel.acceptedRouteCount() != null) {
                value.append("; ").append(tunnel.acceptedRouteCount()).append(" accepted routes");
            }
            facts.add(new Message.Field("Tunnel " + tunnel.outsideIp(), value.toString()));
        }
        return facts;
    }

    private static String tunnelsNow(Assessment assessment) {
        TunnelHealth health = assessment.health();
        if (health instanceof TunnelHealth.AllUp) {
            return assessment.vpnId() + ": every tunnel UP.";
        }
        if (health instanceof TunnelHealth.Degraded degraded) {
            return assessment.vpnId() + ": tunnel " + ips(degraded.down()) + " still DOWN, traffic over "
                    + ips(degraded.up()) + ".";
        }
        if (health instanceof TunnelHealth.AllDown) {
            return assessment.vpnId() + ": EC2 still reports every tunnel DOWN.";
        }
        return assessment.vpnId() + ": " + ((TunnelHealth.Unknown) health).why() + ".";
    }

    // ---- any other alarm --------------------------------------------------------------------------------------

    private static Plan genericPlan(AlarmEvent event, List<Message.Field> extraFacts, List<Response> notes) {
        List<Message.Field> facts = new ArrayList<>();
        facts.add(new Message.Field("Alarm", event.alarmName()));
        facts.add(new Message.Field("State change", stateChange(event)));
        if (event.newState() == AlarmState.OK) {
            facts.add(new Message.Field("Alarm lasted", lasted(event)));
        }
        facts.addAll(extraFacts);
        String name = event.alarmName();
        return switch (event.newState()) {
            case ALARM -> new Plan.Notify("Alarm: " + name, Severity.WARNING,
                    "CloudWatch alarm " + name + " is in ALARM.",
                    facts, context(event), links(event, List.of()), null, "alarm/" + name, notes);
            case OK -> new Plan.Notify("Resolved: " + name, Severity.RESOLVED,
                    "CloudWatch alarm " + name + " is OK again; it lasted " + lasted(event) + ".",
                    facts, context(event), links(event, List.of()), null, "alarm/" + name, notes);
            case INSUFFICIENT_DATA -> new Plan.Notify("No data: " + name, Severity.INFO,
                    "The metric of CloudWatch alarm " + name + " stopped reporting: there is too little data to "
                            + "evaluate it. Sent once per change.",
                    facts, context(event), links(event, List.of()), null, "alarm/" + name, notes);
        };
    }

    // ---- shared wording ---------------------------------------------------------------------------------------

    private static String stateChange(AlarmEvent event) {
        return (event.oldState() == null ? "unknown" : event.oldState().name()) + " -> " + event.newState().name()
                + (event.stateChangeTime() == null ? "" : " at " + Elapsed.instant(event.stateChangeTime()));
    }

    /** New state time minus the previous state's time; the SNS shape has no previous time, so no duration. */
    static String lasted(AlarmEvent event) {
        if (event.previousStateTime() == null || event.stateChangeTime() == null) {
            return "duration unknown";
        }
        return Elapsed.describe(Duration.between(event.previousStateTime(), event.stateChangeTime()))
                + " (" + (event.oldState() == null ? "previous state" : event.oldState().name()) + " from "
                + Elapsed.instant(event.previousStateTime()) + " to " + Elapsed.instant(event.stateChangeTime()) + ")";
    }

    private static List<Message.Field> context(AlarmEvent event) {
        List<Message.Field> context = new ArrayList<>();
        if (event.reason() != null && !event.reason().isBlank()) {
            context.add(new Message.Field("Reason", event.reason()));
        }
        if (event.metricName() != null) {
            context.add(new Message.Field("Metric", metricName(event) + (event.dimensions().isEmpty() ? "" : " ("
                    + event.dimensions().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")) + ")")));
        }
        if (event.alarmRule() != null) {
            context.add(new Message.Field("Rule", event.alarmRule()));
        }
        if (event.description() != null && !event.description().isBlank()) {
            context.add(new Message.Field("Description", event.description()));
        }
        if (event.accountId() != null || event.region() != null) {
            context.add(new Message.Field("Account", orUnknown(event.accountId()) + ", " + orUnknown(event.region())));
        }
        return context;
    }

    private static String metricName(AlarmEvent event) {
        return (event.namespace() == null ? "" : event.namespace() + " ") + event.metricName();
    }

    private static List<Message.Link> links(AlarmEvent event, List<String> vpnIds) {
        List<Message.Link> links = new ArrayList<>();
        if (event.region() != null) {
            links.add(new Message.Link("CloudWatch alarm", ConsoleLinks.alarm(event.region(), event.alarmName())));
            for (String vpnId : vpnIds) {
                links.add(new Message.Link(vpnIds.size() > 1 ? "VPN " + vpnId : "VPN connection",
                        ConsoleLinks.vpnConnection(event.region(), vpnId)));
            }
        }
        return links;
    }

    private static String ips(List<TunnelTelemetry> tunnels) {
        return tunnels.stream().map(TunnelTelemetry::outsideIp).collect(Collectors.joining(" and "));
    }

    private static String orUnknown(String value) {
        return value == null ? "unknown" : value;
    }
}

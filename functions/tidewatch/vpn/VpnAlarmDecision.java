package tidewatch.vpn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;
import tidewatch.console.ConsoleLinks;

/**
 * The functional core: from an alarm state change, the function's settings, one read of the VPN connections and the
 * current time, what to tell people and which automatic responses to run. No SDK types, no I/O, no clock.
 */
final class VpnAlarmDecision {
    static final String TITLE_DEGRADED = VpnVerdict.TITLE_DEGRADED;
    static final String TITLE_UNRECOGNISED = "Unrecognised alarm";

    private VpnAlarmDecision() {}

    /** The VPN connections to read before deciding; empty when the decision needs no AWS state. */
    static List<String> vpnsToRead(AlarmEvent event, VpnAlarmSettings settings) {
        if (isRepeatedInsufficientData(event)) {
            return List.of();
        }
        return AlarmScope.of(event, settings) instanceof AlarmScope.Vpns vpns ? vpns.vpnIds() : List.of();
    }

    static VpnAlarmPlan decide(AlarmEvent event, VpnAlarmSettings settings, Map<String, VpnTelemetry> telemetry,
                               Instant now) {
        if (isRepeatedInsufficientData(event)) {
            return new VpnAlarmPlan.Skip(event.alarmName(),
                    "still INSUFFICIENT_DATA: people were told when the metric stopped reporting");
        }
        AlarmScope scope = AlarmScope.of(event, settings);
        if (scope instanceof AlarmScope.Vpns vpns) {
            return vpnPlan(event, settings, vpns, telemetry, now);
        }
        if (scope instanceof AlarmScope.VpnUnknown unknown) {
            return genericPlan(event, List.of(new Message.Field("VPN", "unknown")),
                    List.of(new Response.NotRun("none: " + unknown.why())));
        }
        return genericPlan(event, List.of(), List.of());
    }

    /** The VPN connections the scheduled tunnel check reads: none while replacement and options repair are off. */
    static List<String> vpnsToCheck(VpnAlarmSettings settings) {
        return settings.tunnelCheckEnabled() ? settings.vpnConnectionIds() : List.of();
    }

    /** The scheduled tunnel check ({@link TunnelCheck}). */
    static VpnAlarmPlan tunnelCheck(VpnAlarmSettings settings, Map<String, VpnTelemetry> telemetry, Instant now) {
        return TunnelCheck.plan(settings, telemetry, now);
    }

    /** A payload that is not a readable alarm goes to people as it came, with no infrastructure action. */
    static VpnAlarmPlan unrecognised(ParsedEvent.Unrecognised payload) {
        return new VpnAlarmPlan.Notify(
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
    static VpnAlarmPlan unassessed(AlarmEvent event, String error) {
        return genericPlan(event, List.of(new Message.Field("Tidewatch", "could not assess this alarm: " + error)),
                List.of(new Response.NotRun("none: the alarm could not be assessed")));
    }

    static boolean isRepeatedInsufficientData(AlarmEvent event) {
        return event.newState() == AlarmState.INSUFFICIENT_DATA && event.oldState() == AlarmState.INSUFFICIENT_DATA;
    }

    private static VpnAlarmPlan vpnPlan(AlarmEvent event, VpnAlarmSettings settings, AlarmScope.Vpns scope,
                                        Map<String, VpnTelemetry> telemetry, Instant now) {
        List<String> vpnIds = scope.vpnIds();
        boolean keepaliveAlarm = AlarmScope.isKeepaliveAlarm(event, settings);
        List<VpnAssessment> assessments = vpnIds.stream().map(id -> VpnAssessment.of(id, telemetry)).toList();

        List<Message.Field> facts = alarmFacts(event);
        for (VpnAssessment assessment : assessments) {
            facts.addAll(VpnAlarmMessage.tunnelFacts(assessment, now));
        }
        List<Message.Link> links = VpnAlarmMessage.links(event, vpnIds);
        String key = "vpn/" + String.join("+", vpnIds) + "/" + event.alarmName();
        List<Message.Field> context = VpnAlarmMessage.context(event);

        return switch (event.newState()) {
            case ALARM -> {
                List<VpnVerdict> verdicts = assessments.stream()
                        .map(a -> VpnVerdict.of(a, keepaliveAlarm, event, now)).toList();
                VpnVerdict worst = verdicts.stream().min(Comparator.comparingInt(v -> v.severity().ordinal())).orElseThrow();
                String title = worst.title() + (assessments.size() > 1
                        ? " (" + assessments.get(verdicts.indexOf(worst)).vpnId() + ")" : "");
                String summary = Stream.of(verdicts.stream().map(VpnVerdict::summary),
                                assessments.stream().map(VpnAlarmMessage::recoveryAdvice).filter(Objects::nonNull),
                                verdicts.stream().map(VpnVerdict::advice).filter(Objects::nonNull).distinct())
                        .flatMap(s -> s).collect(Collectors.joining("\n\n"));
                // A VPN that is not listed is only read: no burst, no replacement, no repair, whatever it says.
                List<Response> responses = scope.listed() ? responses(assessments, keepaliveAlarm, settings, now)
                        : List.of(new Response.NotRun(scope.notActedOn()));
                yield new VpnAlarmPlan.Notify(title, worst.severity(), summary, facts, context, links,
                        VpnAlarmMessage.tunnelLog(assessments), key, responses);
            }
            case OK -> new VpnAlarmPlan.Notify("VPN alarm resolved: " + event.alarmName(), Severity.RESOLVED,
                    "The alarm is OK again; it lasted " + VpnAlarmMessage.lasted(event) + ". Tunnels now: "
                            + assessments.stream().map(VpnAlarmMessage::tunnelsNow).collect(Collectors.joining(" ")),
                    facts, context, links, null, key, List.of());
            case INSUFFICIENT_DATA -> new VpnAlarmPlan.Notify("VPN metric stopped reporting: " + event.alarmName(),
                    Severity.INFO,
                    "CloudWatch has too little " + VpnAlarmMessage.metricName(event) + " data to evaluate the alarm: "
                            + "the metric stopped reporting (a deleted VPN connection, or a keepalive that no longer "
                            + "runs, does this). Sent once per change; no automatic response is taken.",
                    facts, context, links, null, key, List.of());
        };
    }

    private static List<Response> responses(List<VpnAssessment> assessments, boolean keepaliveAlarm,
                                            VpnAlarmSettings settings, Instant now) {
        List<Response> responses = new ArrayList<>();
        boolean allUp = assessments.stream().allMatch(a -> a.health() instanceof TunnelHealth.AllUp);
        // A stale tunnel alarm needs no traffic; the keepalive's alarm does: the burst gives its metric fresh data.
        if (allUp && !keepaliveAlarm) {
            responses.add(new Response.NotRun("keepalive burst: not needed, every tunnel is UP"));
        } else if (!settings.keepaliveBurstEnabled()) {
            responses.add(new Response.NotRun("keepalive burst: off (ENABLE_KEEPALIVE_BURST=false)"));
        } else if (settings.keepaliveFunctionName() == null) {
            responses.add(new Response.NotRun("keepalive burst: not configured, KEEPALIVE_FUNCTION_NAME is not set"));
        } else {
            responses.add(new Response.KeepaliveBurst(settings.keepaliveFunctionName(), settings.keepaliveBurstRounds()));
        }
        List<Response> repairs = TunnelOptionsRepairRule.responses(assessments, settings, now);
        responses.addAll(withoutRepaired(TunnelReplacementRule.responses(assessments, settings, now), repairs));
        responses.addAll(repairs);
        return responses;
    }

    /**
     * A tunnel whose options are repaired in this invocation is not also replaced: the repair already interrupts it,
     * and a replacement keeps options that leave it to the datacenter.
     */
    static List<Response> withoutRepaired(List<Response> replacements, List<Response> repairs) {
        List<String> repaired = repairs.stream().filter(Response.RepairTunnelOptions.class::isInstance)
                .map(r -> ((Response.RepairTunnelOptions) r).vpnId() + "/" + ((Response.RepairTunnelOptions) r).outsideIp())
                .toList();
        return replacements.stream().map(r -> r instanceof Response.ReplaceTunnel replace
                && repaired.contains(replace.vpnId() + "/" + replace.outsideIp())
                ? new Response.NotRun("tunnel " + replace.outsideIp() + " replacement: skipped, its options are "
                        + "repaired in this invocation (never both at once)") : r).toList();
    }

    private static List<Message.Field> alarmFacts(AlarmEvent event) {
        List<Message.Field> facts = new ArrayList<>();
        facts.add(new Message.Field("Alarm", event.alarmName()));
        facts.add(new Message.Field("State change", VpnAlarmMessage.stateChange(event)));
        if (event.newState() == AlarmState.OK) {
            facts.add(new Message.Field("Alarm lasted", VpnAlarmMessage.lasted(event)));
        }
        return facts;
    }

    private static VpnAlarmPlan genericPlan(AlarmEvent event, List<Message.Field> extraFacts, List<Response> notes) {
        List<Message.Field> facts = alarmFacts(event);
        facts.addAll(extraFacts);
        String name = event.alarmName();
        List<Message.Field> context = VpnAlarmMessage.context(event);
        List<Message.Link> links = VpnAlarmMessage.links(event, List.of());
        return switch (event.newState()) {
            case ALARM -> new VpnAlarmPlan.Notify("Alarm: " + name, Severity.WARNING,
                    "CloudWatch alarm " + name + " is in ALARM.",
                    facts, context, links, null, "alarm/" + name, notes);
            case OK -> new VpnAlarmPlan.Notify("Resolved: " + name, Severity.RESOLVED,
                    "CloudWatch alarm " + name + " is OK again; it lasted " + VpnAlarmMessage.lasted(event) + ".",
                    facts, context, links, null, "alarm/" + name, notes);
            case INSUFFICIENT_DATA -> new VpnAlarmPlan.Notify("No data: " + name, Severity.INFO,
                    "The metric of CloudWatch alarm " + name + " stopped reporting: there is too little data to "
                            + "evaluate it. Sent once per change.",
                    facts, context, links, null, "alarm/" + name, notes);
        };
    }
}

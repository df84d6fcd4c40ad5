package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;
import tidewatch.notify.Silence;

/**
 * The scheduled tunnel check, run while tunnel replacement or options repair is on: replaces each tunnel the
 * replacement rule allows now, repairs the options of each DOWN tunnel the repair rule allows, and tells people once
 * per change of a connection's recovery posture (which tunnels wait for the datacenter; remembered as a tag on the
 * connection). Otherwise it stays quiet: the alarms already told people.
 */
final class TunnelCheck {
    static final String POSTURE_TAG = "tidewatch:recovery-posture";
    /** The posture when AWS brings back every tunnel whose options are known; also what a missing tag means. */
    static final String POSTURE_AWS = "aws";
    private static final String SUBJECT = "tunnel check";
    /** How often the template's schedule runs the check: a silence that ended within one period is told once. */
    static final Duration PERIOD = Duration.ofMinutes(10);

    private TunnelCheck() {}

    static VpnAlarmPlan plan(VpnAlarmSettings settings, Map<String, VpnTelemetry> telemetry, Instant now) {
        if (!settings.tunnelCheckEnabled()) {
            // Options repair (ENABLE_TUNNEL_OPTIONS_REPAIR) is off too; the reason keeps the words people know.
            return new VpnAlarmPlan.Skip(SUBJECT, "tunnel replacement is off (ENABLE_TUNNEL_REPLACEMENT=false)");
        }
        if (settings.vpnConnectionIds().isEmpty()) {
            return new VpnAlarmPlan.Skip(SUBJECT, AlarmScope.NO_VPNS_LISTED);
        }
        List<Response> actions = new ArrayList<>();
        List<Response> postures = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        List<String> told = new ArrayList<>();
        List<Message.Field> facts = new ArrayList<>();
        List<String> silenceEnded = new ArrayList<>();
        Severity endedSeverity = Severity.INFO;
        for (String vpnId : settings.vpnConnectionIds()) {
            VpnAssessment assessment = VpnAssessment.of(vpnId, telemetry);
            if (assessment.telemetry() instanceof VpnTelemetry.Unavailable unavailable) {
                waiting.add(vpnId + ": telemetry unavailable, " + unavailable.problem());
                continue;
            }
            if (assessment.inconsistency() != null) {
                // No replacement, no repair and no posture tag from telemetry that cannot be right.
                waiting.add(vpnId + ": nothing replaced or repaired, " + assessment.inconsistency());
                continue;
            }
            List<Response> replacements = new ArrayList<>();
            if (settings.tunnelReplacementEnabled() && assessment.health() instanceof TunnelHealth.Degraded degraded) {
                for (TunnelTelemetry tunnel : degraded.down()) {
                    replacements.add(TunnelReplacementRule.decide(assessment.status(), tunnel, settings, now));
                }
                replacements = TunnelReplacementRule.atMostOnePerConnection(replacements);
            }
            List<Response> repairs = settings.tunnelOptionsRepairEnabled()
                    ? TunnelOptionsRepairRule.responses(List.of(assessment), settings, now) : List.of();
            List<Response> mine = new ArrayList<>(VpnAlarmDecision.withoutRepaired(replacements, repairs));
            mine.addAll(repairs);
            boolean acted = false;
            for (Response response : mine) {
                if (response instanceof Response.NotRun) {
                    waiting.add(response.describe());
                } else {
                    actions.add(response);
                    acted = true;
                }
            }
            String posture = posture(assessment.status());
            String last = assessment.status().tags().getOrDefault(POSTURE_TAG, POSTURE_AWS);
            boolean changed = posture != null && !posture.equals(last);
            if (changed) {
                postures.add(new Response.TagPosture(vpnId, POSTURE_TAG, posture));
                told.add(postureText(assessment.status(), posture));
            }
            String ended = silenceEnded(assessment, now);
            if (ended != null) {
                silenceEnded.add(ended);
                endedSeverity = assessment.health() instanceof TunnelHealth.AllDown ? Severity.CRITICAL
                        : endedSeverity == Severity.CRITICAL ? endedSeverity : Severity.WARNING;
            }
            if (acted || changed || ended != null || assessment.health() instanceof TunnelHealth.Degraded) {
                facts.addAll(VpnAlarmMessage.tunnelFacts(assessment, now));
            }
        }
        String key = "vpn/" + String.join("+", settings.vpnConnectionIds()) + "/tunnel-check";
        if (!silenceEnded.isEmpty()) {
            // What the alarm would have said, had the silence not held it back: CloudWatch does not invoke again by itself.
            List<String> summary = new ArrayList<>(silenceEnded);
            summary.addAll(actionSummary(actions, settings));
            summary.addAll(told);
            List<Response> responses = new ArrayList<>(actions);
            responses.addAll(postures);
            return new VpnAlarmPlan.Notify("VPN still not fully up after its silence ended", endedSeverity,
                    String.join("\n\n", summary), facts, List.of(), List.of(), null, key, responses);
        }
        if (actions.isEmpty() && postures.isEmpty()) {
            return new VpnAlarmPlan.Skip(SUBJECT, waiting.isEmpty() ? "no tunnel is down while another is up"
                    : String.join("; ", waiting));
        }
        List<Response> responses = new ArrayList<>(actions);
        responses.addAll(postures);
        if (actions.isEmpty()) {
            return new VpnAlarmPlan.Notify("VPN recovery posture changed", Severity.INFO, String.join("\n\n", told),
                    facts, List.of(), List.of(), null, key, responses);
        }
        List<String> summary = new ArrayList<>(actionSummary(actions, settings));
        summary.addAll(told);
        return new VpnAlarmPlan.Notify(title(actions), Severity.WARNING, String.join("\n\n", summary),
                facts, List.of(), List.of(), null, key, responses);
    }

    /**
     * When the connection's silence ({@link Silence#TAG}) ended within the last {@link #PERIOD} and a tunnel is still
     * not UP: what people must now hear, since the alarm that was silenced will not fire again while it stays in
     * ALARM. Null otherwise.
     */
    static String silenceEnded(VpnAssessment assessment, Instant now) {
        Silence silence = Silence.of("VPN " + assessment.vpnId(), assessment.status().tags(), now);
        boolean endedNow = silence.state() == Silence.State.EXPIRED && silence.until().isAfter(now.minus(PERIOD));
        if (!endedNow || assessment.health() instanceof TunnelHealth.AllUp) {
            return null;
        }
        String state = assessment.health() instanceof TunnelHealth.AllDown ? "every tunnel is still DOWN: the datacenter is unreachable"
                : "a tunnel is still DOWN: the VPN runs without redundancy";
        return "The silence on " + assessment.vpnId() + " (tag " + Silence.TAG + ") ended at " + Elapsed.instant(silence.until())
                + " and " + state + ". Contact the NOC if the maintenance is over.";
    }

    /**
     * Which tunnels wait for the datacenter, as a tag value ("datacenter:203.0.113.10+203.0.113.20"), or
     * {@link #POSTURE_AWS}; null when no tunnel's options are known (nothing to tell).
     */
    static String posture(VpnConnectionStatus status) {
        List<String> waiting = new ArrayList<>();
        boolean known = false;
        for (TunnelTelemetry tunnel : status.tunnels()) {
            TunnelRecovery.Kind kind = status.recovery(tunnel.outsideIp()).kind();
            known |= kind == TunnelRecovery.Kind.AWS || kind == TunnelRecovery.Kind.DATACENTER_ONLY;
            if (kind == TunnelRecovery.Kind.DATACENTER_ONLY) {
                waiting.add(tunnel.outsideIp());
            }
        }
        if (!known) {
            return null;
        }
        return waiting.isEmpty() ? POSTURE_AWS : "datacenter:" + waiting.stream().sorted().collect(Collectors.joining("+"));
    }

    private static String postureText(VpnConnectionStatus status, String posture) {
        if (POSTURE_AWS.equals(posture)) {
            return "AWS now brings back every tunnel of " + status.vpnId() + " itself (startup action start or DPD "
                    + "timeout action restart): a tunnel that goes down no longer waits for the datacenter.";
        }
        String tunnels = posture.substring("datacenter:".length()).replace("+", " and ");
        return "On " + status.vpnId() + ", tunnel " + tunnels + " leaves recovery to the datacenter: once down, only "
                + "the datacenter's device can bring it back (AWS waits for it to start IKE, and traffic from the VPC "
                + "does not help). Set startup action start and DPD timeout action restart (console, AWS CLI "
                + "modify-vpn-tunnel-options, or Terraform tunnelN_startup_action / tunnelN_dpd_timeout_action) to let "
                + "AWS bring it back. Told once; Tidewatch tells again when this changes.";
    }

    private static String title(List<Response> actions) {
        String replaced = ips(actions, Response.ReplaceTunnel.class);
        String repaired = ips(actions, Response.RepairTunnelOptions.class);
        if (repaired.isEmpty()) {
            return "VPN tunnel " + replaced + " replaced after staying down";
        }
        return "VPN tunnel " + repaired + " options repaired so AWS brings it back"
                + (replaced.isEmpty() ? "" : "; tunnel " + replaced + " replaced");
    }

    private static List<String> actionSummary(List<Response> actions, VpnAlarmSettings settings) {
        List<String> lines = new ArrayList<>();
        String replaced = ips(actions, Response.ReplaceTunnel.class);
        if (!replaced.isEmpty()) {
            lines.add("Tunnel " + replaced + " stayed DOWN past " + Elapsed.describe(settings.tunnelDownThreshold())
                    + " while another tunnel carried the traffic, so Tidewatch asked AWS to replace it "
                    + "(ReplaceVpnTunnel): AWS brings up a new endpoint for it, which takes some minutes.");
        }
        String repaired = ips(actions, Response.RepairTunnelOptions.class);
        if (!repaired.isEmpty()) {
            lines.add("Tunnel " + repaired + " was DOWN with options that leave recovery to the datacenter, so Tidewatch "
                    + "set its startup action to start and its DPD timeout action to restart (ModifyVpnTunnelOptions). "
                    + "The tunnel is unavailable for some minutes while AWS applies it; then AWS starts IKE itself. "
                    + "Change the same in Terraform (tunnelN_startup_action, tunnelN_dpd_timeout_action), else the "
                    + "next apply undoes it.");
        }
        return lines;
    }

    private static String ips(List<Response> actions, Class<? extends Response> type) {
        return actions.stream().filter(type::isInstance).map(r -> r instanceof Response.ReplaceTunnel replace
                ? replace.outsideIp() : ((Response.RepairTunnelOptions) r).outsideIp()).collect(Collectors.joining(" and "));
    }
}

package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import tidewatch.console.ConsoleLinks;
import tidewatch.notify.Message;

/** The wording of VPN alarm messages: the runbook, what to check, the tunnel facts, the alarm's context and links. */
final class VpnAlarmMessage {
    private VpnAlarmMessage() {}

    /** The steps for people when nothing reaches the datacenter, with what the NOC needs to know. */
    static String runbook(String vpnId, List<TunnelTelemetry> down, Instant now) {
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
    static String unreachableAdvice(AlarmEvent event) {
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

    static List<Message.Field> tunnelFacts(VpnAssessment assessment, Instant now) {
        List<Message.Field> facts = new ArrayList<>();
        if (assessment.telemetry() instanceof VpnTelemetry.Unavailable unavailable) {
            facts.add(new Message.Field("VPN", unavailable.vpnId() + ": telemetry unavailable, " + unavailable.problem()));
            return facts;
        }
        VpnConnectionStatus status = ((VpnTelemetry.Available) assessment.telemetry()).status();
        facts.add(new Message.Field("VPN", status.vpnId() + " (" + status.state() + ")"));
        if (assessment.health() instanceof TunnelHealth.Inconsistent inconsistent) {
            // One field, however many entries: each is suspect, and hundreds would crowd out the message.
            TelemetrySanity sanity = inconsistent.sanity();
            facts.add(new Message.Field("Telemetry", sanity.problem() + "; reported UP by an entry: "
                    + TelemetrySanity.namedTunnels(sanity.up()) + "; reported UP by none: "
                    + TelemetrySanity.namedTunnels(sanity.notUp())));
            return facts;
        }
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
            if (!tunnel.isUp()) {
                facts.add(new Message.Field("Who brings back " + tunnel.outsideIp(),
                        status.recovery(tunnel.outsideIp()).describe()));
                VpnConnectionStatus.TunnelLog log = status.tunnelLogs().get(tunnel.outsideIp());
                if (log != null && log.problem() != null) {
                    facts.add(new Message.Field("Tunnel log " + tunnel.outsideIp(), log.problem()));
                }
            }
        }
        return facts;
    }

    static String tunnelsNow(VpnAssessment assessment) {
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
        if (health instanceof TunnelHealth.Inconsistent) {
            return assessment.vpnId() + ": " + assessment.inconsistency() + ".";
        }
        return assessment.vpnId() + ": " + ((TunnelHealth.Unknown) health).why() + ".";
    }

    static String stateChange(AlarmEvent event) {
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

    static List<Message.Field> context(AlarmEvent event) {
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

    static String metricName(AlarmEvent event) {
        return (event.namespace() == null ? "" : event.namespace() + " ") + event.metricName();
    }

    static List<Message.Link> links(AlarmEvent event, List<String> vpnIds) {
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

    static String ips(List<TunnelTelemetry> tunnels) {
        return tunnels.stream().map(TunnelTelemetry::outsideIp).collect(Collectors.joining(" and "));
    }

    private static String orUnknown(String value) {
        return value == null ? "unknown" : value;
    }

    /**
     * For each DOWN tunnel that waits for the datacenter: what to ask the NOC and how to let AWS bring it back for
     * good; for each DOWN tunnel without a tunnel log, how to turn logging on. Null when there is nothing to say.
     */
    static String recoveryAdvice(VpnAssessment assessment) {
        if (!(assessment.telemetry() instanceof VpnTelemetry.Available available) || assessment.inconsistency() != null) {
            return null; // no advice built on telemetry that cannot be right
        }
        VpnConnectionStatus status = available.status();
        List<String> paragraphs = new ArrayList<>();
        for (TunnelTelemetry tunnel : status.tunnels()) {
            if (tunnel.isUp()) {
                continue;
            }
            TunnelRecovery recovery = status.recovery(tunnel.outsideIp());
            String ip = tunnel.outsideIp();
            int number = status.tunnelNumber(ip);
            if (recovery.kind() == TunnelRecovery.Kind.DATACENTER_ONLY) {
                paragraphs.add("Tunnel " + ip + " of " + status.vpnId() + " waits for the datacenter: with "
                        + recovery.quoted() + " AWS does not start IKE for it, and the keepalive burst (traffic from "
                        + "the VPC) cannot bring it back either.\n"
                        + "Ask the datacenter NOC to start IKE on their device towards " + ip + ", or to send traffic "
                        + "from their side through the tunnel.\n"
                        + "To let AWS bring it back itself from now on (the tunnel is unavailable for some minutes "
                        + "while AWS applies the change):\n"
                        + "- Console: VPC > Site-to-Site VPN connections > " + status.vpnId() + " > Actions > Modify "
                        + "VPN tunnel options > " + ip + ": Startup action Start, DPD timeout action Restart.\n"
                        + "- AWS CLI: aws ec2 modify-vpn-tunnel-options --vpn-connection-id " + status.vpnId()
                        + " --vpn-tunnel-outside-ip-address " + ip
                        + " --tunnel-options StartupAction=start,DPDTimeoutAction=restart\n"
                        + "- Terraform (aws_vpn_connection, tunnels numbered by the order of their outside IPs): "
                        + terraform(number, "startup_action = \"start\"") + ", "
                        + terraform(number, "dpd_timeout_action = \"restart\"") + ".");
            }
            TunnelOptions options = status.options().get(ip);
            if (options != null && Boolean.FALSE.equals(options.logEnabled())) {
                paragraphs.add("Tunnel " + ip + " has no tunnel log (Site-to-Site VPN logging is off), so its IKE "
                        + "and DPD events are not in this message. To turn it on: aws ec2 modify-vpn-tunnel-options "
                        + "--vpn-connection-id " + status.vpnId() + " --vpn-tunnel-outside-ip-address " + ip
                        + " --tunnel-options 'LogOptions={CloudWatchLogOptions={LogEnabled=true,LogGroupArn=<log group "
                        + "ARN>,LogOutputFormat=json}}', or in Terraform a " + terraform(number, "log_options")
                        + " block with cloudwatch_log_options { log_enabled = true, log_group_arn = ... }.");
            }
        }
        return paragraphs.isEmpty() ? null : String.join("\n\n", paragraphs);
    }

    /** The last lines of the first DOWN tunnel's log that could be read; null when none was. */
    static Message.Evidence tunnelLog(List<VpnAssessment> assessments) {
        for (VpnAssessment assessment : assessments) {
            if (assessment.telemetry() instanceof VpnTelemetry.Available available) {
                for (Map.Entry<String, VpnConnectionStatus.TunnelLog> log : available.status().tunnelLogs().entrySet()) {
                    if (log.getValue().problem() == null && !log.getValue().lines().isEmpty()) {
                        return new Message.Evidence("Tunnel log of " + log.getKey() + " (" + log.getValue().group()
                                + "), around when it went down", log.getValue().lines());
                    }
                }
            }
        }
        return null;
    }

    private static String terraform(int number, String attribute) {
        return number == 0 ? "tunnel<N>_" + attribute : "tunnel" + number + "_" + attribute;
    }
}

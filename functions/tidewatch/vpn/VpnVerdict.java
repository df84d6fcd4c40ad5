package tidewatch.vpn;

import java.time.Instant;
import java.util.stream.Collectors;
import tidewatch.notify.Severity;

/**
 * The ALARM verdict for one VPN connection: down, degraded, datacenter unreachable, stale or unknown. {@code advice}
 * is what to check, shared by every VPN with the same verdict, so the message lists it once after the VPNs; null
 * when the summary says it all.
 */
record VpnVerdict(Severity severity, String title, String summary, String advice) {
    static final String TITLE_DOWN = "VPN down: the datacenter is unreachable";
    static final String TITLE_DEGRADED = "VPN degraded: traffic still flows over tunnel ";
    static final String TITLE_UNREACHABLE = "Datacenter unreachable although the VPN tunnels are UP";
    static final String TITLE_UNREACHABLE_DEGRADED = "Datacenter unreachable although tunnel ";

    VpnVerdict(Severity severity, String title, String summary) {
        this(severity, title, summary, null);
    }

    static VpnVerdict of(VpnAssessment assessment, boolean keepaliveAlarm, AlarmEvent event, Instant now) {
        String vpnId = assessment.vpnId();
        TunnelHealth health = assessment.health();
        if (health instanceof TunnelHealth.AllDown down) {
            return new VpnVerdict(Severity.CRITICAL, TITLE_DOWN, VpnAlarmMessage.runbook(vpnId, down.down(), now));
        }
        if (health instanceof TunnelHealth.Degraded degraded) {
            String tunnels = "On " + vpnId + ", tunnel " + degraded.down().stream()
                    .map(t -> t.outsideIp() + " is " + t.status() + " since " + Elapsed.since(t.lastStatusChange(), now))
                    .collect(Collectors.joining(" and tunnel "));
            String up = VpnAlarmMessage.ips(degraded.up());
            if (keepaliveAlarm) {
                // Traffic could still flow over the UP tunnel, yet nothing in the datacenter answered.
                return new VpnVerdict(Severity.CRITICAL, TITLE_UNREACHABLE_DEGRADED + up + " is UP",
                        tunnels + ". Tunnel " + up + " is UP, yet no datacenter target answered the keepalive.",
                        VpnAlarmMessage.unreachableAdvice(event));
            }
            return new VpnVerdict(Severity.WARNING, TITLE_DEGRADED + up, tunnels + ". Traffic still flows over tunnel "
                    + up + ", without redundancy until the other tunnel recovers.");
        }
        if (health instanceof TunnelHealth.AllUp up && keepaliveAlarm) {
            // The keepalive's alarm is not about the tunnels: it says nothing in the datacenter answered.
            return new VpnVerdict(Severity.CRITICAL, TITLE_UNREACHABLE,
                    "EC2 reports every tunnel of " + vpnId + " UP (" + VpnAlarmMessage.ips(up.up()) + "), yet no "
                            + "datacenter target answered the keepalive: the tunnels are not what cuts the datacenter off.",
                    VpnAlarmMessage.unreachableAdvice(event));
        }
        if (health instanceof TunnelHealth.AllUp up) {
            return new VpnVerdict(Severity.INFO,
                    "VPN alarm stale: every tunnel of " + vpnId + " is UP",
                    "The alarm says ALARM but EC2 reports every tunnel of " + vpnId + " UP now ("
                            + VpnAlarmMessage.ips(up.up()) + "): the alarm is stale or the tunnels are flapping. "
                            + "Watch for repeats.");
        }
        if (health instanceof TunnelHealth.Inconsistent inconsistent) {
            return inconsistent(inconsistent.sanity(), keepaliveAlarm, event);
        }
        String why = ((TunnelHealth.Unknown) health).why();
        if (keepaliveAlarm) {
            return new VpnVerdict(Severity.CRITICAL, "Datacenter unreachable (tunnel state of " + vpnId + " unknown)",
                    "No datacenter target answered the keepalive, and the tunnels of " + vpnId + " could not be judged ("
                            + why + "): check the VPN console.", VpnAlarmMessage.unreachableAdvice(event));
        }
        return new VpnVerdict(Severity.WARNING, "VPN alarm: tunnel state of " + vpnId + " unknown",
                "The tunnels of " + vpnId + " could not be judged (" + why
                        + "), so this rests on the alarm alone: check the VPN console.");
    }

    /**
     * Telemetry that cannot be right: it says what each IP was reported as and no more. Critical only when no entry
     * reports a tunnel UP (or the keepalive reached nothing); never "degraded" or "down" as if the data were sound.
     */
    private static VpnVerdict inconsistent(TelemetrySanity sanity, boolean keepaliveAlarm, AlarmEvent event) {
        String vpnId = sanity.vpnId();
        String reported = "EC2's telemetry of " + vpnId + " cannot be right: " + sanity.problem() + "; a VPN connection "
                + "has " + TelemetrySanity.TUNNELS_PER_CONNECTION + " tunnels with one entry each. Reported UP by an "
                + "entry: " + TelemetrySanity.namedTunnels(sanity.up()) + "; reported UP by none: "
                + TelemetrySanity.namedTunnels(sanity.notUp()) + ". Which tunnel carries traffic is not known, so "
                + "Tidewatch replaces and repairs nothing on " + vpnId + " until its telemetry is consistent.";
        if (keepaliveAlarm) {
            return new VpnVerdict(Severity.CRITICAL, "Datacenter unreachable (telemetry of " + vpnId + " inconsistent)",
                    "No datacenter target answered the keepalive. " + reported, VpnAlarmMessage.unreachableAdvice(event));
        }
        boolean noneUp = sanity.up().isEmpty();
        return new VpnVerdict(noneUp ? Severity.CRITICAL : Severity.WARNING,
                "VPN telemetry inconsistent: " + (noneUp ? "no entry of " + vpnId + " reports a tunnel UP"
                        : "tunnel state of " + vpnId + " uncertain"),
                reported + " Check the tunnels in the VPN console.");
    }
}

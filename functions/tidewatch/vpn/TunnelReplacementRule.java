package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When Tidewatch replaces a tunnel (ReplaceVpnTunnel): only a DOWN tunnel of a listed, available connection whose
 * telemetry is consistent ({@link TelemetrySanity}) while another tunnel carries the traffic, after it has been down
 * past the threshold, at most once per cooldown (remembered in a tag on the VPN connection), and at most one tunnel
 * per connection per invocation.
 */
final class TunnelReplacementRule {
    static final String REPLACED_TAG_PREFIX = "tidewatch:replaced:";

    private TunnelReplacementRule() {}

    /** The replacement responses (or why not) for the VPN connections an alarm is about. */
    static List<Response> responses(List<VpnAssessment> assessments, VpnAlarmSettings settings, Instant now) {
        List<Response> responses = new ArrayList<>();
        if (!settings.tunnelReplacementEnabled()) {
            if (assessments.stream().anyMatch(a -> a.health() instanceof TunnelHealth.Degraded)) {
                responses.add(new Response.NotRun("tunnel replacement: off (ENABLE_TUNNEL_REPLACEMENT=false)"));
            }
            return responses;
        }
        for (VpnAssessment assessment : assessments) {
            TunnelHealth health = assessment.health();
            if (health instanceof TunnelHealth.Degraded degraded) {
                for (TunnelTelemetry tunnel : degraded.down()) {
                    responses.add(decide(assessment.status(), tunnel, settings, now));
                }
            } else if (health instanceof TunnelHealth.Inconsistent) {
                responses.add(new Response.NotRun("tunnel replacement: skipped, " + assessment.inconsistency()));
            } else if (health instanceof TunnelHealth.AllDown) {
                responses.add(new Response.NotRun("tunnel replacement: skipped, no tunnel of " + assessment.vpnId()
                        + " is UP (the last tunnel up is never replaced)"));
            } else if (health instanceof TunnelHealth.Unknown) {
                responses.add(new Response.NotRun("tunnel replacement: skipped, tunnels of " + assessment.vpnId()
                        + " unknown"));
            }
        }
        return atMostOnePerConnection(responses);
    }

    /** The first replacement of each VPN connection stays; any later one becomes a skip that says why. */
    static List<Response> atMostOnePerConnection(List<Response> responses) {
        InvocationLimit limit = new InvocationLimit();
        return responses.stream().map(limit::admit).toList();
    }

    /** One DOWN tunnel of a connection where another tunnel is UP: replace it now, or why not. */
    static Response decide(VpnConnectionStatus status, TunnelTelemetry tunnel, VpnAlarmSettings settings, Instant now) {
        String prefix = "tunnel " + tunnel.outsideIp() + " replacement: skipped, ";
        if (!settings.manages(status.vpnId())) {
            return new Response.NotRun(prefix + status.vpnId() + " is not in VPN_CONNECTION_IDS");
        }
        String inconsistent = TelemetrySanity.of(status).problem();
        if (inconsistent != null) {
            return new Response.NotRun(prefix + inconsistent);
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
        if (Elapsed.ahead(tunnel.lastStatusChange(), now)) {
            return new Response.NotRun(prefix + "down since " + Elapsed.since(tunnel.lastStatusChange(), now)
                    + ", so for an unknown time");
        }
        Duration downFor = Duration.between(tunnel.lastStatusChange(), now);
        if (downFor.compareTo(settings.tunnelDownThreshold()) < 0) {
            return new Response.NotRun(prefix + "down " + Elapsed.describe(downFor) + " < "
                    + Elapsed.describe(settings.tunnelDownThreshold()) + " threshold");
        }
        String tagKey = REPLACED_TAG_PREFIX + tunnel.outsideIp();
        String cooldown = CooldownTag.holds(status, tagKey, settings.tunnelReplacementCooldown(), "replaced", now);
        if (cooldown != null) {
            return new Response.NotRun(prefix + cooldown);
        }
        return new Response.ReplaceTunnel(status.vpnId(), tunnel.outsideIp(), downFor, tagKey, now,
                CooldownTag.ignored(status, tagKey, settings.tunnelReplacementCooldown(), now));
    }
}

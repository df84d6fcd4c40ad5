package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When Tidewatch sets a tunnel's options to startup action {@code start} and DPD timeout action {@code restart}
 * (ModifyVpnTunnelOptions), so that AWS brings it back itself. Only a DOWN tunnel (a modification interrupts a tunnel
 * for minutes, and a DOWN one has nothing to lose, even when every tunnel is down), of a listed connection that is
 * available (not {@code modifying}), whose known options leave recovery to the datacenter, whose customer gateway
 * has a public IP (AWS starts IKE towards it), at most once per tunnel per cooldown (a tag on the connection) and per
 * invocation ({@link InvocationLimit}); never on a connection whose telemetry is inconsistent ({@link TelemetrySanity}).
 */
final class TunnelOptionsRepairRule {
    static final String REPAIRED_TAG_PREFIX = "tidewatch:options-repaired:";

    private TunnelOptionsRepairRule() {}

    /** The repairs (or why not) for every DOWN tunnel that waits for the datacenter, of the connections assessed. */
    static List<Response> responses(List<VpnAssessment> assessments, VpnAlarmSettings settings, Instant now) {
        List<Response> responses = new ArrayList<>();
        for (VpnAssessment assessment : assessments) {
            if (!(assessment.telemetry() instanceof VpnTelemetry.Available available)) {
                continue;
            }
            VpnConnectionStatus status = available.status();
            if (assessment.inconsistency() != null) {
                if (settings.tunnelOptionsRepairEnabled() && settings.manages(status.vpnId())) {
                    responses.add(new Response.NotRun("tunnel options repair: skipped, " + assessment.inconsistency()));
                }
                continue;
            }
            for (TunnelTelemetry tunnel : status.tunnels()) {
                if (tunnel.isUp()) {
                    continue;
                }
                TunnelRecovery.Kind kind = status.recovery(tunnel.outsideIp()).kind();
                if (kind == TunnelRecovery.Kind.AWS) {
                    continue; // AWS brings it back: nothing to repair, and nothing to say here
                }
                if (!settings.tunnelOptionsRepairEnabled()) {
                    if (kind == TunnelRecovery.Kind.DATACENTER_ONLY && settings.manages(status.vpnId())) {
                        responses.add(new Response.NotRun("tunnel " + tunnel.outsideIp()
                                + " options repair: off (ENABLE_TUNNEL_OPTIONS_REPAIR=false)"));
                    }
                    continue;
                }
                responses.add(decide(status, tunnel, settings, now));
            }
        }
        return responses;
    }

    /** One tunnel of a connection: repair its options now, or why not. */
    static Response decide(VpnConnectionStatus status, TunnelTelemetry tunnel, VpnAlarmSettings settings, Instant now) {
        String prefix = "tunnel " + tunnel.outsideIp() + " options repair: skipped, ";
        if (!settings.tunnelOptionsRepairEnabled()) {
            return new Response.NotRun(prefix + "off (ENABLE_TUNNEL_OPTIONS_REPAIR=false)");
        }
        if (!settings.manages(status.vpnId())) {
            return new Response.NotRun(prefix + status.vpnId() + " is not in VPN_CONNECTION_IDS");
        }
        String inconsistent = TelemetrySanity.of(status).problem();
        if (inconsistent != null) {
            return new Response.NotRun(prefix + inconsistent);
        }
        if (VpnConnectionStatus.MODIFYING.equals(status.state())) {
            return new Response.NotRun(prefix + "the connection is modifying (AWS is applying a change), left alone");
        }
        if (!VpnConnectionStatus.AVAILABLE.equals(status.state())) {
            return new Response.NotRun(prefix + "the connection is " + status.state());
        }
        if (tunnel.status() != TunnelTelemetry.Status.DOWN) {
            return new Response.NotRun(prefix + "status is " + tunnel.status() + ", not DOWN (an UP tunnel is never modified)");
        }
        if (Elapsed.ahead(tunnel.lastStatusChange(), now)) {
            return new Response.NotRun(prefix + "down since " + Elapsed.since(tunnel.lastStatusChange(), now)
                    + ", so for an unknown time");
        }
        TunnelRecovery recovery = status.recovery(tunnel.outsideIp());
        switch (recovery.kind()) {
            case UNKNOWN -> {
                return new Response.NotRun(prefix + "its options are unknown (not in the DescribeVpnConnections answer)");
            }
            case UNRECOGNISED -> {
                return new Response.NotRun(prefix + "options not recognised (" + recovery.quoted() + ")");
            }
            case AWS -> {
                return new Response.NotRun(prefix + "not needed, AWS brings it back itself (" + recovery.quoted() + ")");
            }
            case DATACENTER_ONLY -> { }
        }
        CustomerGateway gateway = status.gateway();
        if (gateway == null) {
            return new Response.NotRun(prefix + "customer gateway " + orUnknown(status.customerGatewayId()) + " not read");
        }
        if (gateway.problem() != null) {
            return new Response.NotRun(prefix + "customer gateway " + gateway.id() + " could not be read ("
                    + gateway.problem() + ")");
        }
        if (!gateway.hasPublicIp()) {
            return new Response.NotRun(prefix + "customer gateway " + gateway.id() + " has no public IP address ("
                    + orUnknown(gateway.ipAddress()) + "): AWS can only start IKE towards a public address, so the "
                    + "datacenter must start the tunnel");
        }
        String tagKey = REPAIRED_TAG_PREFIX + tunnel.outsideIp();
        String cooldown = CooldownTag.holds(status, tagKey, settings.tunnelOptionsRepairCooldown(), "tried", now);
        if (cooldown != null) {
            return new Response.NotRun(prefix + cooldown);
        }
        return new Response.RepairTunnelOptions(status.vpnId(), tunnel.outsideIp(), tagKey, now,
                CooldownTag.ignored(status, tagKey, settings.tunnelOptionsRepairCooldown(), now));
    }

    private static String orUnknown(String value) {
        return value == null ? "(unknown)" : value;
    }
}

package tidewatch.vpn;

import java.time.Clock;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.ecs.OutageStops;
import tidewatch.notify.Notifier;

/**
 * What {@link VpnAlarmFunction} is built from. {@code aws} is kept for SnapStart priming; null when a test builds
 * the function from hand-made parts. {@code outageStops} lists, when a datacenter alarm clears, the services that
 * stopped abnormally while it lasted (WATCHED_CLUSTERS); {@code keepaliveTag} keeps the keepalive's alarm on the
 * listed VPN connections for the ECS function, null to keep nothing.
 */
record VpnAlarmParts(TunnelTelemetrySource telemetry, Responder responder, Notifier notifier,
                     VpnAlarmSettings settings, Clock clock, AwsClients aws, OutageStops outageStops,
                     KeepaliveUnreachableTag keepaliveTag) {

    VpnAlarmParts(TunnelTelemetrySource telemetry, Responder responder, Notifier notifier, VpnAlarmSettings settings, Clock clock,
                  AwsClients aws) {
        this(telemetry, responder, notifier, settings, clock, aws, OutageStops.NONE, null);
    }

    static VpnAlarmParts fromEnvironment() {
        return from(Settings.fromEnvironment(), AwsClients.fromEnvironment());
    }

    static VpnAlarmParts from(Settings settings, AwsClients aws) {
        // The VPN settings are read before any SDK client is built, so a bad value fails init with its own message.
        VpnAlarmSettings vpn = VpnAlarmSettings.from(settings);
        VpnAlarmParts parts = of(aws, Notifier.fromSettings(settings, aws), vpn, Clock.systemUTC());
        return parts.withOutageStops(new OutageStops(aws::ecs, settings.list("WATCHED_CLUSTERS")));
    }

    VpnAlarmParts withOutageStops(OutageStops stops) {
        return new VpnAlarmParts(telemetry, responder, notifier, settings, clock, aws, stops, keepaliveTag);
    }

    /** The real readers and responders on the given clients, with a given notifier and clock (tests). */
    static VpnAlarmParts of(AwsClients aws, Notifier notifier, VpnAlarmSettings settings, Clock clock) {
        return new VpnAlarmParts(new Ec2TunnelTelemetry(aws.ec2(), aws::logs), new AwsResponder(aws.ec2(), aws.lambda()),
                notifier, settings, clock, aws, OutageStops.NONE, new KeepaliveUnreachableTag(aws.ec2()));
    }
}

package tidewatch.vpn;

import java.time.Clock;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.notify.Notifier;

/**
 * What {@link VpnAlarmFunction} is built from. {@code aws} is kept for SnapStart priming; null when a test builds
 * the function from hand-made parts.
 */
record VpnAlarmParts(TunnelTelemetrySource telemetry, Responder responder, Notifier notifier,
                     VpnAlarmSettings settings, Clock clock, AwsClients aws) {

    static VpnAlarmParts fromEnvironment() {
        return from(Settings.fromEnvironment(), AwsClients.fromEnvironment());
    }

    static VpnAlarmParts from(Settings settings, AwsClients aws) {
        // The VPN settings are read before any SDK client is built, so a bad value fails init with its own message.
        VpnAlarmSettings vpn = VpnAlarmSettings.from(settings);
        return of(aws, Notifier.fromSettings(settings, aws), vpn, Clock.systemUTC());
    }

    /** The real readers and responders on the given clients, with a given notifier and clock (tests). */
    static VpnAlarmParts of(AwsClients aws, Notifier notifier, VpnAlarmSettings settings, Clock clock) {
        return new VpnAlarmParts(new Ec2TunnelTelemetry(aws.ec2(), aws::logs), new AwsResponder(aws.ec2(), aws.lambda()),
                notifier, settings, clock, aws);
    }
}

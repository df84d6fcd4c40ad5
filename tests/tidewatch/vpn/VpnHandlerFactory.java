package tidewatch.vpn;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.time.Clock;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.notify.Notifier;

/**
 * Builds the handler with given settings, clients, notifier and clock, for tests outside this package (the
 * reliability suites). The notifier is passed in so a test can give Slack a sleeper that records instead of waiting.
 */
public final class VpnHandlerFactory {
    private VpnHandlerFactory() {}

    public static RequestStreamHandler vpnAlarm(Settings settings, AwsClients aws, Notifier notifier, Clock clock) {
        return new VpnAlarmFunction(VpnAlarmParts.of(aws, notifier, VpnAlarmSettings.from(settings), clock));
    }
}

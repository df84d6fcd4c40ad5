package tidewatch.keepalive;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import tidewatch.config.Settings;

/**
 * Builds the handler with given settings and clock, for tests outside this package (the reliability suites); the
 * pause between burst rounds is handed to {@code pauses} instead of being slept.
 */
public final class KeepaliveHandlerFactory {
    private KeepaliveHandlerFactory() {}

    public static RequestStreamHandler vpnKeepalive(Settings settings, Clock clock, Consumer<Duration> pauses) {
        return new VpnKeepaliveFunction(KeepaliveSettings.from(settings), clock, pauses::accept);
    }
}

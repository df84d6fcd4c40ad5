package tidewatch.keepalive;

import java.time.Duration;
import java.util.List;
import tidewatch.config.ConfigurationException;
import tidewatch.config.Settings;
import tidewatch.log.EmbeddedMetrics;

/**
 * The keepalive's settings, read once at init.
 *
 * @param targets   {@code KEEPALIVE_TARGETS}: comma-separated {@code host:port} and {@code http(s)://} URLs
 * @param timeout   {@code KEEPALIVE_TIMEOUT} (default 3s): the whole budget of one probe, connect and read
 * @param namespace {@code METRICS_NAMESPACE} (default Tidewatch)
 */
record KeepaliveSettings(List<KeepaliveTarget> targets, Duration timeout, String namespace) {
    public static final String TIMEOUT_SETTING = "KEEPALIVE_TIMEOUT";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    /** A probe that needs longer than this is no keepalive; a bare "3" (minutes, not seconds) is the usual slip. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    /** One thread per target: more than this is not a keepalive list. */
    static final int MAX_TARGETS = 32;

    public KeepaliveSettings {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target is required");
        }
    }

    public static KeepaliveSettings from(Settings settings) {
        return new KeepaliveSettings(targets(settings), timeout(settings),
                settings.optional("METRICS_NAMESPACE", EmbeddedMetrics.NAMESPACE));
    }

    private static List<KeepaliveTarget> targets(Settings settings) {
        String raw = settings.optional(KeepaliveTarget.SETTING, null);
        List<String> items = settings.list(KeepaliveTarget.SETTING);
        if (items.isEmpty()) {
            throw new ConfigurationException(KeepaliveTarget.SETTING + (raw == null ? " is not set" : "='" + raw + "'")
                    + ": expected one or more comma-separated targets, host:port or http(s):// URLs");
        }
        if (items.size() > MAX_TARGETS) {
            throw new ConfigurationException(KeepaliveTarget.SETTING + "='" + raw + "': " + items.size()
                    + " targets, at most " + MAX_TARGETS + " are supported");
        }
        return items.stream().map(KeepaliveTarget::parse).toList();
    }

    private static Duration timeout(Settings settings) {
        Duration timeout = settings.duration(TIMEOUT_SETTING, DEFAULT_TIMEOUT);
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new ConfigurationException(TIMEOUT_SETTING + "='" + settings.optional(TIMEOUT_SETTING, "")
                    + "': at most 60s (a bare number means minutes; write 3s for three seconds)");
        }
        return timeout;
    }
}

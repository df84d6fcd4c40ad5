package tidewatch.notify;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import tidewatch.config.ConfigurationException;
import tidewatch.json.Json;

/**
 * The Slack incoming-webhook URL, read from Secrets Manager or an SSM SecureString the first time it is needed and
 * then kept for the life of the container. Read lazily rather than at init so that a SnapStart snapshot never holds
 * it. The URL never leaves this class except to open the connection: errors describe the reference, not the value.
 *
 * <p>The reference is an SSM parameter when it starts with "/" or "arn:aws:ssm:", otherwise a Secrets Manager secret
 * id (name or ARN). The stored value is the URL itself or JSON with a "url" or "webhookUrl" member.
 */
public final class SlackWebhook {
    private final String reference;
    private final SecretsManagerClient secrets;
    private final SsmClient ssm;
    private volatile URI cached;

    public SlackWebhook(String reference, SecretsManagerClient secrets, SsmClient ssm) {
        this.reference = reference;
        this.secrets = secrets;
        this.ssm = ssm;
    }

    public static boolean isParameter(String reference) {
        return reference.startsWith("/") || reference.startsWith("arn:aws:ssm:");
    }

    public URI url() throws DeliveryException {
        URI url = cached;
        if (url == null) {
            url = parse(fetch());
            cached = url;
        }
        return url;
    }

    /** Drops the cached URL, after Slack said it is gone (403, 404, 410), so that a rotated secret is read again. */
    public void forget() {
        cached = null;
    }

    private String fetch() throws DeliveryException {
        try {
            if (isParameter(reference)) {
                return ssm.getParameter(request -> request.name(reference).withDecryption(true)).parameter().value();
            }
            return secrets.getSecretValue(request -> request.secretId(reference)).secretString();
        } catch (RuntimeException e) {
            throw new DeliveryException("cannot read the Slack webhook from " + describe() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private URI parse(String stored) throws DeliveryException {
        String text = stored == null ? "" : stored.trim();
        if (text.startsWith("{")) {
            try {
                Object value = Json.parse(text);
                if (value instanceof Map<?, ?> map) {
                    Object url = map.get("url") != null ? map.get("url") : map.get("webhookUrl");
                    text = url instanceof String s ? s.trim() : "";
                }
            } catch (RuntimeException e) {
                text = "";
            }
        }
        try {
            URI uri = URI.create(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean loopback = "http".equals(scheme) && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
            if (uri.getHost() != null && ("https".equals(scheme) || loopback)) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // fall through: the value is not printed, it may be a secret
        }
        throw new DeliveryException("the value stored in " + describe()
                + " is not an https webhook URL (expected the URL itself or JSON {\"url\": ...})");
    }

    private String describe() {
        return (isParameter(reference) ? "SSM parameter " : "secret ") + reference;
    }

    /** Validates the reference at init, so a typo fails the deployment's first invocation loudly. */
    public static String validateReference(String name, String reference) {
        if (reference.contains("hooks.slack.com") || reference.startsWith("http")) {
            throw new ConfigurationException(name + " must name a secret or SSM parameter that holds the webhook URL, "
                    + "not the URL itself (the value is not shown)");
        }
        return reference;
    }
}

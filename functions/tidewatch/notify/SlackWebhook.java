package tidewatch.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import tidewatch.aws.AwsClients;
import tidewatch.config.ConfigurationException;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.lambda.InvocationDeadline;

/**
 * The Slack incoming-webhook URL, read from Secrets Manager or an SSM SecureString the first time it is needed and
 * then kept for the life of the container. Read lazily rather than at init so that a SnapStart snapshot never holds
 * it. The URL never leaves this class except to open the connection: errors describe the reference, not the value.
 *
 * <p>The reference is an SSM parameter when it starts with "/" or is an SSM ARN in any partition ("arn:aws:ssm:",
 * "arn:aws-us-gov:ssm:", "arn:aws-cn:ssm:"), otherwise a Secrets Manager secret id (name or ARN). The stored value
 * is the URL itself or JSON with a "url" or "webhookUrl" member.
 *
 * <p>The URL must be https on a Slack webhook host, or on a host that {@code SLACK_WEBHOOK_HOSTS} (a comma-separated
 * allow-list that replaces the default) names; plain http only to a loopback host that the list names.
 *
 * <p>The read takes the SDK's usual call timeout cut to the invocation's time left, and is not started with less
 * than {@link #LEAST_READ_TIME} left.
 */
public final class SlackWebhook {
    static final String HOSTS_VARIABLE = "SLACK_WEBHOOK_HOSTS";
    /** Slack's webhook host, and GovSlack's. */
    static final List<String> DEFAULT_HOSTS = List.of("hooks.slack.com", "hooks.slack-gov.com");
    private static final Pattern SSM_ARN = Pattern.compile("^arn:aws(-cn|-us-gov)?:ssm:");
    /** The least time worth starting the read with. */
    static final Duration LEAST_READ_TIME = Duration.ofMillis(500);

    private final String reference;
    private final SecretsManagerClient secrets;
    private final SsmClient ssm;
    private final List<String> allowedHosts;
    private volatile URI cached;
    /** The failure of a read made ahead ({@link #prefetch}), for the first post of the same invocation only; or null. */
    private DeliveryException prefetchFailure;
    /** The invocation's deadline that read was made in. */
    private InvocationDeadline prefetchedIn;

    /** With the hosts that {@code SLACK_WEBHOOK_HOSTS} names in this process's environment, or Slack's own. */
    public SlackWebhook(String reference, SecretsManagerClient secrets, SsmClient ssm) {
        this(reference, secrets, ssm, Settings.fromEnvironment().list(HOSTS_VARIABLE));
    }

    /** @param allowedHosts the hosts the URL may name; empty for {@link #DEFAULT_HOSTS} */
    SlackWebhook(String reference, SecretsManagerClient secrets, SsmClient ssm, List<String> allowedHosts) {
        this.reference = reference;
        this.secrets = secrets;
        this.ssm = ssm;
        this.allowedHosts = (allowedHosts.isEmpty() ? DEFAULT_HOSTS : allowedHosts).stream()
                .map(host -> host.trim().toLowerCase(Locale.ROOT)).toList();
    }

    public static boolean isParameter(String reference) {
        return reference.startsWith("/") || SSM_ARN.matcher(reference).find();
    }

    /**
     * The URL, read within {@code deadline} the first time. One read at a time: a post waits for a read made ahead
     * ({@link #prefetch}) and takes its outcome, its failure too, so that an invocation reads no more often than before.
     */
    public synchronized URI url(InvocationDeadline deadline) throws DeliveryException {
        if (prefetchFailure != null) {
            DeliveryException failure = prefetchFailure;
            boolean sameInvocation = prefetchedIn == deadline;
            prefetchFailure = null;
            prefetchedIn = null;
            if (sameInvocation) {
                throw failure;
            }
        }
        URI url = cached;
        if (url == null) {
            url = parse(fetch(deadline));
            cached = url;
        }
        return url;
    }

    /**
     * Reads the URL ahead of the first post of the invocation whose deadline this is; a failure is kept for that post
     * (which reports it as its own) and dropped by any later one: a failed read is never cached beyond it.
     */
    public synchronized void prefetch(InvocationDeadline deadline) {
        if (cached != null) {
            return;
        }
        try {
            url(deadline);
        } catch (DeliveryException e) {
            prefetchFailure = e;
            prefetchedIn = deadline;
        }
    }

    /** The URL, read without a deadline of its own (SnapStart priming, tests): the SDK's call timeout bounds it. */
    public URI url() throws DeliveryException {
        return url(InvocationDeadline.unbounded());
    }

    /** Drops the cached URL, after Slack said it is gone (403, 404, 410), so that a rotated secret is read again. */
    public void forget() {
        cached = null;
    }

    private String fetch(InvocationDeadline deadline) throws DeliveryException {
        if (!deadline.allows(LEAST_READ_TIME)) {
            throw new DeliveryException("cannot read the Slack webhook from " + describe() + ": no time left in the invocation");
        }
        Duration timeout = deadline.cap(AwsClients.API_CALL_TIMEOUT);
        try {
            if (isParameter(reference)) {
                return ssm.getParameter(request -> request.name(reference).withDecryption(true)
                        .overrideConfiguration(o -> o.apiCallTimeout(timeout))).parameter().value();
            }
            return secrets.getSecretValue(request -> request.secretId(reference)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout))).secretString();
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
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            uri = null; // the value is not printed, it may be a secret
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri == null || uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || !("https".equals(scheme) || ("http".equals(scheme) && isLoopback(host)))) {
            throw new DeliveryException("the value stored in " + describe()
                    + " is not an https webhook URL (expected the URL itself or JSON {\"url\": ...})");
        }
        // A user part ("https://hooks.slack.com@elsewhere/") is how a URL hides its real host from a reader.
        if (!allowedHosts.contains(host) || uri.getRawUserInfo() != null) {
            throw new DeliveryException("the webhook URL stored in " + describe() + " names a host that is not allowed"
                    + " (allowed: " + String.join(", ", allowedHosts) + "; " + HOSTS_VARIABLE
                    + " changes the list; the URL is not shown)");
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        return "localhost".equals(host) || host.startsWith("127.") || "[::1]".equals(host);
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

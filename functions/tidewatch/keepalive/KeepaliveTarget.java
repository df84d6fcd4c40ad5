package tidewatch.keepalive;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import tidewatch.config.ConfigurationException;

/**
 * One datacenter host to send traffic to, parsed from an item of {@code KEEPALIVE_TARGETS}: {@code host:port} is a
 * TCP connect, an {@code http://} or {@code https://} URL is an HTTP GET. Parsing is pure (no DNS lookup), so a typo
 * fails at init with a {@link ConfigurationException} naming the setting and the item.
 */
sealed interface KeepaliveTarget permits KeepaliveTarget.Tcp, KeepaliveTarget.Http {
    String SETTING = "KEEPALIVE_TARGETS";

    /** The target as written in the setting: the metric dimension and the name in logs. */
    String written();

    String host();

    int port();

    /** A TCP connect to host:port; the handshake alone is the traffic. */
    record Tcp(String written, String host, int port) implements KeepaliveTarget {}

    /** An HTTP/1.1 GET of {@code pathAndQuery}, over TLS when {@code tls}. */
    record Http(String written, String host, int port, boolean tls, String pathAndQuery) implements KeepaliveTarget {
        /** The Host header: the port only when it is not the scheme's default, IPv6 literals in brackets. */
        public String hostHeader() {
            String name = host.contains(":") ? "[" + host + "]" : host;
            return port == (tls ? 443 : 80) ? name : name + ":" + port;
        }
    }

    static KeepaliveTarget parse(String item) {
        String text = item.trim();
        int scheme = text.indexOf("://");
        return scheme >= 0 ? parseUrl(text, text.substring(0, scheme).toLowerCase(Locale.ROOT)) : parseHostPort(text);
    }

    private static KeepaliveTarget parseHostPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(text, "expected host:port (a port is required) or an http:// or https:// URL");
        }
        String host = text.substring(0, colon);
        int port = port(text, text.substring(colon + 1));
        if (host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            if (!literal.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?")) {
                throw invalid(text, "expected an IPv6 address between the brackets");
            }
            return new Tcp(text, literal, port);
        }
        if (host.contains(":")) {
            throw invalid(text, "write an IPv6 address in brackets, such as [fd00::5]:443");
        }
        // Names and IPv4 literals; underscores are allowed because internal DNS zones use them.
        if (!host.matches("[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?")) {
            throw invalid(text, "expected a host name or IP address before the port");
        }
        return new Tcp(text, host, port);
    }

    private static KeepaliveTarget parseUrl(String text, String scheme) {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(text, "unsupported scheme '" + scheme + "': expected http or https (or host:port for a TCP connect)");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, "not a valid URL (" + e.getReason() + ")");
        }
        if (uri.getRawUserInfo() != null) {
            // The target becomes a metric dimension and a log field, so a password in it must never be echoed.
            String redacted = text.replace(uri.getRawUserInfo() + "@", "");
            throw new ConfigurationException(SETTING + "='" + redacted + "' (credentials removed): "
                    + "credentials in a keepalive URL are not supported");
        }
        if (uri.getHost() == null) {
            throw invalid(text, "the URL has no valid host (or its port is not a number)");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : port(text, String.valueOf(uri.getPort()));
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Http(text, host, port, tls, pathAndQuery);
    }

    private static int port(String text, String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 5) {
            throw invalid(text, "the port '" + digits + "' is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw invalid(text, "the port " + port + " is out of range 1 to 65535");
        }
        return port;
    }

    private static ConfigurationException invalid(String text, String reason) {
        return new ConfigurationException(SETTING + " item '" + text + "': " + reason);
    }
}

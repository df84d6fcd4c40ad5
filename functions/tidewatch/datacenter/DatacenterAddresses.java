package tidewatch.datacenter;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tidewatch.config.ConfigurationException;

/**
 * Where the datacenter is, as far as a log line can show it: the datacenter's CIDR block (DATACENTER_CIDR) and its
 * host names (DATACENTER_HOSTS). {@link #connectionFailure} finds the line of a container's log that shows a
 * connection to one of them failing: the evidence that links a crash to the VPN.
 */
public record DatacenterAddresses(long network, int prefixLength, String cidr, List<String> hosts) {
    /** Only this much of a line is read: the words that matter come first, and a hostile line may be long. */
    private static final int MAX_SCANNED = 2_000;
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern IPV4_AND_PORT = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?::(\\d{1,5}))?(?![\\d.])");
    private static final Pattern PORT_AFTER_HOST = Pattern.compile("^[:,] ?(\\d{1,5})");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");

    /** The failure kinds, each with the words that show it (Node, SQL Server drivers, JDBC, curl), in people's words. */
    private enum Kind {
        TIMEOUT("a connection timeout", Pattern.compile("(?i)etimedout|timed? ?out|timeout|in \\d+ ?ms")),
        REFUSED("a refused connection", Pattern.compile("(?i)econnrefused|connection refused|refused")),
        UNREACHABLE("an unreachable host", Pattern.compile("(?i)ehostunreach|enetunreach|no route to host|unreachable")),
        FAILED("a failed connection", Pattern.compile("(?i)failed to connect|could not connect|unable to connect|connection (?:error|failed|reset)|econnreset"));

        final String words;
        final Pattern shows;

        Kind(String words, Pattern shows) {
            this.words = words;
            this.shows = shows;
        }
    }

    public DatacenterAddresses {
        hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * @param cidr  "10.20.0.0/16"; empty for none
     * @param hosts host names such as "sql01.city.local"
     */
    public static DatacenterAddresses parse(String cidr, List<String> hosts) {
        for (String host : hosts) {
            if (!HOST_NAME.matcher(host).matches()) {
                throw new ConfigurationException("DATACENTER_HOSTS: '" + host + "' is not a host name");
            }
        }
        if (cidr == null || cidr.isBlank()) {
            return new DatacenterAddresses(0, -1, "", hosts);
        }
        Matcher m = CIDR.matcher(cidr.trim());
        Long network = m.matches() ? ipv4(m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4)) : null;
        int bits = m.matches() ? Integer.parseInt(m.group(5)) : -1;
        if (network == null || bits > 32) {
            throw new ConfigurationException("DATACENTER_CIDR: '" + cidr + "' is not an IPv4 CIDR block such as 10.20.0.0/16");
        }
        return new DatacenterAddresses(network & mask(bits), bits, cidr.trim(), hosts);
    }

    public boolean contains(String ip) {
        Long value = ipv4(ip);
        return prefixLength >= 0 && value != null && (value & mask(prefixLength)) == network;
    }

    /**
     * The first line that shows a connection to the datacenter failing, in people's words: "a connection timeout to
     * 10.20.1.5:1433". Empty when no line does (or nothing is known of where the datacenter is).
     */
    public Optional<String> connectionFailure(List<String> lines) {
        for (String whole : lines) {
            String line = whole.length() > MAX_SCANNED ? whole.substring(0, MAX_SCANNED) : whole;
            String address = datacenterAddress(line);
            if (address == null) {
                continue;
            }
            for (Kind kind : Kind.values()) {
                if (kind.shows.matcher(line).find()) {
                    return Optional.of(kind.words + " to " + address);
                }
            }
        }
        return Optional.empty();
    }

    private String datacenterAddress(String line) {
        Matcher ip = IPV4_AND_PORT.matcher(line);
        while (ip.find()) {
            if (contains(ip.group(1))) {
                return ip.group(2) == null ? ip.group(1) : ip.group(1) + ":" + ip.group(2);
            }
        }
        String lower = line.toLowerCase(Locale.ROOT);
        for (String host : hosts) {
            int at = lower.indexOf(host);
            while (at >= 0) {
                int end = at + host.length();
                boolean bounded = (at == 0 || !isHostChar(lower.charAt(at - 1))) && (end == lower.length() || !isHostChar(lower.charAt(end)));
                if (bounded) {
                    Matcher port = PORT_AFTER_HOST.matcher(lower.substring(end, Math.min(lower.length(), end + 8)));
                    return port.find() ? host + ":" + port.group(1) : host;
                }
                at = lower.indexOf(host, at + 1);
            }
        }
        return null;
    }

    private static boolean isHostChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '.';
    }

    private static long mask(int bits) {
        return bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    }

    private static Long ipv4(String address) {
        String[] octets = address.split("\\.");
        if (octets.length != 4) {
            return null;
        }
        long value = 0;
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit) || Integer.parseInt(octet) > 255) {
                return null;
            }
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }
}

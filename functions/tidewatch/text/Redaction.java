package tidewatch.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Masks credentials in text that comes from outside (container log lines, stop reasons, alarm descriptions, HTTP
 * answers) before anyone is told about it. Only the secret part becomes {@value #MASK}: the line stays, because people
 * still need the evidence around it.
 *
 * <p>Every rule starts at a literal and uses bounded, possessive quantifiers, so the work is linear in the text even
 * when the text is hostile (no backtracking that grows with the input).
 */
public final class Redaction {
    public static final String MASK = "****";
    private static final String BEGIN_KEY = "-----BEGIN ";
    private static final String END_KEY = "-----END ";
    private static final String KEY_TAIL = "PRIVATE KEY-----";
    /** "-----BEGIN ENCRYPTED PRIVATE KEY-----" and its kin are shorter than this. */
    private static final int MARKER_MAX = 48;

    private static final List<Rule> RULES = List.of(
            // AWS access key ids: long-term (AKIA), temporary (ASIA) and the other documented prefixes.
            new Rule(true, "(?<![A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])",
                    List.of("AKIA", "ASIA", "ABIA", "ACCA"), (text, m) -> group(text, m, 1) + MASK),
            // Slack webhook paths, the webhook's secret: hooks.slack.com/services/T/B/token and workflow triggers.
            new Rule(false, "(hooks\\.slack(?:-gov)?\\.com/(?:services|workflows|triggers)/)[a-z0-9_/-]{1,512}+",
                    List.of("hooks.slack"), (text, m) -> group(text, m, 1) + MASK),
            // user:password@ in any URI (postgres://app:pw@db); the user name stays.
            new Rule(false, "(://[^\\s/@:]{0,256}+:)[^\\s/@]{1,512}+@",
                    List.of("://"), (text, m) -> group(text, m, 1) + MASK + "@"),
            new Rule(false, "(?<![a-z0-9])(xox[abposre]|xapp)-[a-z0-9-]{1,512}+",
                    List.of("xox", "xapp"), (text, m) -> group(text, m, 1) + "-" + MASK),
            new Rule(false, "(?<![a-z0-9])(bearer\\s{1,8}+)[a-z0-9._~+/=-]{1,4096}+",
                    List.of("bearer"), (text, m) -> group(text, m, 1) + MASK),
            new Rule(false, "(?<![a-z0-9])(basic\\s{1,8}+)([a-z0-9+/]{8,4096}+={0,2}+)", List.of("basic"),
                    (text, m) -> looksLikeCredential(group(text, m, 2)) ? group(text, m, 1) + MASK : group(text, m, 0)),
            // password=..., aws_secret_access_key = ..., "SessionToken": "...": a key word, up to 30 more name
            // characters, then the value (quoted or up to a separator).
            new Rule(false, "((?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"
                    + "[a-z0-9_.-]{0,30}+(?:\"\\s{0,8}+:|'\\s{0,8}+:|\\s{0,8}+=)\\s{0,8}+)"
                    + "(\"(?:[^\"\\\\\\n]|\\\\.){0,4096}+\"|'[^'\\n]{0,4096}+'|[^\\s\"',;&]{1,4096}+)",
                    List.of("password", "passwd", "passphrase", "secret", "token", "api", "access", "private"),
                    (text, m) -> group(text, m, 1) + quoted(group(text, m, 2))));

    /**
     * One kind of secret. The pattern is tried only where one of its literal triggers occurs (found with
     * {@link String#indexOf}, which is fast), and unless case-sensitive it runs on an ASCII-lowered copy of the text.
     */
    private record Rule(boolean caseSensitive, Pattern pattern, List<String> triggers, BiFunction<String, Matcher, String> mask) {
        Rule(boolean caseSensitive, String regex, List<String> triggers, BiFunction<String, Matcher, String> mask) {
            this(caseSensitive, Pattern.compile(regex), triggers, mask);
        }
    }

    private Redaction() {}

    /** The text with every credential masked; null becomes "". */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = privateKeyBodies(text);
        String lowered = asciiLower(out);
        for (Rule rule : RULES) {
            String masked = apply(rule, out, rule.caseSensitive() ? out : lowered);
            if (!masked.equals(out)) {
                out = masked;
                lowered = asciiLower(out);
            }
        }
        return out;
    }

    private static String apply(Rule rule, String text, String subject) {
        int[] starts = rule.triggers().stream()
                .flatMapToInt(trigger -> occurrences(subject, trigger)).sorted().toArray();
        if (starts.length == 0) {
            return text;
        }
        Matcher matcher = rule.pattern().matcher(subject).useTransparentBounds(true).useAnchoringBounds(false);
        StringBuilder out = null;
        int copied = 0;
        for (int start : starts) {
            if (start < copied || !matcher.region(start, subject.length()).lookingAt()) {
                continue;
            }
            out = out == null ? new StringBuilder(text.length()) : out;
            out.append(text, copied, start).append(rule.mask().apply(text, matcher));
            copied = matcher.end();
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static IntStream occurrences(String text, String literal) {
        IntStream.Builder found = IntStream.builder();
        for (int at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1)) {
            found.add(at);
        }
        return found.build();
    }

    /** A group of the match, taken from the original text (the lowered copy has the same indices). */
    private static String group(String text, Matcher matcher, int group) {
        return text.substring(matcher.start(group), matcher.end(group));
    }

    /** Lowers A-Z only, so every index stays where it was (Unicode lowering can change the length). */
    private static String asciiLower(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 'a' - 'A';
            }
        }
        return new String(chars);
    }

    /**
     * Lines of one log: as {@link #redact} each, and a private key spread over several lines (as a log shows it) is
     * masked line by line between its BEGIN and END markers, also when only its end is in view.
     */
    public static List<String> redactLines(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        boolean inKey = false;
        for (String line : lines) {
            String text = line == null ? "" : line;
            boolean begins = isKeyMarker(text, BEGIN_KEY);
            boolean ends = isKeyMarker(text, END_KEY);
            if (ends && !inKey && !begins) {
                maskKeyBodyAbove(out);
            }
            if (inKey && !ends && !begins) {
                out.add(MASK);
                continue;
            }
            out.add(redact(text));
            if (begins && !ends) {
                inKey = true;
            } else if (ends) {
                inKey = false;
            }
        }
        return out;
    }

    /** The END marker came without its BEGIN in view: the base64 lines just above it are the key. */
    private static void maskKeyBodyAbove(List<String> out) {
        for (int i = out.size() - 1; i >= 0 && isBase64Line(out.get(i)); i--) {
            out.set(i, MASK);
        }
    }

    private static boolean isBase64Line(String line) {
        String text = line.strip();
        if (text.length() < 16) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '+' && c != '/' && c != '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isKeyMarker(String text, String marker) {
        int at = text.indexOf(marker);
        return at >= 0 && tailNear(text, at) >= 0;
    }

    /** Masks what lies between "-----BEGIN ... PRIVATE KEY-----" and its END marker (or the end of the text). */
    private static String privateKeyBodies(String text) {
        int begin = text.indexOf(BEGIN_KEY);
        if (begin < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        while (begin >= 0) {
            int tail = tailNear(text, begin);
            if (tail < 0) { // a certificate or other block: not a secret
                begin = text.indexOf(BEGIN_KEY, begin + 1);
                continue;
            }
            int bodyStart = tail + KEY_TAIL.length();
            int end = text.indexOf(END_KEY, bodyStart);
            int bodyEnd = end < 0 ? text.length() : end;
            out.append(text, copied, bodyStart).append(bodyEnd > bodyStart ? MASK : "");
            copied = bodyEnd;
            int endTail = end < 0 ? -1 : tailNear(text, end);
            if (endTail >= 0) {
                out.append(text, copied, endTail + KEY_TAIL.length());
                copied = endTail + KEY_TAIL.length();
            }
            begin = end < 0 ? -1 : text.indexOf(BEGIN_KEY, copied);
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Where "PRIVATE KEY-----" ends a marker that starts at {@code marker}: within a marker's length, or -1. */
    private static int tailNear(String text, int marker) {
        int last = Math.min(text.length() - KEY_TAIL.length(), marker + MARKER_MAX);
        for (int i = marker; i <= last; i++) {
            if (text.startsWith(KEY_TAIL, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Basic credentials are base64 of "user:password"; the English word after "basic" is not. */
    private static boolean looksLikeCredential(String value) {
        boolean digitOrSymbol = value.chars().anyMatch(c -> Character.isDigit(c) || c == '+' || c == '/' || c == '=');
        boolean upperInside = value.substring(1).chars().anyMatch(Character::isUpperCase);
        boolean lower = value.chars().anyMatch(Character::isLowerCase);
        return digitOrSymbol || (value.length() % 4 == 0 && upperInside && lower);
    }

    /** The mask keeps the value's quotes, so JSON stays JSON. */
    private static String quoted(String value) {
        char first = value.charAt(0);
        if ((first == '"' || first == '\'') && value.length() >= 2) {
            return first + MASK + first;
        }
        return MASK;
    }
}

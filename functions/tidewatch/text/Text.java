package tidewatch.text;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Making untrusted text safe and short: terminal escapes and control characters out, length bounded. */
public final class Text {
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\n\t]]|[\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]");
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");
    private static final Pattern COMBINING_MARK = Pattern.compile("\\p{M}");

    private Text() {}

    /** Removes terminal colour codes, bidi overrides and control characters other than newline and tab. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        if (isClean(text)) { // the usual case: no regex work on the warm path
            return text;
        }
        String withoutEscapes = ANSI_ESCAPE.matcher(text).replaceAll("");
        return CONTROL.matcher(withoutEscapes).replaceAll("");
    }

    /** One line: newlines and tabs become spaces, runs of spaces collapse. */
    public static String oneLine(String text) {
        String clean = clean(text);
        return isOneLine(clean) ? clean : WHITESPACE_RUN.matcher(clean).replaceAll(" ").trim();
    }

    /** No character that {@link #clean} would remove: controls other than newline and tab, ESC, bidi controls. */
    private static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F)
                    || c == '\u2028' || c == '\u2029' || c == '\u200E' || c == '\u200F'
                    || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return false;
            }
        }
        return true;
    }

    /** Already one line: no whitespace but single spaces between words. */
    private static boolean isOneLine(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = c == ' ';
            if (c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r'
                    || (space && (i == 0 || i == text.length() - 1 || text.charAt(i - 1) == ' '))) {
                return false;
            }
        }
        return true;
    }

    /** Cuts to at most max characters, marking the cut with an ellipsis; never splits a surrogate pair. */
    public static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "\u2026";
    }

    /** Printable ASCII only (accents dropped, anything else '?'), for protocols that demand it such as SNS subjects. */
    public static String ascii(String text) {
        String decomposed = COMBINING_MARK.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7F ? (char) cp : '?'));
        return out.toString();
    }
}

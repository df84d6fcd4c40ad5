package tidewatch.notify;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Making untrusted text safe and short: terminal escapes and control characters out, length bounded. */
public final class Text {
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\n\t]]|[\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]");

    private Text() {}

    /** Removes terminal colour codes, bidi overrides and control characters other than newline and tab. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        String withoutEscapes = ANSI_ESCAPE.matcher(text).replaceAll("");
        return CONTROL.matcher(withoutEscapes).replaceAll("");
    }

    /** One line: newlines and tabs become spaces, runs of spaces collapse. */
    public static String oneLine(String text) {
        return clean(text).replaceAll("\\s+", " ").trim();
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
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> out.append(cp >= 0x20 && cp < 0x7F ? (char) cp : '?'));
        return out.toString();
    }
}

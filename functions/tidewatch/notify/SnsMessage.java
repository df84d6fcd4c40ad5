package tidewatch.notify;

import java.util.ArrayList;
import java.util.List;
import tidewatch.text.Text;

/**
 * Renders a {@link Message} for SNS: a subject that email and SMS subscribers see (ASCII, one line, under 100
 * characters, as SNS requires) and a readable plain-text body. Severity and source travel as message attributes.
 */
public record SnsMessage(String subject, String body, String severity, String source) {
    static final int SUBJECT_MAX = 99;
    static final int EVIDENCE_MAX_CHARS = 8_000;
    static final int BODY_MAX_CHARS = 60_000;
    /** SNS takes 256 KiB per message, attributes included: ours are a few short strings. */
    static final int BODY_MAX_BYTES = 256 * 1024 - 4 * 1024;

    public static SnsMessage render(Message message) {
        String subject = Text.ascii(Text.oneLine("[" + message.severity().wireName().toUpperCase() + "] " + message.title()));
        if (subject.length() > SUBJECT_MAX) {
            subject = subject.substring(0, SUBJECT_MAX - 3) + "...";
        }

        StringBuilder body = new StringBuilder();
        body.append(message.severity().wireName().toUpperCase()).append(": ").append(Text.oneLine(message.title())).append("\n\n");
        if (!message.summary().isBlank()) {
            body.append(Text.clean(message.summary())).append("\n\n");
        }
        for (Message.Field field : message.fields()) {
            body.append(Text.oneLine(field.name())).append(": ").append(indentContinuation(Text.clean(field.value()))).append('\n');
        }
        if (!message.links().isEmpty()) {
            body.append("\nLinks:\n");
            for (Message.Link link : message.links()) {
                body.append("- ").append(Text.oneLine(link.label())).append(": ").append(Text.oneLine(link.url())).append('\n');
            }
        }
        if (message.evidence() != null && !message.evidence().lines().isEmpty()) {
            body.append('\n').append(Text.oneLine(message.evidence().title())).append(":\n");
            for (String line : lastLinesWithin(message.evidence().lines(), EVIDENCE_MAX_CHARS)) {
                body.append("    ").append(line).append('\n');
            }
        }
        body.append("\n--\nTidewatch (").append(Text.oneLine(message.source())).append(") key: ").append(Text.oneLine(message.key())).append('\n');
        return new SnsMessage(subject, truncateUtf8(Text.truncate(body.toString(), BODY_MAX_CHARS), BODY_MAX_BYTES),
                message.severity().wireName(), message.source());
    }

    /** Cuts to at most maxBytes in UTF-8, at a code point, with an ellipsis (3 bytes) marking the cut. */
    static String truncateUtf8(String text, int maxBytes) {
        int bytes = 0;
        int ellipsisAt = -1;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes - 3 && ellipsisAt < 0) {
                ellipsisAt = i;
            }
            bytes += size;
            if (bytes > maxBytes) {
                return text.substring(0, ellipsisAt) + "\u2026";
            }
            i += Character.charCount(codePoint);
        }
        return text;
    }

    private static String indentContinuation(String value) {
        return value.replace("\n", "\n    ");
    }

    private static List<String> lastLinesWithin(List<String> lines, int maxChars) {
        List<String> kept = new ArrayList<>();
        int used = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = Text.oneLine(lines.get(i));
            if (used + line.length() > maxChars) {
                int omitted = i + 1;
                if (kept.isEmpty()) {
                    kept.add(Text.truncate(line, maxChars));
                    omitted--;
                }
                if (omitted > 0) {
                    kept.add(0, "(" + omitted + " earlier lines not shown)");
                }
                break;
            }
            kept.add(0, line);
            used += line.length() + 1;
        }
        return kept;
    }
}

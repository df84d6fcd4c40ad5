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
        return new SnsMessage(subject, Text.truncate(body.toString(), BODY_MAX_CHARS),
                message.severity().wireName(), message.source());
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

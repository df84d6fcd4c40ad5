package tidewatch.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.json.Json;
import tidewatch.text.Text;

/**
 * Renders a {@link Message} as a Slack incoming-webhook body: Block Kit blocks plus a plain {@code text} fallback for
 * notifications. Every untrusted string is escaped ({@code & < >}) so it can never form a mention such as
 * {@code <!channel>} or a link, and every block stays inside Slack's documented size limits.
 */
public final class SlackMessage {
    // Slack Block Kit limits (api.slack.com/reference/block-kit/blocks).
    static final int HEADER_MAX = 150;
    static final int SECTION_TEXT_MAX = 3000;
    static final int FIELD_TEXT_MAX = 2000;
    static final int FIELDS_PER_SECTION = 10;
    static final int BUTTON_TEXT_MAX = 75;
    static final int BUTTON_URL_MAX = 3000;
    static final int BUTTONS_PER_ACTIONS = 25;
    static final int FALLBACK_TEXT_MAX = 3000;
    static final int BLOCKS_MAX = 50;
    static final int CONTEXT_TEXT_MAX = 3000;
    /** An evidence title longer than this would squeeze out the evidence itself. */
    static final int EVIDENCE_TITLE_MAX = 200;
    private static final String CODE_FENCE = "```";

    private SlackMessage() {}

    public static String render(Message message) {
        return render(message, null);
    }

    /** @param mention put first in a critical message's text and first section ({@link SlackMention}); null for none */
    public static String render(Message message, SlackMention mention) {
        return Json.write(body(message, mention));
    }

    static Map<String, Object> body(Message message) {
        return body(message, null);
    }

    static Map<String, Object> body(Message message, SlackMention mention) {
        List<Object> blocks = new ArrayList<>();
        Severity severity = message.severity();
        blocks.add(Map.of("type", "header", "text", plain(
                Text.truncate(Text.oneLine(message.title()), HEADER_MAX - severity.slackEmoji().length() - 1), severity)));
        String summary = "*" + severity.wireName().toUpperCase() + "*"
                + (message.summary().isBlank() ? "" : "  " + escape(Text.clean(message.summary())));
        // The mention is the one unescaped text: it comes from the setting, validated at init, never from an event.
        String mentioned = mention == null ? summary : mention.prefix(severity, summary);
        blocks.add(section(truncateEscaped(mentioned, SECTION_TEXT_MAX)));

        // Header, summary, evidence, actions and context leave the rest of Slack's 50 blocks to field sections.
        blocks.addAll(fieldSections(message.fields(), BLOCKS_MAX - 5));

        if (message.evidence() != null && !message.evidence().lines().isEmpty()) {
            blocks.add(section(evidence(message.evidence())));
        }

        List<Object> buttons = new ArrayList<>();
        for (Message.Link link : message.links()) {
            if (isWebUrl(link.url()) && link.url().length() <= BUTTON_URL_MAX && buttons.size() < BUTTONS_PER_ACTIONS) {
                buttons.add(Map.of("type", "button",
                        "text", Map.of("type", "plain_text", "text", Text.truncate(Text.oneLine(link.label()), BUTTON_TEXT_MAX)),
                        "url", link.url()));
            }
        }
        if (!buttons.isEmpty()) {
            blocks.add(Map.of("type", "actions", "elements", buttons));
        }
        String context = "Tidewatch \u00b7 " + escape(Text.oneLine(message.source())) + " \u00b7 `"
                + truncateEscaped(escape(Text.oneLine(message.key())), CONTEXT_TEXT_MAX - 200) + "`";
        blocks.add(Map.of("type", "context", "elements", List.of(mrkdwn(truncateEscaped(context, CONTEXT_TEXT_MAX)))));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", mention == null ? fallbackText(message) : mention.prefix(severity, fallbackText(message)));
        body.put("blocks", blocks);
        return body;
    }

    /**
     * Ten fields per section in at most {@code maxSections} sections; when more fields come than fit, the last one
     * says how many are not shown.
     */
    private static List<Object> fieldSections(List<Message.Field> fields, int maxSections) {
        int capacity = maxSections * FIELDS_PER_SECTION;
        List<String> texts = new ArrayList<>();
        for (Message.Field field : fields.subList(0, Math.min(fields.size(), capacity))) {
            String text = "*" + escape(Text.oneLine(field.name())) + "*\n" + escape(Text.clean(field.value()));
            texts.add(truncateEscaped(text, FIELD_TEXT_MAX));
        }
        if (fields.size() > capacity) {
            texts.set(capacity - 1, "*\u2026*\n" + (fields.size() - capacity + 1) + " more fields not shown");
        }
        List<Object> sections = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += FIELDS_PER_SECTION) {
            List<Object> elements = new ArrayList<>();
            texts.subList(start, Math.min(texts.size(), start + FIELDS_PER_SECTION)).forEach(t -> elements.add(mrkdwn(t)));
            sections.add(Map.of("type", "section", "fields", elements));
        }
        return sections;
    }

    /** Escapes the three characters Slack treats as control characters in mrkdwn text. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The notification text shown where blocks cannot be (push notifications, screen readers). */
    static String fallbackText(Message message) {
        String text = message.severity().wireName().toUpperCase() + ": " + Text.oneLine(message.title());
        if (!message.summary().isBlank()) {
            text += " - " + Text.oneLine(message.summary());
        }
        return truncateEscaped(escape(text), FALLBACK_TEXT_MAX);
    }

    /**
     * The evidence as a code block holding the last lines that fit: the end of a log is where a crash explains
     * itself. A fence inside the text is broken up so it cannot close the block early.
     */
    static String evidence(Message.Evidence evidence) {
        String heading = "*" + truncateEscaped(escape(Text.oneLine(evidence.title())), EVIDENCE_TITLE_MAX) + "*\n";
        int budget = SECTION_TEXT_MAX - heading.length() - 2 * CODE_FENCE.length() - 2 - 60;
        List<String> lines = evidence.lines();
        List<String> kept = new ArrayList<>();
        int used = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = escape(Text.clean(lines.get(i)).replace(CODE_FENCE, "`\u200b`\u200b`"));
            if (used + line.length() + 1 > budget) {
                if (kept.isEmpty()) {
                    kept.add(0, truncateEscaped(line, budget));
                }
                break;
            }
            kept.add(0, line);
            used += line.length() + 1;
        }
        int omitted = lines.size() - kept.size();
        String note = omitted > 0 ? "(" + omitted + " earlier line" + (omitted == 1 ? "" : "s") + " not shown)\n" : "";
        return heading + note + CODE_FENCE + "\n" + String.join("\n", kept) + "\n" + CODE_FENCE;
    }

    /** Truncates escaped text without cutting an entity such as {@code &amp;} in half. */
    private static String truncateEscaped(String escaped, int max) {
        if (escaped.length() <= max) {
            return escaped;
        }
        String cut = Text.truncate(escaped, max);
        int amp = cut.lastIndexOf('&');
        if (amp >= 0 && cut.indexOf(';', amp) < 0) {
            cut = cut.substring(0, amp) + "\u2026";
        }
        return cut;
    }

    private static boolean isWebUrl(String url) {
        return url.startsWith("https://") || url.startsWith("http://");
    }

    private static Map<String, Object> plain(String text, Severity severity) {
        return Map.of("type", "plain_text", "text", severity.slackEmoji() + " " + text, "emoji", true);
    }

    private static Map<String, Object> mrkdwn(String text) {
        return Map.of("type", "mrkdwn", "text", text);
    }

    private static Map<String, Object> section(String text) {
        return Map.of("type", "section", "text", mrkdwn(text));
    }
}

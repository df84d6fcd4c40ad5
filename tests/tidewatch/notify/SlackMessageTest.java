package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

class SlackMessageTest {

    private static JsonObject rendered(Message message) {
        return Json.parseObject(SlackMessage.render(message), "slack");
    }

    private static List<String> allTexts(Object node) {
        List<String> texts = new ArrayList<>();
        collect(node, texts);
        return texts;
    }

    private static void collect(Object node, List<String> texts) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("text".equals(k) && v instanceof String s) {
                    texts.add(s);
                }
                collect(v, texts);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, texts));
        }
    }

    @Test
    void rendersBlocksWithFallbackSeverityAndLinks() {
        JsonObject body = rendered(Messages.crash("Exit 1", List.of("boom")));
        assertEquals("WARNING: web crashed in prod - Essential container app exited with code 1: Exit 1", body.string("text"));
        List<JsonObject> blocks = body.objects("blocks");
        assertEquals("header", blocks.get(0).string("type"));
        assertEquals(":warning: web crashed in prod", blocks.get(0).object("text").string("text"));
        assertTrue(blocks.get(1).object("text").string("text").startsWith("*WARNING*"));
        assertEquals(List.of("header", "section", "section", "section", "actions", "context"),
                blocks.stream().map(b -> b.string("type")).toList());
        JsonObject button = blocks.get(4).objects("elements").get(0);
        assertEquals("https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/abc", button.string("url"));
    }

    @Test
    void escapesMentionsAndLinksInEveryUntrustedString() {
        String hostile = "<!channel> <@U123> <https://evil.example|click> & more";
        Message message = new Message("title " + hostile, Severity.CRITICAL, hostile,
                List.of(new Message.Field("Reason " + hostile, hostile)), List.of(),
                new Message.Evidence("log " + hostile, List.of(hostile)), "key " + hostile, "ecs");
        String json = SlackMessage.render(message);
        JsonObject body = Json.parseObject(json, "slack");
        for (String text : allTexts(body.asMap())) {
            if (text.startsWith(":rotating_light:")) {
                continue; // the header is plain_text, where Slack parses no mentions or links
            }
            assertFalse(text.contains("<!channel>"), text);
            assertFalse(text.contains("<@U123>"), text);
            assertFalse(text.contains("<https://evil"), text);
            assertFalse(text.matches("(?s).*&(?!amp;|lt;|gt;).*"), "unescaped ampersand in " + text);
        }
        assertTrue(json.contains("&lt;!channel&gt;"));
    }

    @Test
    void evidenceKeepsTheLastLinesWithinTheSectionLimitAndCannotCloseTheCodeBlock() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("line " + i + " " + "x".repeat(40));
        }
        lines.add("``` escaped fence <b>");
        String section = SlackMessage.evidence(new Message.Evidence("Last lines", lines));
        assertTrue(section.length() <= SlackMessage.SECTION_TEXT_MAX, "length " + section.length());
        assertTrue(section.contains("earlier lines not shown"));
        assertTrue(section.contains("line 499"));
        assertFalse(section.contains("line 0 "));
        assertEquals(2, section.split("```", -1).length - 1, "exactly one opening and one closing fence");
        assertTrue(section.contains("&lt;b&gt;"));
    }

    @Test
    void oneHugeLineIsCutWithoutBreakingAnEntity() {
        String section = SlackMessage.evidence(new Message.Evidence("Last", List.of("&".repeat(5000))));
        assertTrue(section.length() <= SlackMessage.SECTION_TEXT_MAX);
        assertFalse(section.matches("(?s).*&(?!amp;).*"), "a cut entity remains");
    }

    @Test
    void everyBlockRespectsSlackLimits() {
        List<Message.Field> fields = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            fields.add(new Message.Field("Field " + i, "v".repeat(5000)));
        }
        Message message = new Message("T".repeat(400), Severity.INFO, "S".repeat(10_000), fields,
                List.of(new Message.Link("L".repeat(200), "https://example.com/" + "p".repeat(100)),
                        new Message.Link("not a web link", "javascript:alert(1)")),
                null, "k", "ecs");
        JsonObject body = rendered(message);
        List<JsonObject> blocks = body.objects("blocks");
        assertTrue(blocks.get(0).object("text").string("text").length() <= SlackMessage.HEADER_MAX);
        assertTrue(blocks.get(1).object("text").string("text").length() <= SlackMessage.SECTION_TEXT_MAX);
        List<JsonObject> fieldSections = blocks.stream().filter(b -> b.has("fields")).toList();
        assertEquals(3, fieldSections.size());
        for (JsonObject section : fieldSections) {
            assertTrue(section.objects("fields").size() <= SlackMessage.FIELDS_PER_SECTION);
            section.objects("fields").forEach(f -> assertTrue(f.string("text").length() <= SlackMessage.FIELD_TEXT_MAX));
        }
        JsonObject actions = blocks.stream().filter(b -> "actions".equals(b.string("type"))).findFirst().orElseThrow();
        assertEquals(1, actions.objects("elements").size(), "the javascript: link is dropped");
        assertTrue(actions.objects("elements").get(0).object("text").string("text").length() <= SlackMessage.BUTTON_TEXT_MAX);
        assertTrue(body.string("text").length() <= SlackMessage.FALLBACK_TEXT_MAX * 6 / 5);
    }

    @Test
    void controlCharactersAndTerminalColoursAreRemoved() {
        Message message = Messages.crash("\u001B[31mred\u001B[0m\u0000bell\u0007 \u202Eevil", List.of("\u001B[1mbold\u001B[0m"));
        String json = SlackMessage.render(message);
        assertFalse(json.contains("\\u001B") || json.contains("\\u001b"), json);
        assertFalse(json.contains("\\u0000") || json.contains("\\u0007") || json.contains("\u202E"));
        assertTrue(json.contains("redbell evil"));
    }

    private static List<String> mrkdwnTexts(Object node) {
        List<String> texts = new ArrayList<>();
        if (node instanceof Map<?, ?> map) {
            if ("mrkdwn".equals(map.get("type")) && map.get("text") instanceof String text) {
                texts.add(text);
            }
            map.values().forEach(value -> texts.addAll(mrkdwnTexts(value)));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> texts.addAll(mrkdwnTexts(item)));
        }
        return texts;
    }

    /** Every text object of a rendered body: header, sections, fields, buttons, context. */
    private static void assertWithinSlackLimits(Message message) {
        JsonObject body = rendered(message);
        List<JsonObject> blocks = body.objects("blocks");
        assertTrue(blocks.size() <= SlackMessage.BLOCKS_MAX, blocks.size() + " blocks");
        assertTrue(blocks.get(0).object("text").string("text").length() <= SlackMessage.HEADER_MAX);
        for (String text : allTexts(body.asMap())) {
            assertTrue(text.length() <= SlackMessage.SECTION_TEXT_MAX, "a text of " + text.length());
            // plain_text (the header, button labels) is not escaped; mrkdwn is, and a cut must not split an entity
            assertTrue(!mrkdwnTexts(body.asMap()).contains(text) || !text.matches("(?s).*&(?!amp;|lt;|gt;).*"),
                    "a cut entity in " + text);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean paired = Character.isHighSurrogate(c)
                        ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                        : !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
                assertTrue(paired, "a split surrogate pair at " + i);
            }
        }
        assertTrue(body.string("text").length() <= SlackMessage.FALLBACK_TEXT_MAX, "top-level text " + body.string("text").length());
    }

    @Test
    void aFiveThousandCharacterAlarmNameKeepsEveryTextObjectInsideItsLimit() {
        String name = "vpn-tunnel-down-" + "a".repeat(5000);
        Message message = new Message("ALARM " + name, Severity.CRITICAL, "Alarm " + name + " is in ALARM",
                List.of(new Message.Field("Alarm", name)), List.of(), new Message.Evidence(name, List.of(name)),
                "vpn-alarm/" + name, "vpn-alarm");
        assertWithinSlackLimits(message);
        String context = rendered(message).objects("blocks").stream().filter(b -> "context".equals(b.string("type")))
                .findFirst().orElseThrow().objects("elements").get(0).string("text");
        assertTrue(context.startsWith("Tidewatch \u00b7 vpn-alarm \u00b7 `vpn-alarm/vpn-tunnel-down-aaa"), context);
        assertTrue(context.contains("\u2026"), "the cut is visible");
    }

    @Test
    void aLongEvidenceTitleNeverThrowsAndLeavesRoomForTheLines() {
        for (int length : new int[] {0, 1, 199, 200, 2_900, 2_990, 3_000, 5_000, 20_000}) {
            String section = SlackMessage.evidence(new Message.Evidence("t".repeat(length), List.of("x".repeat(4000), "last")));
            assertTrue(section.length() <= SlackMessage.SECTION_TEXT_MAX, length + ": " + section.length());
            assertTrue(section.contains("last"), "title of " + length);
        }
    }

    @Test
    void fiveHundredEvidenceLinesAndFieldsStayInsideFiftyBlocks() {
        List<String> lines = new ArrayList<>();
        List<Message.Field> fields = new ArrayList<>();
        List<Message.Link> links = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("line " + i + " <&> " + "\uD83D\uDE00".repeat(i % 7));
            fields.add(new Message.Field("Tunnel " + i, "203.0.113." + (i % 250) + " DOWN"));
            links.add(new Message.Link("Tunnel " + i, "https://console.aws.amazon.com/vpc/home#" + i));
        }
        Message message = new Message("T", Severity.WARNING, "S", fields, links, new Message.Evidence("Lines", lines), "k", "vpn-alarm");
        assertWithinSlackLimits(message);
        List<JsonObject> blocks = rendered(message).objects("blocks");
        assertEquals(SlackMessage.BLOCKS_MAX, blocks.size());
        List<JsonObject> fieldSections = blocks.stream().filter(b -> b.has("fields")).toList();
        List<JsonObject> lastFields = fieldSections.get(fieldSections.size() - 1).objects("fields");
        int shown = (fieldSections.size() * SlackMessage.FIELDS_PER_SECTION) - 1;
        assertEquals("*\u2026*\n" + (500 - shown) + " more fields not shown", lastFields.get(lastFields.size() - 1).string("text"));
        assertEquals("*Tunnel " + (shown - 1) + "*\n203.0.113." + ((shown - 1) % 250) + " DOWN",
                lastFields.get(lastFields.size() - 2).string("text"));
    }

    @Test
    void emojiAndEntitiesAtEveryCutPointAreCutWhole() {
        for (int shift = 0; shift < 8; shift++) {
            String hostile = "x".repeat(shift) + "\uD83D\uDE80&<>".repeat(2_000);
            assertWithinSlackLimits(new Message(hostile, Severity.INFO, hostile, List.of(new Message.Field(hostile, hostile)),
                    List.of(new Message.Link(hostile, "https://example.com/")), new Message.Evidence(hostile, List.of(hostile)),
                    hostile, hostile));
        }
    }

    @Test
    void topLevelTextIsBoundedAfterEscaping() {
        String ampersands = "&".repeat(5_000);
        String text = SlackMessage.fallbackText(new Message(ampersands, Severity.INFO, ampersands, null, null, null, "k", "ecs"));
        assertTrue(text.length() <= SlackMessage.FALLBACK_TEXT_MAX, "length " + text.length());
        assertTrue(text.startsWith("INFO: &amp;&amp;") && text.endsWith("&amp;\u2026"), text.substring(text.length() - 20));
    }

    @Test
    void credentialsInAnyTextAreMaskedBeforeRendering() {
        String secret = "postgres://app:hunter2@db AKIAIOSFODNN7EXAMPLE https://hooks.slack.com/services/T1/B2/abcdefSECRET";
        String json = SlackMessage.render(Messages.crash(secret, List.of("Authorization: Bearer eyJhbGciOi.J9", secret)));
        assertFalse(json.contains("hunter2") || json.contains("IOSFODNN7") || json.contains("abcdefSECRET")
                || json.contains("eyJhbGciOi"), json);
        assertTrue(json.contains("postgres://app:****@db") && json.contains("Bearer ****"), json);
    }
}

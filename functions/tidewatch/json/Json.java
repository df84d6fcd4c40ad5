package tidewatch.json;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Reads and writes JSON as plain maps, lists, strings, numbers and booleans (jackson-jr: no reflection, fast to load). */
public final class Json {
    private static final JSON COMPACT = JSON.builder().build();
    /** For reports people read, where a null member says something ("error": null) and must not be left out. */
    private static final JSON PRETTY = JSON.builder()
            .enable(JSON.Feature.PRETTY_PRINT_OUTPUT)
            .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
            .build();

    private Json() {}

    /** Parses any JSON value; malformed text becomes an {@link InvalidInputException} that quotes no input. */
    public static Object parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("empty JSON document");
        }
        try {
            return COMPACT.anyFrom(text);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("malformed JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** Parses a JSON document that must be an object. */
    public static JsonObject parseObject(String text, String what) {
        Object value = parse(text);
        if (value instanceof Map<?, ?> map) {
            return JsonObject.of(map, what);
        }
        throw new InvalidInputException(what + ": expected a JSON object, got " + JsonObject.typeName(value));
    }

    public static String write(Object value) {
        try {
            return COMPACT.asString(unwrap(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static String writePretty(Object value) {
        try {
            return PRETTY.asString(unwrap(value));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static Object unwrap(Object value) {
        if (value instanceof JsonObject object) {
            return object.asMap();
        }
        if (value instanceof List<?> list && list.stream().anyMatch(JsonObject.class::isInstance)) {
            return list.stream().map(Json::unwrap).toList();
        }
        return value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}

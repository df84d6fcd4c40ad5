package tidewatch.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of a JSON object with typed accessors. A missing or null member reads as null; a member of the
 * wrong type is an {@link InvalidInputException} naming its path, never a ClassCastException.
 */
public final class JsonObject {
    private final Map<String, Object> members;
    private final String path;

    private JsonObject(Map<String, Object> members, String path) {
        this.members = members;
        this.path = path;
    }

    @SuppressWarnings("unchecked")
    public static JsonObject of(Map<?, ?> members, String path) {
        return new JsonObject((Map<String, Object>) members, path);
    }

    public static JsonObject empty(String path) {
        return new JsonObject(Map.of(), path);
    }

    public String path() {
        return path;
    }

    public boolean has(String key) {
        return members.get(key) != null;
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(members);
    }

    public String string(String key) {
        Object value = members.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw wrongType(key, "a string", value);
    }

    public String requireString(String key) {
        String value = string(key);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(path + "." + key + ": required string is missing");
        }
        return value;
    }

    /** A number, or a string holding an integer (ECS writes some numbers as strings, such as "memory": "512"). */
    public Long integer(String key) {
        Object value = members.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw wrongType(key, "an integer", value);
            }
        }
        throw wrongType(key, "an integer", value);
    }

    public Boolean bool(String key) {
        Object value = members.get(key);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw wrongType(key, "a boolean", value);
    }

    /** The nested object, or an empty one when absent, so that optional sections read without null checks. */
    public JsonObject object(String key) {
        Object value = members.get(key);
        if (value == null) {
            return empty(path + "." + key);
        }
        if (value instanceof Map<?, ?> map) {
            return of(map, path + "." + key);
        }
        throw wrongType(key, "an object", value);
    }

    public List<Object> array(String key) {
        Object value = members.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList(list);
        }
        throw wrongType(key, "an array", value);
    }

    public List<JsonObject> objects(String key) {
        List<Object> values = array(key);
        List<JsonObject> result = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (!(value instanceof Map<?, ?> map)) {
                throw new InvalidInputException(path + "." + key + "[" + i + "]: expected an object, got " + typeName(value));
            }
            result.add(of(map, path + "." + key + "[" + i + "]"));
        }
        return result;
    }

    public List<String> strings(String key) {
        List<Object> values = array(key);
        List<String> result = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) instanceof String text)) {
                throw new InvalidInputException(path + "." + key + "[" + i + "]: expected a string, got " + typeName(values.get(i)));
            }
            result.add(text);
        }
        return result;
    }

    /** A copy that can be changed, for building requests from an event. */
    public Map<String, Object> mutableCopy() {
        return new LinkedHashMap<>(members);
    }

    private InvalidInputException wrongType(String key, String expected, Object value) {
        return new InvalidInputException(path + "." + key + ": expected " + expected + ", got " + typeName(value));
    }

    /** A JSON value's type as error messages name it: "an object", "an array", "a string", "a boolean", "a number". */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return "a number";
        }
        return value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return Json.write(members);
    }
}

package tidewatch.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;

/**
 * The AWS Query and EC2 protocols as the sandbox speaks them: form-encoded requests turned into nested parameters
 * named as in the API reference, and XML responses whose element names come from the SDK's own model (the
 * unmarshalling location names of each member), so that the real SDK unmarshallers read them.
 */
final class QueryProtocol {
    private QueryProtocol() {}

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(key, value);
        }
        return form;
    }

    /**
     * Nests flattened query parameters: "Tag.1.Key" becomes {"Tag": [{"Key": ...}]}, and the SNS map encoding
     * "MessageAttributes.entry.1.Name/Value" becomes {"MessageAttributes": {name: value}}.
     */
    static Map<String, Object> params(Map<String, String> form) {
        Map<String, Object> root = new LinkedHashMap<>();
        form.forEach((key, value) -> {
            if (key.equals("Action") || key.equals("Version")) {
                return;
            }
            put(root, key.split("\\."), 0, value);
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> normalised = (Map<String, Object>) normalise(root);
        return normalised;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> node, String[] path, int index, String value) {
        String segment = path[index];
        if (index == path.length - 1) {
            node.put(segment, value);
            return;
        }
        Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(segment, k -> new LinkedHashMap<String, Object>());
        put(child, path, index + 1, value);
    }

    /** Maps keyed 1..n become lists; {"entry": [{Name, Value}]} becomes a map. */
    @SuppressWarnings("unchecked")
    private static Object normalise(Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<String, Object>) map).forEach((k, v) -> result.put(k, normalise(v)));
        if (!result.isEmpty() && result.keySet().stream().allMatch(k -> k.matches("\\d+"))) {
            List<Object> list = new ArrayList<>();
            result.entrySet().stream()
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a.getKey()), Integer.parseInt(b.getKey())))
                    .forEach(e -> list.add(e.getValue()));
            return list;
        }
        if (result.size() == 1 && result.get("entry") instanceof List<?> entries) {
            Map<String, Object> asMap = new LinkedHashMap<>();
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> e && e.get("Name") != null) {
                    asMap.put(String.valueOf(e.get("Name")), e.get("Value"));
                }
            }
            return asMap;
        }
        return result;
    }

    /** Writes the members of a model object as EC2/Query XML, naming elements as the SDK model says. */
    static void writeMembers(StringBuilder xml, List<SdkField<?>> fields, Map<String, Object> json) {
        for (SdkField<?> field : fields) {
            Object value = member(json, field);
            if (value != null) {
                writeField(xml, field, field.unmarshallLocationName(), value);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeField(StringBuilder xml, SdkField<?> field, String name, Object value) {
        MarshallingType<?> type = field.marshallingType();
        xml.append('<').append(name).append('>');
        if (type == MarshallingType.LIST && value instanceof List<?> items) {
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            String itemName = member.unmarshallLocationName() == null ? "item" : member.unmarshallLocationName();
            for (Object item : items) {
                writeField(xml, member, itemName, item);
            }
        } else if (type == MarshallingType.SDK_POJO && value instanceof Map<?, ?> object) {
            writeMembers(xml, field.constructor().get().sdkFields(), (Map<String, Object>) object);
        } else if (type == MarshallingType.INSTANT && value instanceof Number seconds) {
            xml.append(Instant.ofEpochMilli((long) (seconds.doubleValue() * 1000)));
        } else {
            xml.append(escape(String.valueOf(value)));
        }
        xml.append("</").append(name).append('>');
    }

    /** Finds a member under its API name ("VpnConnectionId"), or its XML name ("vpnConnectionId"). */
    private static Object member(Map<String, Object> json, SdkField<?> field) {
        for (String candidate : new String[] {field.memberName(), field.unmarshallLocationName(), field.locationName()}) {
            if (candidate == null) {
                continue;
            }
            for (Map.Entry<String, Object> entry : json.entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).equals(candidate.toLowerCase(Locale.ROOT))) {
                    return entry.getValue();
                }
            }
        }
        return null;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

package tidewatch.local;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tag rules ECS and EC2 document, which the sandbox enforces as the services do, so that a tag Tidewatch writes
 * or tells people to write fails a test where AWS would refuse it.
 * <ul>
 *   <li>ECS (the {@code Tag} shape of the ECS API): at most 50 tags, a key of 1 to 128 characters and a value of at
 *       most 256, both matching {@link #ECS_TAG}: letters, spaces, numbers and {@code _ . : / = + - @}, so no comma;
 *       no key or value starting with {@code aws:} in any case; each key once.</li>
 *   <li>EC2 ({@code CreateTags}): any characters, a key of 1 to 127 characters and a value of at most 256, no key
 *       starting with {@code aws:}, at most 50 tags on a resource.</li>
 * </ul>
 */
public final class TagRules {
    /** ECS's pattern for a tag key or value, from the API reference. */
    public static final Pattern ECS_TAG = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
    static final int MAX_TAGS = 50;

    private TagRules() {}

    /** What ECS would refuse in these tags (key, value pairs), or null when it takes them. */
    public static String ecsProblem(List<Map.Entry<String, String>> tags) {
        if (tags.size() > MAX_TAGS) {
            return "Too many tags: " + tags.size() + " (at most " + MAX_TAGS + ")";
        }
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, String> tag : tags) {
            String key = tag.getKey() == null ? "" : tag.getKey();
            String value = tag.getValue() == null ? "" : tag.getValue();
            String problem = key.isEmpty() || length(key) > 128 ? "key length must be 1 to 128 characters"
                    : length(value) > 256 ? "value length must be at most 256 characters"
                    : !ECS_TAG.matcher(key).matches() ? "key must match " + ECS_TAG.pattern()
                    : !ECS_TAG.matcher(value).matches() ? "value must match " + ECS_TAG.pattern()
                    : reserved(key) || reserved(value) ? "the aws: prefix is reserved for AWS use"
                    : !keys.add(key) ? "duplicate key" : null;
            if (problem != null) {
                return "Invalid tag '" + key + "': " + problem;
            }
        }
        return null;
    }

    /** What EC2's CreateTags would refuse in these tags, or null (the resource's limit of 50 is the sandbox's check). */
    public static String ec2Problem(List<Map.Entry<String, String>> tags) {
        for (Map.Entry<String, String> tag : tags) {
            String key = tag.getKey() == null ? "" : tag.getKey();
            String value = tag.getValue() == null ? "" : tag.getValue();
            if (key.isEmpty() || length(key) > 127) {
                return "Tag key exceeds the maximum length of 127 characters or is empty: '" + key + "'";
            }
            if (length(value) > 256) {
                return "Tag value exceeds the maximum length of 256 characters (key '" + key + "')";
            }
            if (reserved(key)) {
                return "Tag keys starting with 'aws:' are reserved for internal use";
            }
        }
        return null;
    }

    private static boolean reserved(String text) {
        return text.regionMatches(true, 0, "aws:", 0, 4);
    }

    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}

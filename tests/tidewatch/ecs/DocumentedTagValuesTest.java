package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tidewatch.local.TagRules;

/**
 * Every tag value the project tells people to set (README, docs, the messages' advice) is one ECS takes: its tag
 * pattern allows letters, spaces, numbers and {@code _ . : / = + - @} only, so a comma-separated list is refused.
 */
class DocumentedTagValuesTest {
    /** "`tidewatch:KEY` [= words] (`value` | `value` ...; ...)": the values a passage gives for a tag, in backticks. */
    private static final Pattern TAG_PASSAGE = Pattern.compile("`(tidewatch:[a-z-]+)`\\s*(?:=[^(`]*)?\\(([^)]*)\\)");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** Tag key to the example values the documents give for it, the file names where. */
    private static Map<String, List<String>> documentedValues() throws IOException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        for (Path document : documents) {
            Matcher passage = TAG_PASSAGE.matcher(Files.readString(document));
            while (passage.find()) {
                String given = passage.group(2).split(";")[0].split(":\\s")[0]; // the values, not the remark after them
                Matcher code = CODE.matcher(given);
                while (code.find()) {
                    values.computeIfAbsent(passage.group(1), k -> new ArrayList<>()).add(code.group(1).replaceAll("\\s+", " "));
                }
            }
        }
        return values;
    }

    @Test
    void everyDocumentedValueAndKeyMatchesEcsTagPattern() throws IOException {
        Map<String, List<String>> documented = documentedValues();
        assertTrue(documented.getOrDefault(RestartPolicy.TAG, List.of()).containsAll(List.of("no", "on-failure", "on-failure:N", "always")),
                "the README gives the restart policy's values: " + documented);
        assertTrue(documented.getOrDefault(TaskStopDecision.SECURITY_GROUPS_TAG, List.of()).stream().anyMatch(v -> v.startsWith("sg-")),
                "and an example of the security groups: " + documented);
        documented.forEach((key, values) -> {
            assertTrue(TagRules.ECS_TAG.matcher(key).matches(), key);
            values.forEach(value -> assertTrue(TagRules.ECS_TAG.matcher(value).matches(),
                    key + " = '" + value + "' is documented, but ECS refuses it (" + TagRules.ECS_TAG.pattern() + ")"));
        });
    }

    @Test
    void theDocumentedValuesAreTheOnesTidewatchReads() throws IOException {
        Map<String, List<String>> documented = documentedValues();
        for (String value : documented.get(RestartPolicy.TAG)) {
            assertDoesNotThrow(() -> RestartPolicy.parse(value.replace(":N", ":3")), value);
        }
        String groups = documented.get(TaskStopDecision.SECURITY_GROUPS_TAG).get(0);
        assertTrue(groups.split(" ").length >= 2 && !groups.contains(","), "space-separated groups: " + groups);
    }

    @Test
    void theAdviceInTheMessagesAsksForAValueEcsTakes() {
        assertTrue(TagRules.ECS_TAG.matcher(TaskStopDecision.SECURITY_GROUPS_EXAMPLE).matches(), TaskStopDecision.SECURITY_GROUPS_EXAMPLE);
        assertTrue(TagRules.ECS_TAG.matcher("sg-0123456789abcdef0 sg-0fedcba9876543210").matches());
        assertTrue(!TagRules.ECS_TAG.matcher("sg-0123456789abcdef0,sg-0fedcba9876543210").matches(), "the pattern refuses a comma");
    }
}

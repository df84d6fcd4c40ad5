package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnsMessageTest {

    @Test
    void subjectIsOneAsciiLineUnderOneHundredCharacters() {
        Message message = new Message("Crash \u00e9t\u00e9 \u2603 in\nprod\r\n" + "x".repeat(300), Severity.CRITICAL,
                "", List.of(), List.of(), null, "k", "ecs");
        SnsMessage sns = SnsMessage.render(message);
        assertTrue(sns.subject().length() < 100, "length " + sns.subject().length());
        assertTrue(sns.subject().startsWith("[CRITICAL] Crash ete ? in prod "), sns.subject());
        assertTrue(sns.subject().chars().allMatch(c -> c >= 0x20 && c < 0x7F), sns.subject());
    }

    @Test
    void bodyIsReadablePlainTextWithFieldsLinksAndEvidence() {
        SnsMessage sns = SnsMessage.render(Messages.crash("Exit 1", List.of("first", "second")));
        String body = sns.body();
        assertTrue(body.startsWith("WARNING: web crashed in prod\n\nEssential container app exited with code 1: Exit 1\n\n"), body);
        assertTrue(body.contains("Cluster: prod\n"));
        assertTrue(body.contains("- Task in ECS console: https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/abc\n"));
        assertTrue(body.contains("Last log lines of app:\n    first\n    second\n"));
        assertTrue(body.contains("key: ecs/prod/service:web/crash"));
        assertEquals("warning", sns.severity());
        assertEquals("ecs", sns.source());
    }

    @Test
    void longEvidenceKeepsItsEnd() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add("log line number " + i);
        }
        String body = SnsMessage.render(Messages.crash("r", lines)).body();
        assertTrue(body.contains("log line number 1999"));
        assertFalse(body.contains("log line number 0\n"));
        assertTrue(body.contains("earlier lines not shown"));
        assertTrue(body.length() < SnsMessage.BODY_MAX_CHARS);
    }
}

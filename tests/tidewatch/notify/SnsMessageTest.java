package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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

    @Test
    void aHugeMessageStaysUnderSnsLimitsInBytes() {
        List<Message.Field> fields = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            fields.add(new Message.Field("F" + i, "\uD83D\uDE00\u20AC".repeat(300)));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("\u65E5\u672C".repeat(100));
        }
        String name = "\uD83D\uDE80".repeat(5_000);
        SnsMessage sns = SnsMessage.render(new Message(name, Severity.CRITICAL, name, fields, List.of(),
                new Message.Evidence(name, lines), name, "ecs"));
        assertTrue(sns.subject().length() <= 100 && sns.subject().endsWith("..."), sns.subject());
        assertTrue(sns.body().getBytes(StandardCharsets.UTF_8).length <= 256 * 1024, "bytes " + sns.body().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(sns.body().endsWith("\u2026"), "the cut is visible");
    }

    @Test
    void utf8CutsFallOnCodePoints() {
        String text = "a\u00e9\u20AC\uD83D\uDE00".repeat(50);
        for (int max = 3; max < 120; max++) {
            String cut = SnsMessage.truncateUtf8(text, max);
            assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= max, "max " + max);
            assertTrue(cut.endsWith("\u2026"));
            assertFalse(cut.length() > 1 && Character.isHighSurrogate(cut.charAt(cut.length() - 2)), "split pair at " + max);
            assertTrue(text.startsWith(cut.substring(0, cut.length() - 1)));
        }
        assertEquals(text, SnsMessage.truncateUtf8(text, text.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void credentialsAreMaskedInTheSnsBodyAndSubject() {
        SnsMessage sns = SnsMessage.render(Messages.crash("password=hunter2", List.of("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG")));
        assertFalse(sns.body().contains("hunter2") || sns.body().contains("wJalrXUtnFEMI"), sns.body());
        assertTrue(sns.body().contains("password=****") && sns.body().contains("AWS_SECRET_ACCESS_KEY=****"), sns.body());
    }
}

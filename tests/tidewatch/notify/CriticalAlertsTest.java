package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tidewatch.config.ConfigurationException;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/** Mentions on critical messages and the on-call webhook, through Notifier.fromSettings and the sandbox's two webhooks. */
class CriticalAlertsTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    private Notifier notifier(World world, String... env) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of("NOTIFY_TOPIC_ARN", TOPIC, "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url",
                "SLACK_CRITICAL_WEBHOOK_SECRET", "/tidewatch/slack-oncall-webhook-url"));
        for (int i = 0; i < env.length; i += 2) {
            settings.put(env[i], env[i + 1]);
        }
        settings.values().removeIf(String::isEmpty);
        sandbox = sandboxes.start(world);
        return Notifier.fromSettings(new Settings(sandbox.declaring(settings)), sandbox.clients(Duration.ofSeconds(2)));
    }

    private static Message message(Severity severity) {
        return new Message("web is crash-looping in prod", severity, "3 abnormal stops; the reason says <!channel>", null, null, null,
                "ecs/prod/service:web/crash", "ecs");
    }

    private JsonObject post(String service) {
        List<Sandbox.Call> posts = sandbox.calls(service, "post");
        assertEquals(1, posts.size(), service + ": " + sandbox.calls());
        return Json.parseObject(Json.write(posts.get(0).params()), service);
    }

    private static String firstSection(JsonObject slack) {
        return slack.objects("blocks").get(1).object("text").string("text");
    }

    @Test
    void aCriticalMessageGoesToBothWebhooksWithTheMentionFirstAndAWarningOnlyToTheMainOne() {
        Notifier notifier = notifier(World.empty(), "SLACK_MENTION_CRITICAL", "<!subteam^S0123ABCD>");
        assertEquals(List.of("sns", "slack", "slack-critical"), notifier.send(message(Severity.CRITICAL)));
        for (String webhook : List.of("slack", "slack-critical")) {
            JsonObject slack = post(webhook);
            assertTrue(slack.string("text").startsWith("<!subteam^S0123ABCD> CRITICAL: web is crash-looping"), slack.string("text"));
            assertTrue(firstSection(slack).startsWith("<!subteam^S0123ABCD> *CRITICAL*"), firstSection(slack));
            assertTrue(firstSection(slack).contains("&lt;!channel&gt;"), "event text stays escaped: " + firstSection(slack));
        }
        assertEquals(2, sandbox.calls("ssm", "GetParameter").size(), "each webhook read once");

        assertEquals(List.of("sns", "slack"), notifier.send(message(Severity.WARNING)));
        List<Sandbox.Call> posts = sandbox.calls("slack", "post");
        String warning = String.valueOf(posts.get(posts.size() - 1).params().get("text"));
        assertTrue(warning.startsWith("WARNING: "), "no mention on a warning: " + warning);
        assertEquals(1, sandbox.calls("slack-critical", "post").size());
        assertFalse(logs.text().contains("sandbox-"), "no webhook URL in the log");
    }

    @Test
    void criticalOnlyThereKeepsCriticalMessagesOutOfTheMainChannel() {
        Notifier notifier = notifier(World.empty(), "SLACK_CRITICAL_ONLY_THERE", "true", "SLACK_MENTION_CRITICAL", "<!here>");
        assertEquals(List.of("sns", "slack-critical"), notifier.send(message(Severity.CRITICAL)));
        assertTrue(sandbox.calls("slack", "post").isEmpty());
        assertTrue(post("slack-critical").string("text").startsWith("<!here> CRITICAL"));
        assertEquals(List.of("sns", "slack"), notifier.send(message(Severity.RESOLVED)));
    }

    @Test
    void anUnreachableOnCallWebhookNeverHoldsUpTheMainOne() {
        Notifier notifier = notifier(World.empty().fault("slack-critical", "timeout"));
        assertEquals(List.of("sns", "slack"), notifier.send(message(Severity.CRITICAL)));
        assertEquals(1, sandbox.calls("slack", "post").size());
    }

    @Test
    void withoutTheSettingsNothingChanges() {
        Notifier notifier = notifier(World.empty(), "SLACK_CRITICAL_WEBHOOK_SECRET", "");
        assertEquals(List.of("sns", "slack"), notifier.send(message(Severity.CRITICAL)));
        assertTrue(post("slack").string("text").startsWith("CRITICAL: "));
    }

    @Test
    void criticalOnlyThereWithoutTheOnCallWebhookFailsInitNamingBoth() {
        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> notifier(World.empty(), "SLACK_CRITICAL_WEBHOOK_SECRET", "", "SLACK_CRITICAL_ONLY_THERE", "true"));
        assertEquals("SLACK_CRITICAL_ONLY_THERE=true needs SLACK_CRITICAL_WEBHOOK_SECRET: critical messages would reach no Slack channel",
                refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<!here>", "<!channel>", "<!subteam^S0123ABCD>", " <!here> "})
    void theThreeMentionFormsAreTaken(String value) {
        assertEquals(value.trim(), SlackMention.parse(value).text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"@here", "<!everyone>", "<!subteam^s0123>", "<@U0123ABCD>", "<!here|here>", "<!here> <!channel>",
            "<https://evil.example|click>", "<!subteam^S0123ABCD|@oncall>"})
    void anyOtherMentionFailsInitNamingTheVariable(String value) {
        ConfigurationException refused = assertThrows(ConfigurationException.class, () -> SlackMention.parse(value));
        assertTrue(refused.getMessage().startsWith("SLACK_MENTION_CRITICAL='"), refused.getMessage());
    }

    @Test
    void anEmptyMentionIsNone() {
        assertNull(SlackMention.parse(""));
        assertNull(SlackMention.parse(null));
        assertEquals("WARNING: x", new SlackMention("<!here>").prefix(Severity.WARNING, "WARNING: x"), "only critical messages mention");
        assertEquals("<!here> CRITICAL: x", new SlackMention("<!here>").prefix(Severity.CRITICAL, "CRITICAL: x"));
    }
}

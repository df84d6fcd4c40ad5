package tidewatch.vpn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;

/** What to do about one alarm state change: notify (after running some responses), or nothing at all. */
sealed interface VpnAlarmPlan {
    String SOURCE = "vpn-alarm";
    String RESPONSE_FIELD = "Automatic response";

    /**
     * A notification to send once the responses have run. {@code facts} come before the automatic-response field,
     * {@code context} (reason, metric, description) after it.
     */
    record Notify(
            String title,
            Severity severity,
            String summary,
            List<Message.Field> facts,
            List<Message.Field> context,
            List<Message.Link> links,
            Message.Evidence evidence,
            String key,
            List<Response> responses) implements VpnAlarmPlan {

        public Notify {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(key, "key");
            facts = facts == null ? List.of() : List.copyOf(facts);
            context = context == null ? List.of() : List.copyOf(context);
            links = links == null ? List.of() : List.copyOf(links);
            responses = responses == null ? List.of() : List.copyOf(responses);
        }

        /** The same notification with one more fact, after the others. */
        public Notify withFact(Message.Field fact) {
            List<Message.Field> more = new ArrayList<>(facts);
            more.add(fact);
            return new Notify(title, severity, summary, more, context, links, evidence, key, responses);
        }

        /** The message, saying what each response did; results are in the order of {@link #responses()}. */
        public Message message(List<ResponseResult> results) {
            List<Message.Field> fields = new ArrayList<>(facts);
            fields.add(new Message.Field(RESPONSE_FIELD, describe(results)));
            fields.addAll(context);
            return new Message(title, severity, summary, fields, links, evidence, key, SOURCE);
        }

        static String describe(List<ResponseResult> results) {
            if (results.isEmpty()) {
                return "none";
            }
            return results.stream().map(ResponseResult::description).collect(Collectors.joining("; "));
        }

        /** The decision as the function's output: severity, title and what each response did. */
        public Map<String, Object> summary(List<ResponseResult> results, List<String> channels) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("severity", severity.wireName());
            summary.put("title", title);
            summary.put("key", key);
            summary.put("actions", results.stream().map(ResponseResult::summary).toList());
            summary.put("notified", channels);
            return summary;
        }
    }

    /** Nothing to send, such as a repeated INSUFFICIENT_DATA or an alarm configuration change. */
    record Skip(String subject, String reason) implements VpnAlarmPlan {
        public Map<String, Object> summary() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("skipped", subject);
            summary.put("reason", reason);
            return summary;
        }
    }
}

package tidewatch.ecs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.json.JsonObject;

/**
 * What became of each event of an invocation, in order, and from it Lambda's SQS partial batch response
 * (ReportBatchItemFailures): the failed records are redelivered, the others deleted. Kept as Powertools' batch
 * module keeps it.
 */
final class BatchResults {
    /** What happened to one event; {@code FAILED} events are reported back to SQS for redelivery. */
    enum Result { IGNORED, DUPLICATE, NORMAL, NOTIFIED, SUPPRESSED, SILENCED, FAILED }

    /**
     * The records of an SQS batch, checked before anything is done: each must be an object with a message id,
     * since a record that cannot be named cannot be reported back for redelivery and would be lost.
     */
    static List<JsonObject> records(JsonObject event) {
        List<JsonObject> records = event.objects("Records");
        for (JsonObject record : records) {
            record.requireString("messageId");
        }
        return records;
    }

    private final List<String> messageIds = new ArrayList<>();
    private final List<Result> results = new ArrayList<>();

    /** @param messageId the SQS message id, or null for a bare EventBridge event */
    void add(String messageId, Result result) {
        messageIds.add(messageId);
        results.add(result);
    }

    /** The messages of a group whose message was not delivered: they are redelivered, to be told again. */
    void fail(Collection<String> undelivered) {
        set(undelivered, Result.FAILED);
    }

    /** The messages of a group whose message a silence held back ({@code tidewatch:silence-until}): done, not told. */
    void silence(Collection<String> silenced) {
        set(silenced, Result.SILENCED);
    }

    /** The messages of a group held back after deciding (ECS told the same already): done, not told. */
    void suppress(Collection<String> held) {
        set(held, Result.SUPPRESSED);
    }

    private void set(Collection<String> ids, Result result) {
        for (int i = 0; i < messageIds.size(); i++) {
            if (ids.contains(messageIds.get(i))) {
                results.set(i, result);
            }
        }
    }

    /** The result of the only event, for a bare EventBridge invocation. */
    Result only() {
        if (results.size() != 1) {
            throw new IllegalStateException(results.size() + " results for a single event");
        }
        return results.get(0);
    }

    Map<Result, Integer> counts() {
        Map<Result, Integer> counts = new LinkedHashMap<>();
        results.forEach(result -> counts.merge(result, 1, Integer::sum));
        return counts;
    }

    /** {"batchItemFailures": [{"itemIdentifier": messageId}, ...]} */
    Map<String, Object> response() {
        List<Object> failures = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) == Result.FAILED) {
                failures.add(Map.of("itemIdentifier", messageIds.get(i)));
            }
        }
        return Map.of("batchItemFailures", failures);
    }
}

package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tidewatch.ecs.BatchResults.Result;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;

class BatchResultsTest {
    @Test
    void onlyFailedRecordsAreReportedForRedeliveryInTheirOrder() {
        BatchResults results = new BatchResults();
        results.add("bad", Result.FAILED);
        results.add("m-1", Result.NOTIFIED);
        results.add("m-2", Result.IGNORED);
        results.add("m-3", Result.NOTIFIED);
        results.fail(List.of("m-3"));

        assertEquals(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "bad"), Map.of("itemIdentifier", "m-3"))), results.response());
        assertEquals(Map.of(Result.FAILED, 2, Result.NOTIFIED, 1, Result.IGNORED, 1), results.counts());
    }

    @Test
    void aBareEventHasOneResultUnderNoMessageId() {
        BatchResults results = new BatchResults();
        results.add(null, Result.NOTIFIED);
        results.fail(Arrays.asList((String) null));
        assertEquals(Result.FAILED, results.only());
        results.add("m-1", Result.NORMAL);
        assertThrows(IllegalStateException.class, results::only);
    }

    @Test
    void aRecordWithoutMessageIdRejectsTheWholeBatchBeforeAnythingIsDone() {
        assertEquals(2, BatchResults.records(Json.parseObject("{\"Records\": [{\"messageId\": \"a\"}, {\"messageId\": \"b\"}]}", "e")).size());
        assertThrows(InvalidInputException.class,
                () -> BatchResults.records(Json.parseObject("{\"Records\": [{\"messageId\": \"a\"}, {\"body\": \"{}\"}]}", "e")));
    }
}

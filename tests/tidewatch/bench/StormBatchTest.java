package tidewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.Sandbox;

/** The storm's batches hold what {@link StormBatch} says they hold, and the storm case's verdicts decide as stated. */
class StormBatchTest {
    private static final StormBatch.Storm STORM = StormBatch.build(2);

    @Test
    void eachBatchIsTheTemplatesBatchSizeOfDistinctStopsInTheStatedMix() {
        assertEquals(StormBatch.BATCH_SIZE, StormBatch.stopsPerBatch());
        Set<String> tasks = new HashSet<>();
        for (Map<String, Object> batch : STORM.batches()) {
            List<JsonObject> records = JsonObject.of(batch, "batch").objects("Records");
            assertEquals(500, records.size());
            Map<String, Long> byGroup = new java.util.TreeMap<>();
            for (JsonObject record : records) {
                JsonObject detail = Json.parseObject(record.string("body"), "body").object("detail");
                assertTrue(tasks.add(detail.string("taskArn")), "a task stops once: " + detail.string("taskArn"));
                byGroup.merge(detail.string("group"), 1L, Long::sum);
            }
            assertEquals(Map.of("service:web", 60L, "service:api", 2L, "service:checkout", 2L, "service:worker", 1L,
                    "service:search", 170L, "service:billing", 115L, "family:etl", 150L), byGroup);
        }
        assertEquals(1000, tasks.size());
    }

    @Test
    void theExpectedMessagesAreOnePerFamilyAndAbnormalCause() {
        assertEquals(Set.of("ecs/prod/service:web/crash", "ecs/prod/service:api/out_of_memory",
                "ecs/prod/service:checkout/elb_health_check", "ecs/prod/service:worker/crash", "ecs/prod/family:etl/crash"),
                StormBatch.expectedMessageKeys());
        assertEquals(Set.of("web", "api", "checkout", "worker"), StormBatch.servicesWithAbnormalStops());
        assertEquals(150, StormBatch.standaloneStopsPerBatch());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorldKeepsUnderAHundredStoppedTasksPerListedServiceAndEveryStandaloneTask() {
        List<Map<String, Object>> stopped = (List<Map<String, Object>>) ((Map<String, Object>) STORM.world().get("ecs")).get("stoppedTasks");
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        stopped.forEach(task -> byGroup.merge(String.valueOf(task.get("group")), 1L, Long::sum));
        assertEquals(63L, byGroup.get("service:web"), "the first batch's 60 crashes and the sample world's 3");
        assertEquals(300L, byGroup.get("family:etl"), "every batch's standalone tasks, read back by ARN");
        assertFalse(byGroup.containsKey("service:search"), "a service that stops normally is never listed");
        byGroup.forEach((group, n) -> assertTrue(group.startsWith("family:") || n <= 100, group + ": " + n));
    }

    @Test
    void describeTasksCountsTheRecordReadsAgainstTheBatchAndTheHistoryReadsAgainstListTasks() {
        List<Sandbox.Call> calls = List.of(describeTasks(true), describeTasks(true), describeTasks(false),
                new Sandbox.Call("ecs", "ListTasks", Map.of("serviceName", "web"), null));
        assertEquals(2, StormBatchCase.describeTasks(calls, true));
        assertEquals(1, StormBatchCase.describeTasks(calls, false));
        assertTrue(StormBatchCase.describeTasksWithin(5, 4, 4, 500));
        assertFalse(StormBatchCase.describeTasksWithin(6, 0, 0, 500), "6 record reads for 500 stops");
        assertFalse(StormBatchCase.describeTasksWithin(2, 5, 4, 500), "a history read more than ListTasks pages");
        assertEquals(5, StormBatchCase.ceilHundreds(500));
        assertEquals(2, StormBatchCase.ceilHundreds(101));
    }

    @Test
    void listTasksMustBeOncePerServiceWithAnAbnormalStopAndNoOther() {
        assertTrue(StormBatchCase.oncePerService(Map.of("web", 1, "api", 1), Set.of("web", "api")));
        assertFalse(StormBatchCase.oncePerService(Map.of("web", 2, "api", 1), Set.of("web", "api")));
        assertFalse(StormBatchCase.oncePerService(Map.of("web", 1), Set.of("web", "api")));
        assertFalse(StormBatchCase.oncePerService(Map.of("web", 1, "api", 1, "search", 1), Set.of("web", "api")));
    }

    @Test
    void messagesAreCountedByTheKeyTheirSnsBodyEndsWith() {
        List<Sandbox.Call> calls = List.of(publish("ecs/prod/service:web/crash"), publish("ecs/prod/service:api/out_of_memory"),
                new Sandbox.Call("slack", "post", Map.of(), null));
        List<String> keys = StormBatchCase.messageKeys(calls);
        assertEquals(List.of("ecs/prod/service:web/crash", "ecs/prod/service:api/out_of_memory"), keys);
        Set<String> expected = Set.of("ecs/prod/service:web/crash", "ecs/prod/service:api/out_of_memory");
        assertTrue(StormBatchCase.onePerKey(keys, expected));
        assertFalse(StormBatchCase.onePerKey(List.of("ecs/prod/service:web/crash", "ecs/prod/service:web/crash"), expected));
        assertFalse(StormBatchCase.onePerKey(List.of("ecs/prod/service:web/crash"), expected));
    }

    @Test
    void growthIsTheLastThreeBatchesMedianAgainstTheFirstWarmBatch() {
        double[] flat = {1.4, 0.50, 0.40, 0.55, 0.30, 0.40, 0.35, 0.45, 0.42, 0.63};
        assertEquals(0.45, StormBatchCase.lateMedian(flat), 1e-9);
        assertTrue(StormBatchCase.noGrowth(flat));
        double[] growing = {1.4, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90};
        assertFalse(StormBatchCase.noGrowth(growing), "0.85 > 1.5 x 0.50");
        assertFalse(StormBatchCase.noGrowth(new double[] {1.0, 0.5, 0.5}), "too few batches to tell");
    }

    private static Sandbox.Call describeTasks(boolean withTags) {
        return new Sandbox.Call("ecs", "DescribeTasks", withTags ? Map.of("include", List.of("TAGS")) : Map.of(), null);
    }

    private static Sandbox.Call publish(String key) {
        return new Sandbox.Call("sns", "Publish", Map.of("Message", "CRITICAL: ...\n\n--\nTidewatch (ecs-task-state) key: " + key + "\n"), null);
    }
}

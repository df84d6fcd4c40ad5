package tidewatch.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.json.Json;
import tidewatch.local.LocalContext;

/** The per-invocation log context: every line of an invocation says which request it belongs to and whether it was a cold start. */
class LogTest {
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private List<Map<String, Object>> lines() {
        return log.lines().stream().map(line -> Json.parseObject(line, "log line").asMap()).toList();
    }

    @Test
    void eachLineOfAnInvocationCarriesItsRequestIdAndOnlyTheFirstIsAColdStart() {
        Log.info("init");
        LocalContext first = new LocalContext("EcsTaskStateFunction", 512, 120);
        Log.startInvocation(first);
        Log.info("one", "task", "a");
        Log.warn("two");
        LocalContext second = new LocalContext("EcsTaskStateFunction", 512, 120);
        Log.startInvocation(second);
        Log.error("three", "cold_start", "a key of the caller's own wins");
        Log.debug("four");

        List<Map<String, Object>> lines = lines();
        assertFalse(lines.get(0).containsKey("function_request_id") || lines.get(0).containsKey("cold_start"),
                "before the first invocation (init) there is no request: " + lines.get(0));
        assertEquals(List.of(first.getAwsRequestId(), first.getAwsRequestId(), second.getAwsRequestId(), second.getAwsRequestId()),
                lines.subList(1, 5).stream().map(l -> l.get("function_request_id")).toList());
        assertEquals(List.of(true, true, "a key of the caller's own wins", false),
                lines.subList(1, 5).stream().map(l -> l.get("cold_start")).toList());
        assertEquals("a", lines.get(1).get("task"));
    }

    @Test
    void withoutAContextTheLinesStillSayWhetherItWasAColdStart() {
        Log.startInvocation(null);
        Log.info("tested without a Lambda context");
        Map<String, Object> line = lines().get(0);
        assertEquals(true, line.get("cold_start"));
        assertFalse(line.containsKey("function_request_id"));
    }

    @Test
    void metricRecordsAreLeftAsTheyAre() {
        Log.startInvocation(new LocalContext("VpnKeepaliveFunction", 512, 30));
        EmbeddedMetrics.emit("Tidewatch", Map.of(), List.of(new EmbeddedMetrics.Metric("Reachable", 1, EmbeddedMetrics.Unit.COUNT)), 0);
        assertEquals(Map.of("_aws", Map.of("Timestamp", 0, "CloudWatchMetrics", List.of(Map.of("Namespace", "Tidewatch",
                        "Dimensions", List.of(List.of()), "Metrics", List.of(Map.of("Name", "Reachable", "Unit", "Count"))))), "Reachable", 1),
                lines().get(0));
    }
}

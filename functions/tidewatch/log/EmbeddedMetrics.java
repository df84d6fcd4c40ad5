package tidewatch.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.json.Json;

/**
 * CloudWatch metrics without an API call: one Embedded Metric Format record per call, written as a log line that
 * CloudWatch Logs turns into metrics (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
public final class EmbeddedMetrics {
    public static final String NAMESPACE = "Tidewatch";

    /** CloudWatch's metric units, by the names EMF takes; add one here when a metric needs it. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }
    }

    public record Metric(String name, double value, Unit unit) {}

    private EmbeddedMetrics() {}

    /** Emits the metrics under one dimension set (an empty map gives metrics without dimensions). */
    public static void emit(String namespace, Map<String, String> dimensions, List<Metric> metrics, long timestampMillis) {
        Log.raw(record(namespace, dimensions, metrics, timestampMillis));
    }

    /** The record as a JSON line, without writing it. */
    public static String record(String namespace, Map<String, String> dimensions, List<Metric> metrics, long timestampMillis) {
        List<Object> definitions = new ArrayList<>();
        Map<String, Object> line = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            definitions.add(Map.of("Name", metric.name(), "Unit", metric.unit().cloudWatchName()));
        }
        line.put("_aws", Map.of(
                "Timestamp", timestampMillis,
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", namespace,
                        "Dimensions", List.of(List.copyOf(dimensions.keySet())),
                        "Metrics", definitions))));
        line.putAll(dimensions);
        for (Metric metric : metrics) {
            double value = metric.value();
            line.put(metric.name(), value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : value);
        }
        return Json.write(line);
    }
}

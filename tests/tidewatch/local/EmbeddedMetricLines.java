package tidewatch.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/** Reads CloudWatch Embedded Metric Format records out of log lines, as CloudWatch Logs does. */
public final class EmbeddedMetricLines {
    private EmbeddedMetricLines() {}

    /** The metrics of one log line: {"name", "value", "unit", "dimensions"} each; none when the line is no EMF record. */
    public static List<Map<String, Object>> metrics(String line) {
        if (!line.startsWith("{") || !line.contains("\"_aws\"")) {
            return List.of();
        }
        JsonObject record;
        try {
            record = Json.parseObject(line, "log line");
        } catch (RuntimeException e) {
            return List.of();
        }
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (JsonObject directive : record.object("_aws").objects("CloudWatchMetrics")) {
            List<Object> dimensionSets = directive.array("Dimensions");
            Map<String, Object> dimensions = new LinkedHashMap<>();
            for (Object set : dimensionSets) {
                if (set instanceof List<?> names) {
                    names.forEach(name -> dimensions.put(String.valueOf(name), record.asMap().get(String.valueOf(name))));
                }
            }
            for (JsonObject definition : directive.objects("Metrics")) {
                Map<String, Object> metric = new LinkedHashMap<>();
                metric.put("namespace", directive.string("Namespace"));
                metric.put("name", definition.string("Name"));
                metric.put("value", record.asMap().get(definition.string("Name")));
                metric.put("unit", definition.string("Unit"));
                metric.put("dimensions", dimensions);
                metrics.add(metric);
            }
        }
        return metrics;
    }
}

package tidewatch.keepalive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tidewatch.log.EmbeddedMetrics;
import tidewatch.log.EmbeddedMetrics.Metric;
import tidewatch.log.EmbeddedMetrics.Unit;
import tidewatch.log.Log;

/**
 * Writes one round's results as Embedded Metric Format lines: per target {@code Reachable} and {@code LatencyMs}
 * under the dimension {@code Target}, then {@code ReachableTargets} and {@code UnreachableTargets} without
 * dimensions, which the template's alarm watches (ReachableTargets &lt; 1).
 */
final class ReachabilityMetrics {
    private final String namespace;

    public ReachabilityMetrics(String namespace) {
        this.namespace = namespace;
    }

    public void emit(List<ProbeResult> results, long timestampMillis) {
        records(results, timestampMillis).forEach(Log::raw);
    }

    /** The round's records, unwritten; SnapStart priming ({@link KeepalivePriming}) renders them without writing. */
    List<String> records(List<ProbeResult> results, long timestampMillis) {
        List<String> records = new ArrayList<>();
        int reachable = 0;
        for (ProbeResult result : results) {
            reachable += result.reachable() ? 1 : 0;
            // No latency for an unreachable target: it would be the timeout, and would drag the latency graph.
            List<Metric> metrics = result.reachable()
                    ? List.of(new Metric("Reachable", 1, Unit.COUNT), new Metric("LatencyMs", result.latencyMs(), Unit.MILLISECONDS))
                    : List.of(new Metric("Reachable", 0, Unit.COUNT));
            records.add(EmbeddedMetrics.record(namespace, Map.of("Target", result.target().written()), metrics, timestampMillis));
        }
        records.add(EmbeddedMetrics.record(namespace, Map.of(), List.of(
                new Metric("ReachableTargets", reachable, Unit.COUNT),
                new Metric("UnreachableTargets", results.size() - reachable, Unit.COUNT)), timestampMillis));
        return records;
    }
}

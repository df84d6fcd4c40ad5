package tidewatch.vpn;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One CloudWatch alarm state change, whatever shape delivered it (SNS, EventBridge or the alarm's Lambda action).
 * Fields a shape does not carry are null: SNS gives no previous-state time; composite alarms have no metric.
 *
 * @param region            region code ("eu-west-1"), for console links; null when no shape field gives it
 * @param previousStateTime when the alarm entered {@code oldState}, so OK messages can say how long the alarm lasted
 * @param dimensions        metric dimensions by name, sorted by name; empty for composite or dimensionless metrics
 * @param alarmRule         the rule of a composite alarm, null for a metric alarm
 */
public record AlarmEvent(
        String alarmName,
        String alarmArn,
        String region,
        String accountId,
        AlarmState newState,
        AlarmState oldState,
        String reason,
        Instant stateChangeTime,
        Instant previousStateTime,
        String namespace,
        String metricName,
        Map<String, String> dimensions,
        String description,
        String alarmRule) {

    public AlarmEvent {
        Objects.requireNonNull(alarmName, "alarmName");
        Objects.requireNonNull(newState, "newState");
        dimensions = dimensions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(dimensions));
    }

    public String dimension(String name) {
        return dimensions.get(name);
    }

    /** The same change without what the SNS shape cannot carry, to compare shapes with each other. */
    public AlarmEvent withoutPreviousStateTime() {
        return new AlarmEvent(alarmName, alarmArn, region, accountId, newState, oldState, reason, stateChangeTime,
                null, namespace, metricName, dimensions, description, alarmRule);
    }
}

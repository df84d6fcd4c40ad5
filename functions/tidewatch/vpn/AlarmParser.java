package tidewatch.vpn;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.console.RegionNames;

/**
 * Reads the three ways a CloudWatch alarm state change reaches a Lambda function into {@link AlarmEvent}s:
 * an SNS event (possibly several records), an EventBridge "CloudWatch Alarm State Change" event, and the alarm's own
 * Lambda action (metric or composite). Never throws for bad input: what cannot be read becomes
 * {@link ParsedEvent.Unrecognised}, so it still reaches people.
 */
public final class AlarmParser {
    static final String STATE_CHANGE = "CloudWatch Alarm State Change";
    static final String CONFIGURATION_CHANGE = "CloudWatch Alarm Configuration Change";
    static final String SCHEDULED_EVENT = "Scheduled Event";

    // CloudWatch writes "2024-05-01T10:17:42.512+0000"; EventBridge's envelope writes "2024-05-01T10:17:42Z".
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private AlarmParser() {}

    public static List<ParsedEvent> parse(String payload) {
        JsonObject root;
        try {
            root = Json.parseObject(payload, "event");
        } catch (InvalidInputException e) {
            return List.of(new ParsedEvent.Unrecognised(payload, e.getMessage()));
        }
        try {
            if (root.has("Records")) {
                return fromSnsEvent(root);
            }
            if (root.has("detail-type")) {
                return List.of(fromEventBridge(root));
            }
            if (root.has("alarmData")) {
                return List.of(new ParsedEvent.Alarm(fromLambdaAction(root), AlarmDelivery.LAMBDA_ACTION));
            }
            if (isSnsAlarmMessage(root)) {
                // The alarm JSON on its own, as an SNS subscriber sees it: accepted so it can be replayed by hand.
                return List.of(new ParsedEvent.Alarm(fromSnsMessage(root), AlarmDelivery.SNS));
            }
            return List.of(new ParsedEvent.Unrecognised(payload,
                    "not a CloudWatch alarm from SNS, EventBridge or an alarm Lambda action"));
        } catch (InvalidInputException e) {
            return List.of(new ParsedEvent.Unrecognised(payload, e.getMessage()));
        }
    }

    private static List<ParsedEvent> fromSnsEvent(JsonObject root) {
        List<JsonObject> records = root.objects("Records");
        if (records.isEmpty()) {
            return List.of(new ParsedEvent.Unrecognised(root.toString(), "event.Records is empty"));
        }
        List<ParsedEvent> parsed = new ArrayList<>(records.size());
        for (JsonObject record : records) {
            parsed.add(fromSnsRecord(record));
        }
        return parsed;
    }

    private static ParsedEvent fromSnsRecord(JsonObject record) {
        JsonObject sns = record.object("Sns");
        String message;
        try {
            message = sns.string("Message");
        } catch (InvalidInputException e) {
            return new ParsedEvent.Unrecognised(record.toString(), e.getMessage());
        }
        if (message == null) {
            return new ParsedEvent.Unrecognised(record.toString(), record.path() + " is not an SNS notification");
        }
        try {
            JsonObject alarm = Json.parseObject(message, sns.path() + ".Message");
            if (alarm.has("detail-type") || alarm.has("alarmData")) {
                // An EventBridge rule or alarm event forwarded through an SNS topic.
                List<ParsedEvent> inner = parse(message);
                return inner.size() == 1 ? inner.get(0) : new ParsedEvent.Unrecognised(message, "nested event list");
            }
            if (!isSnsAlarmMessage(alarm)) {
                return new ParsedEvent.Unrecognised(message, "the SNS message" + subject(sns)
                        + " is not a CloudWatch alarm notification");
            }
            return new ParsedEvent.Alarm(fromSnsMessage(alarm), AlarmDelivery.SNS);
        } catch (InvalidInputException e) {
            return new ParsedEvent.Unrecognised(message, "the SNS message" + subject(sns)
                    + " is not a CloudWatch alarm notification: " + e.getMessage());
        }
    }

    private static String subject(JsonObject sns) {
        Object subject = sns.asMap().get("Subject");
        return subject instanceof String text && !text.isBlank() ? " (subject \"" + text + "\")" : "";
    }

    private static boolean isSnsAlarmMessage(JsonObject object) {
        return object.has("AlarmName") && object.has("NewStateValue");
    }

    /** The alarm notification CloudWatch publishes to SNS: capitalised names, dimensions as a name/value list. */
    static AlarmEvent fromSnsMessage(JsonObject alarm) {
        String arn = alarm.string("AlarmArn");
        String region = RegionNames.code(alarm.string("Region")).orElseGet(() -> RegionNames.fromArn(arn));
        String account = alarm.string("AWSAccountId");
        JsonObject trigger = alarm.object("Trigger");
        String namespace = trigger.string("Namespace");
        String metricName = trigger.string("MetricName");
        Map<String, String> dimensions = dimensionList(trigger, "Dimensions");
        if (metricName == null) {
            // Metric-math alarms list their inputs under Trigger.Metrics instead.
            JsonObject metric = chooseMetric(trigger.objects("Metrics"), "MetricStat", "ReturnData").object("Metric");
            namespace = metric.string("Namespace");
            metricName = metric.string("MetricName");
            dimensions = dimensionList(metric, "Dimensions");
        }
        return new AlarmEvent(
                alarm.requireString("AlarmName"),
                arn,
                region,
                account != null ? account : RegionNames.accountFromArn(arn),
                AlarmState.parse(alarm.string("NewStateValue"), alarm.path() + ".NewStateValue"),
                optionalState(alarm.string("OldStateValue"), alarm.path() + ".OldStateValue"),
                alarm.string("NewStateReason"),
                timestamp(alarm, "StateChangeTime"),
                null,
                namespace,
                metricName,
                dimensions,
                alarm.string("AlarmDescription"),
                alarm.string("AlarmRule"));
    }

    private static ParsedEvent fromEventBridge(JsonObject root) {
        String detailType = root.string("detail-type");
        if (CONFIGURATION_CHANGE.equals(detailType)) {
            return new ParsedEvent.Ignored(CONFIGURATION_CHANGE + " of " + root.object("detail").string("alarmName"));
        }
        if (SCHEDULED_EVENT.equals(detailType) && "aws.events".equals(root.string("source"))) {
            List<String> rules = root.strings("resources");
            return new ParsedEvent.TunnelCheck(rules.isEmpty() ? "unnamed schedule" : rules.get(0));
        }
        if (!STATE_CHANGE.equals(detailType)) {
            return new ParsedEvent.Unrecognised(root.toString(), "EventBridge event of type '" + detailType
                    + "' is not a CloudWatch alarm state change");
        }
        List<String> resources = root.strings("resources");
        String arn = resources.isEmpty() ? null : resources.get(0);
        AlarmEvent event = fromAlarmData(root.object("detail"), arn, root.string("region"), root.string("account"));
        return new ParsedEvent.Alarm(event, AlarmDelivery.EVENTBRIDGE);
    }

    private static AlarmEvent fromLambdaAction(JsonObject root) {
        String arn = root.string("alarmArn");
        return fromAlarmData(root.object("alarmData"), arn, root.string("region"), root.string("accountId"));
    }

    /** EventBridge's detail and the Lambda action's alarmData share one layout. */
    private static AlarmEvent fromAlarmData(JsonObject data, String arn, String region, String account) {
        JsonObject state = data.object("state");
        JsonObject previous = data.object("previousState");
        JsonObject configuration = data.object("configuration");
        JsonObject metric = chooseMetric(configuration.objects("metrics"), "metricStat", "returnData")
                .object("metric");
        return new AlarmEvent(
                data.requireString("alarmName"),
                arn,
                RegionNames.code(region).orElseGet(() -> RegionNames.fromArn(arn)),
                account != null ? account : RegionNames.accountFromArn(arn),
                AlarmState.parse(state.string("value"), state.path() + ".value"),
                optionalState(previous.string("value"), previous.path() + ".value"),
                state.string("reason"),
                timestamp(state, "timestamp"),
                timestamp(previous, "timestamp"),
                metric.string("namespace"),
                metric.string("name"),
                dimensionMap(metric.object("dimensions")),
                configuration.string("description"),
                configuration.string("alarmRule"));
    }

    /**
     * The metric an alarm watches: the first with a metric statistic that returns data, else the first with one
     * (in metric math the expression returns data and its inputs do not). Empty for composite alarms.
     */
    private static JsonObject chooseMetric(List<JsonObject> metrics, String statKey, String returnDataKey) {
        JsonObject fallback = null;
        for (JsonObject metric : metrics) {
            if (!metric.has(statKey)) {
                continue;
            }
            if (!Boolean.FALSE.equals(metric.bool(returnDataKey))) {
                return metric.object(statKey);
            }
            if (fallback == null) {
                fallback = metric.object(statKey);
            }
        }
        return fallback != null ? fallback : JsonObject.empty("metric");
    }

    private static Map<String, String> dimensionList(JsonObject owner, String key) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (JsonObject dimension : owner.objects(key)) {
            String name = dimension.has("name") ? dimension.string("name") : dimension.string("Name");
            String value = dimension.has("value") ? dimension.string("value") : dimension.string("Value");
            if (name != null && value != null) {
                dimensions.put(name, value);
            }
        }
        return dimensions;
    }

    private static Map<String, String> dimensionMap(JsonObject dimensions) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : dimensions.asMap().keySet()) {
            String value = dimensions.string(name);
            if (value != null) {
                result.put(name, value);
            }
        }
        return result;
    }

    private static AlarmState optionalState(String value, String path) {
        return value == null || value.isBlank() ? null : AlarmState.parse(value, path);
    }

    static Instant timestamp(JsonObject owner, String key) {
        String text = owner.string(key);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return TIMESTAMP.parse(text.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(owner.path() + "." + key + ": unreadable timestamp '" + text + "'");
        }
    }
}

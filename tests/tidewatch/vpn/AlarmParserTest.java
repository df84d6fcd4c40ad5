package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.ALARM_NAME;
import static tidewatch.vpn.VpnFixtures.VPN;
import static tidewatch.vpn.VpnFixtures.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tidewatch.json.Json;
import tidewatch.console.RegionNames;

class AlarmParserTest {

    private static ParsedEvent only(String payload) {
        List<ParsedEvent> parsed = AlarmParser.parse(payload);
        assertEquals(1, parsed.size(), () -> "parsed: " + parsed);
        return parsed.get(0);
    }

    @Test
    void theThreeDeliveryShapesOfOneAlarmParseToTheSameRecord() {
        ParsedEvent.Alarm sns = assertInstanceOf(ParsedEvent.Alarm.class, only(event("vpn-alarm-sns.json")));
        ParsedEvent.Alarm bridge = assertInstanceOf(ParsedEvent.Alarm.class, only(event("vpn-alarm-eventbridge.json")));
        ParsedEvent.Alarm action = assertInstanceOf(ParsedEvent.Alarm.class, only(event("vpn-alarm-lambda-action.json")));
        assertEquals(AlarmDelivery.SNS, sns.delivery());
        assertEquals(AlarmDelivery.EVENTBRIDGE, bridge.delivery());
        assertEquals(AlarmDelivery.LAMBDA_ACTION, action.delivery());

        AlarmEvent expected = new AlarmEvent(
                ALARM_NAME,
                "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:" + ALARM_NAME,
                "eu-west-1",
                "123456789012",
                AlarmState.ALARM,
                AlarmState.OK,
                "Threshold Crossed: 3 out of the last 3 datapoints [0.5 (01/05/24 10:15:00), 0.5 (01/05/24 10:10:00), "
                        + "0.5 (01/05/24 10:05:00)] were less than the threshold (1.0) (minimum 3 datapoints for "
                        + "OK -> ALARM transition).",
                Instant.parse("2024-05-01T10:17:42.512Z"),
                Instant.parse("2024-04-28T06:02:11.804Z"),
                "AWS/VPN",
                "TunnelState",
                Map.of("VpnId", VPN),
                "A tunnel of the datacenter VPN " + VPN + " is not UP (TunnelState minimum below 1)",
                null);
        assertEquals(expected, bridge.event());
        assertEquals(expected, action.event());
        // SNS carries only the new state's time.
        assertNull(sns.event().previousStateTime());
        assertEquals(expected.withoutPreviousStateTime(), sns.event());
    }

    @Test
    void snsEventWithSeveralRecordsGivesOneResultEach() {
        String alarmJson = Json.write(Map.of(
                "AlarmName", "cpu-high", "NewStateValue", "ALARM", "OldStateValue", "OK",
                "Region", "Europe (Ireland)", "AlarmArn", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu-high",
                "StateChangeTime", "2024-05-01T10:00:00.000+0000",
                "Trigger", Map.of("Namespace", "AWS/EC2", "MetricName", "CPUUtilization",
                        "Dimensions", List.of(Map.of("name", "InstanceId", "value", "i-0123456789abcdef0")))));
        String payload = Json.write(Map.of("Records", List.of(
                snsRecord(alarmJson, "ALARM: cpu-high"),
                snsRecord("{\"id\": 42, \"name\": \"Bob\"}", "hello"),
                snsRecord("plain text, not JSON", "note"))));

        List<ParsedEvent> parsed = AlarmParser.parse(payload);

        assertEquals(3, parsed.size());
        AlarmEvent cpu = assertInstanceOf(ParsedEvent.Alarm.class, parsed.get(0)).event();
        assertEquals("cpu-high", cpu.alarmName());
        assertEquals("eu-west-1", cpu.region());
        assertEquals("123456789012", cpu.accountId(), "account falls back to the ARN's");
        assertEquals(Map.of("InstanceId", "i-0123456789abcdef0"), cpu.dimensions());
        ParsedEvent.Unrecognised bob = assertInstanceOf(ParsedEvent.Unrecognised.class, parsed.get(1));
        assertEquals("{\"id\": 42, \"name\": \"Bob\"}", bob.rawText(), "the SNS message itself is passed on");
        assertTrue(bob.problem().contains("subject \"hello\""), bob.problem());
        ParsedEvent.Unrecognised text = assertInstanceOf(ParsedEvent.Unrecognised.class, parsed.get(2));
        assertEquals("plain text, not JSON", text.rawText());
    }

    private static Map<String, Object> snsRecord(String message, String subject) {
        return Map.of("EventSource", "aws:sns", "Sns", Map.of("Type", "Notification", "Subject", subject,
                "Message", message, "TopicArn", "arn:aws:sns:eu-west-1:123456789012:alarms"));
    }

    @Test
    void anEventBridgeEventForwardedThroughSnsIsRead() {
        String payload = Json.write(Map.of("Records", List.of(snsRecord(event("vpn-alarm-eventbridge.json"), "forwarded"))));
        ParsedEvent.Alarm alarm = assertInstanceOf(ParsedEvent.Alarm.class, only(payload));
        assertEquals(AlarmDelivery.EVENTBRIDGE, alarm.delivery());
        assertEquals(VpnFixtures.alarm("vpn-alarm-eventbridge.json"), alarm.event());
    }

    @Test
    void snsMetricMathAlarmReadsTheMetricStatInput() {
        String alarmJson = "{\"AlarmName\":\"vpn-math\",\"NewStateValue\":\"ALARM\",\"OldStateValue\":\"OK\","
                + "\"Region\":\"Somewhere (New)\",\"AlarmArn\":\"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:vpn-math\","
                + "\"StateChangeTime\":\"2024-05-01T10:00:00.000+0000\",\"Trigger\":{\"Metrics\":["
                + "{\"Expression\":\"MIN(METRICS())\",\"Id\":\"e1\",\"ReturnData\":true},"
                + "{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Dimensions\":[{\"value\":\"" + VPN + "\",\"name\":\"VpnId\"}],"
                + "\"MetricName\":\"TunnelState\",\"Namespace\":\"AWS/VPN\"},\"Period\":300,\"Stat\":\"Minimum\"},\"ReturnData\":false}]}}";

        AlarmEvent event = assertInstanceOf(ParsedEvent.Alarm.class, only(alarmJson)).event();

        assertEquals("AWS/VPN", event.namespace());
        assertEquals("TunnelState", event.metricName());
        assertEquals(VPN, event.dimension("VpnId"));
        assertEquals("eu-west-1", event.region(), "an unknown long name falls back to the ARN's region");
    }

    @Test
    void compositeAlarmActionHasARuleAndNoMetric() {
        String payload = "{\"source\":\"aws.cloudwatch\",\"alarmArn\":\"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:dc-down\","
                + "\"accountId\":\"123456789012\",\"time\":\"2024-05-01T10:20:00.000+0000\",\"region\":\"eu-west-1\","
                + "\"alarmData\":{\"alarmName\":\"dc-down\",\"state\":{\"value\":\"ALARM\",\"reason\":\"child in ALARM\","
                + "\"timestamp\":\"2024-05-01T10:20:00.000+0000\"},\"previousState\":{\"value\":\"OK\",\"reason\":\"ok\","
                + "\"timestamp\":\"2024-05-01T09:00:00.000+0000\"},\"configuration\":{\"alarmRule\":"
                + "\"ALARM(tunnel-a) AND ALARM(tunnel-b)\"}}}";

        AlarmEvent event = assertInstanceOf(ParsedEvent.Alarm.class, only(payload)).event();

        assertEquals("ALARM(tunnel-a) AND ALARM(tunnel-b)", event.alarmRule());
        assertNull(event.namespace());
        assertNull(event.metricName());
        assertEquals(Map.of(), event.dimensions());
        assertEquals(Instant.parse("2024-05-01T09:00:00Z"), event.previousStateTime());
    }

    @Test
    void keepaliveAlarmHasNoDimensions() {
        AlarmEvent event = VpnFixtures.alarm("keepalive-alarm-lambda-action.json");
        assertEquals("Tidewatch", event.namespace());
        assertEquals("ReachableTargets", event.metricName());
        assertEquals(Map.of(), event.dimensions());
    }

    @Test
    void okEventCarriesBothStateTimes() {
        AlarmEvent ok = VpnFixtures.alarm("vpn-alarm-ok-eventbridge.json");
        assertEquals(AlarmState.OK, ok.newState());
        assertEquals(AlarmState.ALARM, ok.oldState());
        assertEquals(Instant.parse("2024-05-01T11:04:12.020Z"), ok.stateChangeTime());
        assertEquals(Instant.parse("2024-05-01T10:17:42.512Z"), ok.previousStateTime());
    }

    @Test
    void configurationChangeIsIgnored() {
        String payload = "{\"detail-type\":\"CloudWatch Alarm Configuration Change\",\"source\":\"aws.cloudwatch\","
                + "\"detail\":{\"alarmName\":\"cpu-high\",\"operation\":\"update\"}}";
        ParsedEvent.Ignored ignored = assertInstanceOf(ParsedEvent.Ignored.class, only(payload));
        assertTrue(ignored.what().contains("cpu-high"));
    }

    @Test
    void malformedJsonIsUnrecognisedWithTheRawText() {
        ParsedEvent.Unrecognised result = assertInstanceOf(ParsedEvent.Unrecognised.class, only("{\"AlarmName\": "));
        assertEquals("{\"AlarmName\": ", result.rawText());
        assertTrue(result.problem().startsWith("malformed JSON"), result.problem());
    }

    @Test
    void theScheduleIsATunnelCheck() {
        String scheduled = "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"resources\":"
                + "[\"arn:aws:events:eu-west-1:123456789012:rule/tidewatch-tunnel-check\"],\"detail\":{}}";
        ParsedEvent.TunnelCheck check = assertInstanceOf(ParsedEvent.TunnelCheck.class, only(scheduled));
        assertEquals("arn:aws:events:eu-west-1:123456789012:rule/tidewatch-tunnel-check", check.rule());
        String notFromEventBridge = "{\"detail-type\":\"Scheduled Event\",\"source\":\"my.app\",\"detail\":{}}";
        assertInstanceOf(ParsedEvent.Unrecognised.class, only(notFromEventBridge));
    }

    @Test
    void otherEventShapesAreUnrecognised() {
        assertInstanceOf(ParsedEvent.Unrecognised.class, only("{\"hello\":\"world\"}"));
        assertInstanceOf(ParsedEvent.Unrecognised.class, only("[1,2,3]"));
        assertInstanceOf(ParsedEvent.Unrecognised.class, only(""));
    }

    @Test
    void anUnknownStateValueIsUnrecognisedAndNamesThePath() {
        String payload = event("vpn-alarm-eventbridge.json").replace("\"value\": \"ALARM\"", "\"value\": \"PANIC\"");
        ParsedEvent.Unrecognised result = assertInstanceOf(ParsedEvent.Unrecognised.class, only(payload));
        assertTrue(result.problem().contains("event.detail.state.value"), result.problem());
        assertTrue(result.problem().contains("PANIC"), result.problem());
    }

    @Test
    void rawTextIsTruncatedToAboutThreeThousandCharacters() {
        String huge = "x".repeat(10_000);
        ParsedEvent.Unrecognised result = assertInstanceOf(ParsedEvent.Unrecognised.class, only(huge));
        assertEquals(ParsedEvent.RAW_TEXT_MAX, result.rawText().length());
        assertTrue(result.rawText().endsWith("\u2026"));
    }

    @Test
    void timestampsInEveryFormatAlarmsUse() {
        tidewatch.json.JsonObject owner = Json.parseObject("{\"a\":\"2015-06-03T17:43:27.123+0000\","
                + "\"b\":\"2019-10-02T17:04:40Z\",\"c\":\"2024-05-01T10:00:00.5+02:00\"}", "t");
        assertEquals(Instant.parse("2015-06-03T17:43:27.123Z"), AlarmParser.timestamp(owner, "a"));
        assertEquals(Instant.parse("2019-10-02T17:04:40Z"), AlarmParser.timestamp(owner, "b"));
        assertEquals(Instant.parse("2024-05-01T08:00:00.5Z"), AlarmParser.timestamp(owner, "c"));
    }

    @Test
    void regionLongNamesMapToCodes() {
        assertEquals("eu-west-1", RegionNames.code("EU (Ireland)").orElseThrow());
        assertEquals("eu-west-1", RegionNames.code("Europe (Ireland)").orElseThrow());
        assertEquals("us-east-1", RegionNames.code("US East (N. Virginia)").orElseThrow());
        assertEquals("eu-central-1", RegionNames.code("eu-central-1").orElseThrow());
        assertTrue(RegionNames.code("Atlantis (Deep)").isEmpty());
        assertEquals("eu-west-1", RegionNames.fromArn("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a:b"));
        assertNull(RegionNames.fromArn("EXAMPLE"));
    }
}

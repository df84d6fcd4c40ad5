package tidewatch.vpn;

import java.util.List;
import java.util.Map;
import tidewatch.aws.AwsClients;
import tidewatch.aws.SnapStartPriming;
import tidewatch.json.Json;

/**
 * SnapStart priming of {@link VpnAlarmFunction} (see {@link SnapStartPriming}): parses a tunnel alarm as EventBridge
 * and SNS deliver it, renders a message for both channels, and runs the EC2, Lambda, SNS and secret-store requests
 * through the SDK up to the point where they would be sent.
 */
final class VpnAlarmPriming {
    private static final String ALARM = "{\"AlarmName\":\"tidewatch-priming\",\"AWSAccountId\":\"000000000000\","
            + "\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"Threshold Crossed: priming\",\"StateChangeTime\":\"2026-01-01T00:00:00.000+0000\","
            + "\"Region\":\"US East (N. Virginia)\",\"AlarmArn\":\"arn:aws:cloudwatch:us-east-1:000000000000:alarm:tidewatch-priming\","
            + "\"OldStateValue\":\"OK\",\"Trigger\":{\"MetricName\":\"TunnelState\",\"Namespace\":\"AWS/VPN\",\"Statistic\":\"MINIMUM\","
            + "\"Dimensions\":[{\"value\":\"vpn-00000000000000000\",\"name\":\"VpnId\"}],\"Period\":300,\"EvaluationPeriods\":3,"
            + "\"ComparisonOperator\":\"LessThanThreshold\",\"Threshold\":1.0}}";
    private static final String EVENTBRIDGE = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "CloudWatch Alarm State Change",
             "source": "aws.cloudwatch", "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
             "resources": ["arn:aws:cloudwatch:us-east-1:000000000000:alarm:tidewatch-priming"],
             "detail": {"alarmName": "tidewatch-priming",
              "state": {"value": "ALARM", "reason": "Threshold Crossed: priming", "timestamp": "2026-01-01T00:00:00.000+0000"},
              "previousState": {"value": "OK", "reason": "priming", "timestamp": "2025-12-31T00:00:00.000+0000"},
              "configuration": {"metrics": [{"id": "m1", "returnData": true, "metricStat": {"period": 300, "stat": "Minimum",
               "metric": {"namespace": "AWS/VPN", "name": "TunnelState", "dimensions": {"VpnId": "vpn-00000000000000000"}}}}]}}}""";

    private VpnAlarmPriming() {}

    static SnapStartPriming.Result prime(AwsClients aws) {
        return SnapStartPriming.prime("VpnAlarmFunction", aws, VpnAlarmPriming::parseSamples,
                () -> SnapStartPriming.renderSampleMessage("vpn-alarm"));
    }

    private static void parseSamples() {
        AlarmParser.parse(EVENTBRIDGE);
        AlarmParser.parse(Json.write(Map.of("Records", List.of(Map.of("EventSource", "aws:sns",
                "Sns", Map.of("Type", "Notification", "Subject", "ALARM: priming", "Message", ALARM))))));
        Json.write(Map.of("results", List.of(Map.of("alarm", "tidewatch-priming", "state", "ALARM"))));
    }
}

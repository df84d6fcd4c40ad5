package tidewatch.vpn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tidewatch.aws.AwsClients;
import tidewatch.priming.SnapStartPriming;
import tidewatch.json.Json;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.notify.Message;
import tidewatch.notify.NotifyPriming;
import tidewatch.notify.Notifier;
import tidewatch.notify.SlackMessage;
import tidewatch.notify.SnsMessage;

/**
 * SnapStart priming of {@link VpnAlarmFunction} (see {@link SnapStartPriming}): parses a tunnel alarm as EventBridge
 * and SNS deliver it, assesses it against made-up telemetry of one tunnel down (the verdict, the responses the
 * function's settings allow, the scheduled tunnel check), renders that message for both channels without running a
 * response, and makes the calls of the function's own adapters ({@link Ec2TunnelTelemetry}, {@link AwsResponder}, the
 * notifier's channels), each stopped before it is sent.
 */
final class VpnAlarmPriming {
    private static final String VPN_ID = "vpn-00000000000000000";
    private static final Response.ReplaceTunnel SAMPLE_REPLACEMENT = new Response.ReplaceTunnel(VPN_ID, "192.0.2.10",
            Duration.ofHours(1), "tidewatch:priming", Instant.parse("2026-01-01T01:00:00Z"));
    private static final String ALARM = "{\"AlarmName\":\"tidewatch-priming\",\"AWSAccountId\":\"000000000000\","
            + "\"NewStateValue\":\"ALARM\",\"NewStateReason\":\"Threshold Crossed: priming\",\"StateChangeTime\":\"2026-01-01T00:00:00.000+0000\","
            + "\"Region\":\"US East (N. Virginia)\",\"AlarmArn\":\"arn:aws:cloudwatch:us-east-1:000000000000:alarm:tidewatch-priming\","
            + "\"OldStateValue\":\"OK\",\"Trigger\":{\"MetricName\":\"TunnelState\",\"Namespace\":\"AWS/VPN\",\"Statistic\":\"MINIMUM\","
            + "\"Dimensions\":[{\"value\":\"" + VPN_ID + "\",\"name\":\"VpnId\"}],\"Period\":300,\"EvaluationPeriods\":3,"
            + "\"ComparisonOperator\":\"LessThanThreshold\",\"Threshold\":1.0}}";
    private static final String EVENTBRIDGE = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "CloudWatch Alarm State Change",
             "source": "aws.cloudwatch", "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
             "resources": ["arn:aws:cloudwatch:us-east-1:000000000000:alarm:tidewatch-priming"],
             "detail": {"alarmName": "tidewatch-priming",
              "state": {"value": "ALARM", "reason": "Threshold Crossed: priming", "timestamp": "2026-01-01T00:00:00.000+0000"},
              "previousState": {"value": "OK", "reason": "priming", "timestamp": "2025-12-31T00:00:00.000+0000"},
              "configuration": {"metrics": [{"id": "m1", "returnData": true, "metricStat": {"period": 300, "stat": "Minimum",
               "metric": {"namespace": "AWS/VPN", "name": "TunnelState", "dimensions": {"VpnId": "%s"}}}}]}}}""".formatted(VPN_ID);

    private VpnAlarmPriming() {}

    /** Primes the adapters' calls only when they are the AWS ones built from {@code aws} (tests pass fakes and no aws). */
    static SnapStartPriming.Result prime(AwsClients aws, TunnelTelemetrySource telemetry, Responder responder, Notifier notifier,
                                         VpnAlarmSettings config) {
        SnapStartPriming priming = new SnapStartPriming("VpnAlarmFunction")
                .step(VpnAlarmPriming::parseSamples)
                .step(() -> assessSample(config));
        if (telemetry instanceof Ec2TunnelTelemetry ec2) {
            priming.request(() -> ec2.describe(List.of(VPN_ID), InvocationDeadline.unbounded()));
        }
        if (responder instanceof AwsResponder actions) {
            priming.request(() -> actions.invoke(new Response.KeepaliveBurst("tidewatch-priming", 1), InvocationDeadline.unbounded()))
                    .request(() -> actions.tagCooldown(SAMPLE_REPLACEMENT, InvocationDeadline.unbounded()))
                    .request(() -> actions.replaceTunnel(SAMPLE_REPLACEMENT, InvocationDeadline.unbounded()));
        }
        if (notifier != null) {
            NotifyPriming.requests(notifier, "vpn-alarm").forEach(priming::request);
        }
        return priming.run(aws == null ? null : aws.http());
    }

    /**
     * The function's own path for one alarm, without the calls: the priming alarm, on the function's settings but for
     * the priming VPN, assessed against one tunnel down for an hour and the other UP; the message rendered with every
     * planned response reported as requested (none runs). Returns the message.
     */
    static Message assessSample(VpnAlarmSettings config) {
        AlarmEvent alarm = ((ParsedEvent.Alarm) AlarmParser.parse(EVENTBRIDGE).get(0)).event();
        VpnAlarmSettings primingConfig = new VpnAlarmSettings(List.of(VPN_ID), config.keepaliveBurstEnabled(),
                config.keepaliveFunctionName(), config.keepaliveBurstRounds(), config.tunnelReplacementEnabled(),
                config.tunnelDownThreshold(), config.tunnelReplacementCooldown(), config.metricsNamespace());
        Instant now = Instant.parse("2026-01-01T01:00:00Z");
        Map<String, VpnTelemetry> telemetry = Map.of(VPN_ID, new VpnTelemetry.Available(new VpnConnectionStatus(VPN_ID,
                VpnConnectionStatus.AVAILABLE, List.of(
                        new TunnelTelemetry("192.0.2.10", TunnelTelemetry.Status.DOWN, "priming", now.minusSeconds(3600), 0),
                        new TunnelTelemetry("192.0.2.20", TunnelTelemetry.Status.UP, "", now.minusSeconds(86_400), 2)),
                Map.of())));
        VpnAlarmDecision.tunnelCheck(primingConfig, telemetry, now);
        VpnAlarmPlan.Notify plan = (VpnAlarmPlan.Notify) VpnAlarmDecision.decide(alarm, primingConfig, telemetry, now);
        List<ResponseResult> results = plan.responses().stream().map(ResponseResult::done).toList();
        Message message = plan.message(results);
        SlackMessage.render(message);
        SnsMessage.render(message);
        Json.write(plan.summary(results, List.of("sns", "slack")));
        return message;
    }

    private static void parseSamples() {
        AlarmParser.parse(EVENTBRIDGE);
        AlarmParser.parse(Json.write(Map.of("Records", List.of(Map.of("EventSource", "aws:sns",
                "Sns", Map.of("Type", "Notification", "Subject", "ALARM: priming", "Message", ALARM))))));
    }
}

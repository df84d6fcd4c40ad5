package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tidewatch.aws.AwsClients;
import tidewatch.aws.SnapStartPriming;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.notify.SlackMessage;
import tidewatch.notify.SnsMessage;

/**
 * SnapStart priming of {@link EcsTaskStateFunction} (see {@link SnapStartPriming}): parses a task stop as EventBridge
 * and SQS deliver it, diagnoses it, decides, renders its message for both channels, and runs the ECS, CloudWatch
 * Logs, SNS and secret-store requests through the SDK up to the point where they would be sent.
 */
final class EcsPriming {
    /** A crashed service task, trimmed to what the function reads. */
    static final String SAMPLE_EVENT = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "ECS Task State Change",
             "source": "aws.ecs", "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
             "resources": ["arn:aws:ecs:us-east-1:000000000000:task/priming/0123456789abcdef0123456789abcdef"],
             "detail": {"clusterArn": "arn:aws:ecs:us-east-1:000000000000:cluster/priming",
              "taskArn": "arn:aws:ecs:us-east-1:000000000000:task/priming/0123456789abcdef0123456789abcdef",
              "taskDefinitionArn": "arn:aws:ecs:us-east-1:000000000000:task-definition/priming:1",
              "group": "service:priming", "launchType": "FARGATE", "platformVersion": "1.4.0",
              "availabilityZone": "us-east-1a", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
              "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
              "stoppedAt": "2026-01-01T00:00:00.000Z", "version": 3, "overrides": {"containerOverrides": [{"name": "app"}]},
              "tags": [{"key": "tidewatch:restart", "value": "on-failure:3"}],
              "containers": [{"name": "app", "exitCode": 1, "lastStatus": "STOPPED", "reason": "priming"}]}}""";

    private EcsPriming() {}

    static SnapStartPriming.Result prime(AwsClients aws) {
        return SnapStartPriming.prime("EcsTaskStateFunction", aws, EcsPriming::handleSample,
                () -> SnapStartPriming.renderSampleMessage("ecs"));
    }

    /** The function's own path for one stop, without the calls: parse, diagnose, decide, render. */
    private static void handleSample() {
        JsonObject batch = Json.parseObject(Json.write(Map.of("Records", List.of(Map.of("messageId", "priming", "body", SAMPLE_EVENT)))),
                "priming batch");
        TaskStopEvent event = TaskStopEvent.fromEventBridge(Json.parseObject(batch.objects("Records").get(0).string("body"), "priming"));
        TaskDefinitionFacts facts = EcsState.facts(TaskDefinition.builder().memory("1024")
                .containerDefinitions(c -> c.name("app").essential(true).memory(512).logConfiguration(l -> l.logDriver(LogDriver.AWSLOGS)
                        .options(Map.of("awslogs-group", "/ecs/priming", "awslogs-stream-prefix", "ecs", "awslogs-region", "us-east-1"))))
                .build());
        Diagnosis diagnosis = TaskStopClassifier.classify(event, facts);
        CrashLoop crashLoop = new CrashLoop(3, Duration.ofMinutes(15));
        Instant at = event.stoppedAt();
        TaskStopPlan plan = TaskStopDecision.forServiceTask(diagnosis,
                crashLoop.count(List.of(at.minusSeconds(120), at.minusSeconds(60), at), at), crashLoop);
        TaskStopMessage.LogEvidence logs = new TaskStopMessage.LogEvidence("/ecs/priming", "ecs/app/0123456789abcdef0123456789abcdef",
                "us-east-1", List.of("Error: priming", "    at main"), null);
        var message = TaskStopMessage.build(event, diagnosis, plan.severity(), plan.action(), plan.crashCount(), logs, List.of("other"));
        SlackMessage.render(message);
        SnsMessage.render(message);
        Json.write(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "priming"))));
    }
}

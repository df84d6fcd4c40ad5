package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import tidewatch.aws.AwsClients;
import tidewatch.datacenter.DatacenterAddresses;
import tidewatch.datacenter.Reachability;
import tidewatch.datacenter.ReachabilityReader;
import tidewatch.priming.SnapStartPriming;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.notify.NotifyPriming;
import tidewatch.notify.Notifier;
import tidewatch.notify.SlackMessage;
import tidewatch.notify.SnsMessage;

/**
 * SnapStart priming of {@link EcsTaskStateFunction} (see {@link SnapStartPriming}): parses a task stop as EventBridge
 * and SQS deliver it, diagnoses it, decides, renders its message for both channels, and makes the calls of the
 * function's own adapters ({@link EcsState}'s and {@link ContainerLogs}' reads, {@link TaskRestarter}'s RunTask, the notifier's channels), each
 * stopped before it is sent.
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

    /** A restart with every part a real one can have; its RunTask is stopped like every priming request. */
    private static final RestartRequest SAMPLE_RESTART = new RestartRequest("arn:aws:ecs:us-east-1:000000000000:cluster/priming",
            "arn:aws:ecs:us-east-1:000000000000:task-definition/priming:1", "FARGATE", null, "1.4.0",
            List.of("subnet-00000000"), List.of("sg-00000000"),
            Map.of("containerOverrides", List.of(Map.of("name", "app", "command", List.of("true"),
                    "environment", List.of(Map.of("name", "A", "value", "1"))))),
            "family:priming", Map.of("tidewatch:restart-count", "1"), "tidewatch-priming", 1);

    private EcsPriming() {}

    static SnapStartPriming.Result prime(AwsClients aws, EcsState state, ContainerLogs logs, TaskRestarter restarter, Notifier notifier,
                                         ReachabilityReader datacenter, SilenceTags silences) {
        SnapStartPriming priming = new SnapStartPriming("EcsTaskStateFunction")
                .step(EcsPriming::handleSample)
                .step(() -> NotifyPriming.renderSample("ecs"))
                .request(() -> state.describeTaskDefinition("arn:aws:ecs:us-east-1:000000000000:task-definition/priming:1"))
                .request(() -> state.listStoppedTasks(sampleEvent(), null))
                .request(() -> state.readTasks(sampleEvent().clusterArn(), List.of(sampleEvent().taskArn())))
                .request(() -> logs.lastLogLines("/ecs/priming", "ecs/app/0123456789abcdef0123456789abcdef", 20, ContainerLogs.READ_TIMEOUT))
                .request(() -> restarter.restart(SAMPLE_RESTART, InvocationDeadline.unbounded()))
                .request(() -> datacenter.describe(ReachabilityReader.READ_TIMEOUT))
                .request(() -> silences.serviceRecord(sampleEvent().clusterArn(), sampleEvent().groupName(), SilenceTags.READ_TIMEOUT))
                .request(() -> silences.clusterTags(sampleEvent().clusterArn(), SilenceTags.READ_TIMEOUT));
        NotifyPriming.requests(notifier, "ecs").forEach(priming::request);
        return priming.run(aws.http());
    }

    private static TaskStopEvent sampleEvent() {
        return TaskStopEvent.fromEventBridge(Json.parseObject(SAMPLE_EVENT, "priming"));
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
        Reachability down = new Reachability(Reachability.State.UNREACHABLE, at, "VPN vpn-00000000: both tunnels DOWN");
        TaskStopPlan folded = DatacenterOutageRule.apply(plan, event, diagnosis, down, crashLoop);
        String finding = DatacenterAddresses.parse("10.0.0.0/8", List.of()).connectionFailure(List.of("connect ETIMEDOUT 10.0.0.1:1433"))
                .orElseThrow();
        var message = TaskStopMessage.build(event, diagnosis, plan.severity(), plan.action(), plan.crashCount(), logs, List.of("other"),
                down, finding);
        var outage = OutageMessage.build(down, folded.severity(), List.of(new OutageMessage.ServiceStops(event, diagnosis,
                plan.crashCount(), List.of(event.taskId()), finding)), logs, "app");
        for (var rendered : List.of(message, outage)) {
            SlackMessage.render(rendered);
            SnsMessage.render(rendered);
        }
        Json.write(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "priming"))));
    }
}

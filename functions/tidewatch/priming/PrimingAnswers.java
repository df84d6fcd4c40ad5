package tidewatch.priming;

import java.util.Map;

/**
 * Answers, in each service's wire format, for the read requests that SnapStart priming lets run to the end inside the
 * process ({@link PrimingInterceptor}): the SDK then unmarshals a realistic answer and the adapter reads it, as on a
 * real invocation, so that after a restore the first answer of each kind finds its code loaded, linked and run once.
 * Only reads are answered, and only reads whose results nothing keeps (the adapters' bare calls); writes, the
 * webhook's secret and parameter, and Lambda Invoke stay stopped before transmission. Every ARN and id here is of the
 * account 000000000000, which no real resource has.
 */
public final class PrimingAnswers {
    /** The header by which a marked request asks the HTTP client for its answer; set only by the interceptor. */
    public static final String HEADER = "x-tidewatch-priming-answer";

    private static final String ECS_JSON = "application/x-amz-json-1.1";
    private static final String XML = "text/xml;charset=UTF-8";
    private static final String TASK = "arn:aws:ecs:us-east-1:000000000000:task/priming/0123456789abcdef0123456789abcdef";
    private static final String CLUSTER = "arn:aws:ecs:us-east-1:000000000000:cluster/priming";
    private static final String DEFINITION = "arn:aws:ecs:us-east-1:000000000000:task-definition/priming:1";

    /** An answer: its content type and body. */
    public record Answer(String contentType, String body) {}

    private static final Map<String, Answer> ANSWERS = Map.of(
            "Ecs.DescribeTaskDefinition", new Answer(ECS_JSON, """
                    {"taskDefinition": {"taskDefinitionArn": "%s", "family": "priming", "revision": 1, "memory": "1024", "cpu": "512",
                     "status": "ACTIVE", "containerDefinitions": [{"name": "app", "image": "priming", "essential": true, "memory": 512,
                     "memoryReservation": 256, "cpu": 0, "logConfiguration": {"logDriver": "awslogs", "options": {
                     "awslogs-group": "/ecs/priming", "awslogs-stream-prefix": "ecs", "awslogs-region": "us-east-1"}}}]}}"""
                    .formatted(DEFINITION)),
            "Ecs.ListTasks", new Answer(ECS_JSON, "{\"taskArns\": [\"" + TASK + "\"]}"),
            "Ecs.DescribeTasks", new Answer(ECS_JSON, """
                    {"tasks": [{"taskArn": "%s", "clusterArn": "%s", "taskDefinitionArn": "%s", "group": "service:priming",
                     "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                     "stoppedReason": "Essential container in task exited", "stoppedAt": 1767225600.0, "launchType": "FARGATE",
                     "platformVersion": "1.4.0", "availabilityZone": "us-east-1a", "startedBy": "ecs-svc/0000000000000000000", "version": 3,
                     "containers": [{"name": "app", "exitCode": 1, "lastStatus": "STOPPED", "reason": "priming"}],
                     "attachments": [{"type": "ElasticNetworkInterface", "details": [{"name": "subnetId", "value": "subnet-00000000"}]}],
                     "overrides": {"containerOverrides": [{"name": "app", "command": ["true"], "environment": [{"name": "A", "value": "1"}]}]},
                     "tags": [{"key": "tidewatch:restart", "value": "on-failure:3"}]}], "failures": []}"""
                    .formatted(TASK, CLUSTER, DEFINITION)),
            "Ecs.DescribeServices", new Answer(ECS_JSON, """
                    {"services": [{"serviceName": "priming", "serviceArn": "arn:aws:ecs:us-east-1:000000000000:service/priming/priming",
                     "clusterArn": "%s", "status": "ACTIVE", "desiredCount": 2, "runningCount": 1, "pendingCount": 0, "taskDefinition": "%s",
                     "events": [{"id": "0", "createdAt": 1767225600.0, "message": "(service priming) has reached a steady state."}],
                     "deployments": [{"id": "ecs-svc/0000000000000000000", "status": "PRIMARY", "taskDefinition": "%s"}],
                     "tags": [{"key": "team", "value": "priming"}]}], "failures": []}""".formatted(CLUSTER, DEFINITION, DEFINITION)),
            "Ecs.DescribeClusters", new Answer(ECS_JSON, """
                    {"clusters": [{"clusterArn": "%s", "clusterName": "priming", "status": "ACTIVE",
                     "tags": [{"key": "team", "value": "priming"}]}], "failures": []}""".formatted(CLUSTER)),
            "CloudWatchLogs.GetLogEvents", new Answer(ECS_JSON, """
                    {"events": [{"timestamp": 1767225600000, "message": "Error: priming", "ingestionTime": 1767225600001}],
                     "nextForwardToken": "f/0", "nextBackwardToken": "b/0"}"""),
            "CloudWatchLogs.FilterLogEvents", new Answer(ECS_JSON, """
                    {"events": [{"logStreamName": "203.0.113.1-00000000", "timestamp": 1767225600000, "message": "priming",
                     "ingestionTime": 1767225600001, "eventId": "0"}], "searchedLogStreams": []}"""),
            "Ec2.DescribeVpnConnections", new Answer(XML, """
                    <DescribeVpnConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
                    <requestId>00000000-0000-0000-0000-000000000000</requestId><vpnConnectionSet><item>
                    <vpnConnectionId>vpn-00000000</vpnConnectionId><state>available</state><customerGatewayId>cgw-00000000</customerGatewayId>
                    <type>ipsec.1</type><vgwTelemetry>
                    <item><outsideIpAddress>203.0.113.1</outsideIpAddress><status>UP</status>
                    <lastStatusChange>2026-01-01T00:00:00.000Z</lastStatusChange><statusMessage/><acceptedRouteCount>1</acceptedRouteCount></item>
                    <item><outsideIpAddress>203.0.113.2</outsideIpAddress><status>DOWN</status>
                    <lastStatusChange>2026-01-01T00:00:00.000Z</lastStatusChange><statusMessage>priming</statusMessage><acceptedRouteCount>0</acceptedRouteCount></item>
                    </vgwTelemetry><options><tunnelOptionSet>
                    <item><outsideIpAddress>203.0.113.1</outsideIpAddress><startupAction>add</startupAction><dpdTimeoutAction>clear</dpdTimeoutAction>
                    <logOptions><cloudWatchLogOptions><logEnabled>false</logEnabled></cloudWatchLogOptions></logOptions></item>
                    </tunnelOptionSet></options><tagSet><item><key>tidewatch:priming</key><value>2026-01-01T00:00:00Z</value></item></tagSet>
                    </item></vpnConnectionSet></DescribeVpnConnectionsResponse>"""),
            "Sns.Publish", new Answer(XML, """
                    <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>
                    <MessageId>00000000-0000-0000-0000-000000000000</MessageId></PublishResult>
                    <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></PublishResponse>"""));

    private PrimingAnswers() {}

    /** The answer of a service's operation ("Ecs", "DescribeTasks": the SDK's service and operation names), or null when priming stops that request instead. */
    static Answer answer(String service, String operation) {
        return ANSWERS.get(service + "." + operation);
    }

    /** The answer a request's {@link #HEADER} names, or null. */
    public static Answer named(String key) {
        return key == null ? null : ANSWERS.get(key);
    }
}

package tidewatch.bench;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A function's SDK floor: {@code FloorProcess FLOOR RESULT_FILE}. A bare JVM, started and measured like the
 * baseline, that does a function's AWS work with none of Tidewatch's code: it builds the SDK clients the function
 * builds, the way the baseline builds its one (SDK defaults on the URLConnection client), and makes the calls the
 * function's first invocation makes on the benchmark's sample event (same operations and request members, against
 * the same sandbox world), then the Slack post. No implementation on the AWS SDK can do the same work in less, so
 * the floor's ratio to the baseline is the least the function's ratio could be, and the difference is what
 * Tidewatch's own code costs.
 */
public final class FloorProcess {
    /** What each floor does, as the benchmark's report labels it. */
    static final Map<String, String> FLOORS = Map.of(
            "ecs", "its SDK calls alone",
            "vpn", "its SDK calls alone",
            "vpn-telemetry", "DescribeVpnConnections alone");

    private FloorProcess() {}

    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        ChildResult result = new ChildResult().put("entered", entered);
        try {
            SdkHttpClient http = UrlConnectionHttpClient.create();
            switch (args[0]) {
                case "ecs" -> postToSlack(ecs(http));
                case "vpn" -> postToSlack(vpn(http));
                case "vpn-telemetry" -> describeVpnConnection(Ec2Client.builder().httpClient(http).build());
                default -> throw new IllegalArgumentException("not a floor: " + args[0] + " (one of " + FLOORS.keySet() + ")");
            }
            result.put("firstDone", System.nanoTime()).put("peakKiB", ChildResult.peakResidentKiB())
                    .put("loadedClasses", java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        } catch (Exception e) {
            result.put("error", e.toString());
        }
        result.write(Path.of(args[1]));
        System.exit(0);
    }

    /**
     * EcsTaskStateFunction on events/ecs-service-task-crashed.json in the web-crash-loop world: clients built first
     * (as at init), then the task definition, the service's stopped tasks, the log evidence, the notification and
     * the webhook. Returns the webhook URL.
     */
    private static String ecs(SdkHttpClient http) {
        EcsClient ecs = EcsClient.builder().httpClient(http).build();
        CloudWatchLogsClient logs = CloudWatchLogsClient.builder().httpClient(http).build();
        SnsClient sns = SnsClient.builder().httpClient(http).build();
        SsmClient ssm = SsmClient.builder().httpClient(http).build();
        String cluster = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";
        ecs.describeTaskDefinition(r -> r.taskDefinition("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42"));
        List<String> stopped = ecs.listTasks(r -> r.cluster(cluster).serviceName("web").desiredStatus(DesiredStatus.STOPPED)
                .maxResults(100)).taskArns();
        ecs.describeTasks(r -> r.cluster(cluster).tasks(stopped));
        logs.getLogEvents(r -> r.logGroupName("/ecs/web").logStreamName("ecs/web/8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f")
                .limit(20).startFromHead(false));
        publish(sns);
        return webhook(ssm);
    }

    /**
     * VpnAlarmFunction on events/vpn-alarm-eventbridge.json in the vpn-one-tunnel-down world: the tunnel telemetry,
     * the keepalive burst, the notification and the webhook. Returns the webhook URL.
     */
    private static String vpn(SdkHttpClient http) {
        Ec2Client ec2 = Ec2Client.builder().httpClient(http).build();
        LambdaClient lambda = LambdaClient.builder().httpClient(http).build();
        SnsClient sns = SnsClient.builder().httpClient(http).build();
        SsmClient ssm = SsmClient.builder().httpClient(http).build();
        describeVpnConnection(ec2);
        lambda.invoke(r -> r.functionName(System.getenv("KEEPALIVE_FUNCTION_NAME")).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"burst\":3}")));
        publish(sns);
        return webhook(ssm);
    }

    private static void describeVpnConnection(Ec2Client ec2) {
        ec2.describeVpnConnections(r -> r.filters(f -> f.name("vpn-connection-id").values("vpn-0a1b2c3d4e5f67890")));
    }

    private static void publish(SnsClient sns) {
        MessageAttributeValue critical = MessageAttributeValue.builder().dataType("String").stringValue("critical").build();
        sns.publish(r -> r.topicArn(System.getenv("NOTIFY_TOPIC_ARN")).subject("[CRITICAL] floor").message("floor")
                .messageAttributes(Map.of("severity", critical)));
    }

    private static String webhook(SsmClient ssm) {
        return ssm.getParameter(r -> r.name(System.getenv("SLACK_WEBHOOK_SECRET")).withDecryption(true)).parameter().value();
    }

    private static void postToSlack(String url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write("{\"text\":\"floor\"}".getBytes(StandardCharsets.UTF_8));
        }
        connection.getInputStream().readAllBytes();
    }
}

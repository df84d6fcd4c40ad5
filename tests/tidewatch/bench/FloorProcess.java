package tidewatch.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.ssm.SsmClient;
import tidewatch.aws.AwsClients;

/**
 * A function's floor: {@code FloorProcess FLOOR RESULT_FILE}. A bare JVM, started and measured like the baseline,
 * that does a function's AWS work without the function's logic: it builds the SDK clients the function builds, on the
 * functions' own client configuration ({@link AwsClients}: one HTTP client, region from the environment, one
 * credentials provider and one timeout thread for all), and makes, one after another, the calls the function's first
 * invocation makes on the benchmark's sample event (same operations and request members, against the same sandbox
 * world), then the Slack post on the same HTTP client. Each answer is checked for what the function needs from it, so
 * a floor that stopped getting real answers fails instead of getting faster. The floor's ratio to the baseline is
 * what that AWS work costs on the SDK; the function's ratio to its floor is what its own code adds.
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
            AwsClients clients = AwsClients.fromEnvironment();
            switch (args[0]) {
                case "ecs" -> postToSlack(clients.http(), ecs(clients));
                case "vpn" -> postToSlack(clients.http(), vpn(clients));
                case "vpn-telemetry" -> describeVpnConnection(clients.ec2());
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
     * (as at init), then the task definition, the service's stopped tasks, the VPN connections (is the datacenter
     * reachable), the cluster's and service's silences, the log evidence, the notification and the webhook. Returns the webhook URL.
     */
    private static String ecs(AwsClients clients) {
        EcsClient ecs = clients.ecs();
        CloudWatchLogsClient logs = clients.logs();
        SnsClient sns = clients.sns();
        SsmClient ssm = clients.ssm();
        String cluster = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";
        require(ecs.describeTaskDefinition(r -> r.taskDefinition("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42"))
                .taskDefinition().containerDefinitions().stream().anyMatch(c -> c.logConfiguration() != null), "a log configuration");
        List<String> stopped = ecs.listTasks(r -> r.cluster(cluster).serviceName("web").desiredStatus(DesiredStatus.STOPPED)
                .maxResults(100)).taskArns();
        require(!ecs.describeTasks(r -> r.cluster(cluster).tasks(stopped)).tasks().isEmpty(), "the service's stopped tasks");
        // The datacenter's reachability, on a client built at the first abnormal stop as the function builds it.
        clients.ec2().describeVpnConnections(r -> r.filters(f -> f.name("vpn-connection-id")
                .values(List.of(System.getenv("VPN_CONNECTION_IDS").split(",")))));
        // The silences on the cluster and the service, read before the message is sent.
        ecs.describeClusters(r -> r.clusters(cluster).include(ClusterField.TAGS));
        ecs.describeServices(r -> r.cluster(cluster).services("web").include(ServiceField.TAGS));
        require(!logs.getLogEvents(r -> r.logGroupName("/ecs/web").logStreamName("ecs/web/8f2c1d9e0a7b4c3d9e1f2a3b4c5d6e7f")
                .limit(20).startFromHead(false)).events().isEmpty(), "log lines");
        publish(sns);
        return webhook(ssm);
    }

    /**
     * VpnAlarmFunction on events/vpn-alarm-eventbridge.json in the vpn-one-tunnel-down world: the tunnel telemetry,
     * the keepalive burst, the notification and the webhook. Returns the webhook URL.
     */
    private static String vpn(AwsClients clients) {
        Ec2Client ec2 = clients.ec2();
        LambdaClient lambda = clients.lambda();
        SnsClient sns = clients.sns();
        SsmClient ssm = clients.ssm();
        describeVpnConnection(ec2);
        lambda.invoke(r -> r.functionName(System.getenv("KEEPALIVE_FUNCTION_NAME")).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{\"burst\":3}")));
        publish(sns);
        return webhook(ssm);
    }

    private static void describeVpnConnection(Ec2Client ec2) {
        require(ec2.describeVpnConnections(r -> r.filters(f -> f.name("vpn-connection-id").values("vpn-0a1b2c3d4e5f67890")))
                .vpnConnections().stream().anyMatch(vpn -> vpn.vgwTelemetry().size() == 2), "the VPN connection's two tunnels");
    }

    private static void publish(SnsClient sns) {
        MessageAttributeValue critical = MessageAttributeValue.builder().dataType("String").stringValue("critical").build();
        sns.publish(r -> r.topicArn(System.getenv("NOTIFY_TOPIC_ARN")).subject("[CRITICAL] floor").message("floor")
                .messageAttributes(Map.of("severity", critical)));
    }

    private static String webhook(SsmClient ssm) {
        return ssm.getParameter(r -> r.name(System.getenv("SLACK_WEBHOOK_SECRET")).withDecryption(true)).parameter().value();
    }

    private static void postToSlack(SdkHttpClient http, String url) throws Exception {
        byte[] body = "{\"text\":\"floor\"}".getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().uri(URI.create(url)).method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Content-Length", Integer.toString(body.length)).build();
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(request)
                .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();
        response.responseBody().ifPresent(FloorProcess::drain);
        require(response.httpResponse().isSuccessful(), "Slack's 2xx");
    }

    private static void drain(InputStream body) {
        try (body) {
            body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean answered, String what) {
        if (!answered) {
            throw new IllegalStateException("the sandbox's answer lacks " + what);
        }
    }
}

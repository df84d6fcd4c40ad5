package tidewatch.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.model.DescribeVpnConnectionsRequest;
import software.amazon.awssdk.services.ec2.model.VgwTelemetry;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.NetworkInterface;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/**
 * Priming runs every SDK call of every client up to transmission, and nothing reaches the sandbox; the answers of the
 * stopped calls have their model types loaded.
 */
class SnapStartPrimingTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private final Sandbox sandbox = sandboxes.start(World.empty());

    @Test
    void everyCallOfEveryClientIsStoppedBeforeItIsSent() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        aws.ecs();
        aws.ec2();
        aws.sns();
        aws.logs();
        aws.lambda();
        aws.secretsManager();
        aws.ssm();

        SnapStartPriming.Result result = SnapStartPriming.prime("test", aws);

        // ECS: DescribeTaskDefinition, ListTasks, DescribeTasks, RunTask; EC2: DescribeVpnConnections, CreateTags,
        // ReplaceVpnTunnel; one each for Logs, SNS, Lambda, Secrets Manager and SSM. Each stopped once: no retries.
        assertEquals(12, result.requestsStopped(), logs.text());
        assertEquals(0, result.failures(), logs.text());
        assertEquals(0, sandbox.requests(), "nothing was sent");
        assertTrue(sandbox.calls().isEmpty());
    }

    @Test
    void theAnswersOfStoppedRequestsHaveTheirShapesLoaded() {
        Set<Class<?>> describeTasks = new HashSet<>();
        SnapStartPriming.loadResponseShape(DescribeTasksRequest.class, describeTasks);
        // The builders of the answer and of the structures nested in it, directly and in lists.
        assertTrue(describeTasks.containsAll(Set.of(DescribeTasksResponse.builder().getClass(), Task.builder().getClass(),
                Container.builder().getClass(), NetworkInterface.builder().getClass(), Failure.builder().getClass())), describeTasks.toString());

        Set<Class<?>> vpnConnections = new HashSet<>();
        SnapStartPriming.loadResponseShape(DescribeVpnConnectionsRequest.class, vpnConnections);
        assertTrue(vpnConnections.contains(VgwTelemetry.builder().getClass()), vpnConnections.toString());
        assertTrue(vpnConnections.stream().noneMatch(describeTasks::contains), "each answer its own shape");

        Set<Class<?>> publish = new HashSet<>();
        SnapStartPriming.loadShape(PublishRequest.builder(), publish);
        assertTrue(publish.contains(MessageAttributeValue.builder().getClass()), "structures that are map values: " + publish);
    }

    @Test
    void theHookLoadsTheAnswersOfWhatItStopped() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        aws.ecs();
        Set<Class<?>> ecsAnswers = new HashSet<>();
        for (Class<?> request : List.of(DescribeTaskDefinitionRequest.class, ListTasksRequest.class, DescribeTasksRequest.class,
                RunTaskRequest.class)) {
            SnapStartPriming.loadResponseShape(request, ecsAnswers);
        }

        SnapStartPriming.Result result = SnapStartPriming.prime("test", aws);

        assertEquals(0, result.failures(), logs.text());
        assertEquals(ecsAnswers.size(), result.responseTypesLoaded(), "the answers of the four ECS calls it stopped, no more");
        assertTrue(logs.text().contains("\"responseTypesLoaded\":" + ecsAnswers.size()), logs.text());
    }

    @Test
    void onlyMarkedRequestsAreStopped() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        SnapStartPriming.prime("test", aws, () -> SnapStartPriming.renderSampleMessage("test"));
        aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("real"));
        assertEquals(1, sandbox.calls("sns", "Publish").size(), "the same client still sends real requests");
    }

    @Test
    void aClientWithoutTheInterceptorIsNotPrimed() {
        try (SnsClient bare = SnsClient.builder().httpClient(AwsClients.httpClient(Duration.ofSeconds(2)))
                .region(Region.of(Sandbox.REGION)).endpointOverride(sandbox.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build()) {
            assertEquals(1, SnapStartPriming.primeClient("test", bare));
        }
        assertEquals(0, sandbox.requests());
    }

    @Test
    void aFailingStepIsCountedAndNeverEscapes() {
        SnapStartPriming.Result result = SnapStartPriming.prime("test", null,
                () -> { throw new IllegalStateException("broken step"); },
                () -> { throw new NoClassDefFoundError("missing"); },
                () -> SnapStartPriming.renderSampleMessage("test"));
        assertEquals(2, result.failures());
        assertEquals(0, result.requestsStopped());
        assertTrue(logs.text().contains("SnapStart priming step failed"));
    }
}

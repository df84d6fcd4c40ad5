package tidewatch.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.model.DescribeVpnConnectionsRequest;
import software.amazon.awssdk.services.ec2.model.VgwTelemetry;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DescribeTasksRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.NetworkInterface;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import tidewatch.aws.AwsClients;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/**
 * Priming's requests run through every client up to transmission, and nothing reaches the sandbox; the answers of the
 * stopped calls have their model types loaded. (Each function's own calls: EcsPrimingTest, VpnAlarmPrimingTest.)
 */
class SnapStartPrimingTest {
    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private final Sandbox sandbox = sandboxes.start(World.empty().topic("arn:aws:sns:us-east-1:123456789012:t"));

    @Test
    void aRequestThroughEveryClientIsStoppedBeforeItIsSent() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        SnapStartPriming.Result result = new SnapStartPriming("test")
                .request(() -> aws.ecs().describeTaskDefinition(r -> r.taskDefinition("priming:1")))
                .request(() -> aws.ec2().describeVpnConnections(r -> r.vpnConnectionIds("vpn-00000000000000000")))
                .request(() -> aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:t").message("priming")))
                .request(() -> aws.logs().getLogEvents(r -> r.logGroupName("/ecs/priming").logStreamName("s")))
                .request(() -> aws.lambda().invoke(r -> r.functionName("priming").payload(SdkBytes.fromUtf8String("{}"))))
                .request(() -> aws.secretsManager().getSecretValue(r -> r.secretId("priming")))
                .request(() -> aws.ssm().getParameter(r -> r.name("/priming")))
                .run(aws.http());

        // Each stopped once: no retries.
        assertEquals(7, result.requestsStopped(), logs.text());
        assertEquals(0, result.failures(), logs.text());
        assertEquals(0, sandbox.requests(), "nothing was sent");
        assertTrue(sandbox.calls().isEmpty());
    }

    @Test
    void theAnswersOfStoppedRequestsHaveTheirShapesLoaded() {
        Set<Class<?>> describeTasks = new HashSet<>();
        ResponseShapes.loadResponseShape(DescribeTasksRequest.class, describeTasks);
        // The builders of the answer and of the structures nested in it, directly and in lists.
        assertTrue(describeTasks.containsAll(Set.of(DescribeTasksResponse.builder().getClass(), Task.builder().getClass(),
                Container.builder().getClass(), NetworkInterface.builder().getClass(), Failure.builder().getClass())), describeTasks.toString());

        Set<Class<?>> vpnConnections = new HashSet<>();
        ResponseShapes.loadResponseShape(DescribeVpnConnectionsRequest.class, vpnConnections);
        assertTrue(vpnConnections.contains(VgwTelemetry.builder().getClass()), vpnConnections.toString());
        assertTrue(vpnConnections.stream().noneMatch(describeTasks::contains), "each answer its own shape");

        Set<Class<?>> publish = new HashSet<>();
        ResponseShapes.loadShape(PublishRequest.builder(), publish);
        assertTrue(publish.contains(MessageAttributeValue.builder().getClass()), "structures that are map values: " + publish);
    }

    @Test
    void primingLoadsTheAnswersOfWhatItStoppedAndNotOfWhatItAnswered() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        Set<Class<?>> stoppedAnswers = new HashSet<>();
        for (Class<?> request : List.of(RunTaskRequest.class, GetParameterRequest.class)) {
            ResponseShapes.loadResponseShape(request, stoppedAnswers);
        }

        SnapStartPriming.Result result = new SnapStartPriming("test")
                .request(() -> aws.ecs().runTask(r -> r.cluster("priming").taskDefinition("priming:1")))
                .request(() -> aws.ssm().getParameter(r -> r.name("/priming")))
                .request(() -> aws.ecs().describeTasks(r -> r.cluster("priming").tasks("t"))) // answered in the process (PrimingAnswers)
                .run(aws.http());

        assertEquals(0, result.failures(), logs.text());
        assertEquals(3, result.requestsStopped(), "none of the three left the process");
        assertEquals(stoppedAnswers.size(), result.responseTypesLoaded(), "the answers of the two stopped calls, no more");
        assertTrue(logs.text().contains("\"answeredInProcess\":1,\"responseTypesLoaded\":" + stoppedAnswers.size()), logs.text());
        assertEquals(0, sandbox.requests());
    }

    @Test
    void onlyRequestsOfThePrimingThreadAreStopped() throws Exception {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        AtomicInteger sentFromAnotherThread = new AtomicInteger();
        new SnapStartPriming("test").request(() -> {
            aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("priming"));
        }).request(() -> {
            Thread other = new Thread(() -> {
                aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("other thread"));
                sentFromAnotherThread.incrementAndGet();
            });
            other.start();
            other.join();
            aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("priming"));
        }).run(aws.http());
        aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("real"));

        assertEquals(1, sentFromAnotherThread.get(), "a thread priming did not mark sends as usual");
        assertEquals(2, sandbox.calls("sns", "Publish").size(), "the other thread's and the real one, after priming");
    }

    @Test
    void aRequestThatMakesNoSdkCallIsAFailure() {
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        SnapStartPriming.Result result = new SnapStartPriming("test").request(() -> { }).run(aws.http());
        assertEquals(1, result.failures(), "an adapter that no longer makes its call shows as a failed step");
        assertTrue(logs.text().contains("made no SDK request"), logs.text());
    }

    @Test
    void withoutClientsNoRequestRuns() {
        AtomicInteger ran = new AtomicInteger();
        SnapStartPriming.Result result = new SnapStartPriming("test").request(ran::incrementAndGet).run(null);
        assertEquals(0, ran.get(), "adapters not built from AwsClients may lack the interceptor: they are not called");
        assertEquals(0, result.failures());
    }

    @Test
    void aFailingStepIsCountedAndNeverEscapes() {
        SnapStartPriming.Result result = new SnapStartPriming("test")
                .step(() -> { throw new IllegalStateException("broken step"); })
                .step(() -> { throw new NoClassDefFoundError("missing"); })
                .step(() -> { })
                .run(null);
        assertEquals(2, result.failures());
        assertEquals(0, result.requestsStopped());
        assertTrue(logs.text().contains("SnapStart priming step failed"));
    }
}

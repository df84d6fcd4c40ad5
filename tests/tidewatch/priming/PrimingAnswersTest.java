package tidewatch.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.VpnConnection;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Task;
import tidewatch.aws.AwsClients;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;

/**
 * The reads priming answers inside the process unmarshal into the full models the adapters read (a wrong element or
 * member name would leave them empty without an error), and nothing of them reaches the network.
 */
class PrimingAnswersTest {
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private final Sandbox sandbox = sandboxes.start(World.empty());
    private final AwsClients aws = sandbox.clients(Duration.ofSeconds(2));

    private static <T> T marked(Supplier<T> call) {
        PrimingInterceptor.markThread(true);
        try {
            return call.get();
        } finally {
            PrimingInterceptor.markThread(false);
        }
    }

    @Test
    void ecsAnswersCarryEveryMemberTheAdaptersRead() {
        Task task = marked(() -> aws.ecs().describeTasks(r -> r.cluster("priming").tasks("t"))).tasks().get(0);
        assertEquals(1, task.containers().get(0).exitCode());
        assertEquals("subnet-00000000", task.attachments().get(0).details().get(0).value());
        assertEquals("on-failure:3", task.tags().get(0).value());
        assertEquals(java.time.Instant.parse("2026-01-01T00:00:00Z"), task.stoppedAt());
        assertEquals("true", task.overrides().containerOverrides().get(0).command().get(0));
        var definition = marked(() -> aws.ecs().describeTaskDefinition(r -> r.taskDefinition("priming:1"))).taskDefinition();
        assertEquals(256, definition.containerDefinitions().get(0).memoryReservation());
        assertEquals("/ecs/priming", definition.containerDefinitions().get(0).logConfiguration().options().get("awslogs-group"));
        assertEquals(1, marked(() -> aws.ecs().listTasks(r -> r.cluster("priming"))).taskArns().size());
        var service = marked(() -> aws.ecs().describeServices(r -> r.cluster("priming").services("priming").include(ServiceField.TAGS)))
                .services().get(0);
        assertEquals(2, service.desiredCount());
        assertTrue(service.events().get(0).message().contains("steady state"));
        assertEquals("PRIMARY", service.deployments().get(0).status());
        assertEquals("priming", marked(() -> aws.ecs().describeClusters(r -> r.clusters("priming"))).clusters().get(0).tags().get(0).value());
    }

    @Test
    void ec2LogsAndSnsAnswersUnmarshalWhole() {
        VpnConnection vpn = marked(() -> aws.ec2().describeVpnConnections(r -> r.vpnConnectionIds("vpn-00000000"))).vpnConnections().get(0);
        assertEquals(2, vpn.vgwTelemetry().size());
        assertEquals("DOWN", vpn.vgwTelemetry().get(1).statusAsString());
        assertEquals(java.time.Instant.parse("2026-01-01T00:00:00Z"), vpn.vgwTelemetry().get(0).lastStatusChange());
        assertEquals("add", vpn.options().tunnelOptions().get(0).startupAction());
        assertEquals("clear", vpn.options().tunnelOptions().get(0).dpdTimeoutAction());
        assertEquals(false, vpn.options().tunnelOptions().get(0).logOptions().cloudWatchLogOptions().logEnabled());
        assertEquals("tidewatch:priming", vpn.tags().get(0).key());
        assertEquals("Error: priming", marked(() -> aws.logs().getLogEvents(r -> r.logGroupName("g").logStreamName("s"))).events().get(0).message());
        assertEquals(1, marked(() -> aws.logs().filterLogEvents(r -> r.logGroupName("g"))).events().size());
        assertEquals("00000000-0000-0000-0000-000000000000",
                marked(() -> aws.sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:t").message("m"))).messageId());
        assertEquals(0, sandbox.requests(), "answered inside the process: nothing was sent");
    }

    @Test
    void writesAndSecretsStayStoppedAndUnmarkedRequestsAreNeverAnswered() {
        assertThrows(RuntimeException.class, () -> marked(() -> aws.ssm().getParameter(r -> r.name("/priming"))));
        assertThrows(RuntimeException.class, () -> marked(() -> aws.ecs().runTask(r -> r.cluster("priming").taskDefinition("priming:1"))));
        assertEquals(0, sandbox.requests());
        assertNull(PrimingAnswers.answer("Ssm", "GetParameter"));
        assertNull(PrimingAnswers.answer("SecretsManager", "GetSecretValue"));
        // Unmarked, the same read goes to the network (here the sandbox, which knows no such cluster).
        aws.ecs().describeClusters(r -> r.clusters("priming"));
        assertEquals(1, sandbox.requests());
    }
}

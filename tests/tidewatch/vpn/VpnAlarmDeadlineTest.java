package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.vpn.VpnFixtures.event;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.CloudFormationTemplate;
import tidewatch.local.FunctionJvm;
import tidewatch.local.LocalContext;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;

/**
 * The alarm function inside its invocation's deadline, through the sandbox with the production clients' timeouts
 * (read 4 s, 12 s per call): the reads and responses leave the notification its time, and optional evidence that is
 * slow or has no time left is left out and said to be.
 */
class VpnAlarmDeadlineTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:tidewatch-notifications";
    private static final Path ONE_TUNNEL_DOWN = Path.of("events/worlds/vpn-one-tunnel-down.json");
    private static final Path ONE_DOWN_WITH_LOGS = Path.of("events/worlds/vpn-one-tunnel-down-default-options.json");

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private Sandbox sandbox;

    /** The world with the keepalive function the usual settings name. */
    private AwsClients aws(World world) {
        sandbox = sandboxes.start(world.function("tidewatch-keepalive"));
        return sandbox.clients(AwsClients.READ_TIMEOUT);
    }

    private static VpnAlarmFunction function(AwsClients aws, Notifier notifier, VpnAlarmSettings config) {
        return new VpnAlarmFunction(VpnAlarmParts.of(aws, notifier, config, Clock.fixed(VpnFixtures.SAMPLE_WORLDS_NOW, ZoneOffset.UTC)));
    }

    private static JsonObject invoke(VpnAlarmFunction function, String payload, Context context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, context);
        return Json.parseObject(out.toString(StandardCharsets.UTF_8), "output");
    }

    /** EC2, Lambda and SNS hang (answering after 30 s); Slack and SNS as deployed, replacement on. */
    private VpnAlarmFunction whileEc2LambdaAndSnsHang() {
        AwsClients aws = aws(World.load(ONE_TUNNEL_DOWN).fault("ec2", "timeout").fault("lambda", "timeout")
                .fault("sns", "timeout"));
        sandbox.slowResponse(Duration.ofSeconds(30));
        Notifier notifier = Notifier.fromSettings(new Settings(sandbox.declaring(Map.of("NOTIFY_TOPIC_ARN", TOPIC,
                "SLACK_WEBHOOK_SECRET", "/tidewatch/slack-webhook-url"))), aws);
        return function(aws, notifier, VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"));
    }

    @Test
    void aVpnAlarmWhileEc2LambdaAndSnsHangIsToldOnSlackInsideTheTemplatesTimeout() throws IOException {
        int timeout = FunctionJvm.timeout(CloudFormationTemplate.load(Path.of("template.yaml")), "VpnAlarmFunction");
        VpnAlarmFunction function = whileEc2LambdaAndSnsHang();

        long started = System.nanoTime();
        JsonObject output = invoke(function, event("vpn-alarm-sns.json"),
                new LocalContext("VpnAlarmFunction", 512, timeout));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(Duration.ofSeconds(timeout)) < 0, "finished inside the template's " + timeout
                + " s timeout: " + took.toMillis() + " ms");
        assertEquals(List.of("slack"), output.objects("results").get(0).strings("notified"));
        assertEquals(1, sandbox.calls("slack", "post").size(), "told once, on Slack");
        String posted = Json.write(sandbox.calls("slack", "post").get(0).params());
        assertTrue(posted.contains("telemetry unavailable, DescribeVpnConnections timed out"), posted);
        assertTrue(posted.contains("keepalive burst of 3 rounds: failed"), posted);
        assertTrue(!sandbox.calls("lambda", "Invoke").isEmpty(), "the burst was tried, within what was left");
        assertTrue(sandbox.calls("ec2", "ReplaceVpnTunnel").isEmpty(), "nothing replaced blind");
        assertEquals(1, sandbox.calls("sns", "Publish").size(), "SNS tried at the same time, not waited for past the deadline");
    }

    @Test
    void withLessTimeThanTheHungCallsTakeTheAlarmIsStillToldInsideTheDeadline() throws IOException {
        // 15 s: the hung DescribeVpnConnections (12 s) and Invoke (12 s) would take far longer than the budget.
        VpnAlarmFunction function = whileEc2LambdaAndSnsHang();

        long started = System.nanoTime();
        JsonObject output = invoke(function, event("vpn-alarm-sns.json"), new LocalContext("VpnAlarmFunction", 512, 15));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "finished inside its 15 s: " + took.toMillis() + " ms");
        assertEquals(List.of("slack"), output.objects("results").get(0).strings("notified"));
        String posted = Json.write(sandbox.calls("slack", "post").get(0).params());
        assertTrue(posted.contains("telemetry unavailable, DescribeVpnConnections timed out"), posted);
        assertTrue(posted.contains("keepalive burst of 3 rounds: not attempted, no time left in the invocation"), posted);
        assertTrue(sandbox.calls("lambda", "Invoke").isEmpty(), "no call started without the time to finish it");
    }

    @Test
    void tunnelLogsThatAreSlowAreLeftOutAndTheMessageSaysSo() throws IOException {
        AwsClients aws = aws(World.load(ONE_DOWN_WITH_LOGS).fault("logs", "timeout"));
        RecordingChannel channel = new RecordingChannel("test", false);
        VpnAlarmFunction function = function(aws, new Notifier(List.of(channel)), VpnFixtures.config(
                "VPN_CONNECTION_IDS", "vpn-0a1b2c3d4e5f67890", "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive",
                "ENABLE_TUNNEL_OPTIONS_REPAIR", "true"));

        long started = System.nanoTime();
        invoke(function, event("vpn-alarm-eventbridge.json"), new LocalContext("VpnAlarmFunction", 512, 30));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Message message = channel.messages().get(0);
        String log = VpnFixtures.field(message, "Tunnel log 203.0.113.10");
        assertTrue(log.startsWith("not read: timed out (FilterLogEvents on /aws/vpn/city-datacenter); sent without it"), log);
        assertEquals(null, message.evidence(), "no log lines");
        assertTrue(took.compareTo(CallTimeouts.EVIDENCE_BUDGET.plusSeconds(2)) < 0,
                "the evidence took no more than its budget: " + took.toMillis() + " ms");
        assertEquals(1, sandbox.calls("lambda", "Invoke").size(), "the responses still ran");
        assertEquals(1, sandbox.calls("ec2", "ModifyVpnTunnelOptions").size());
    }

    @Test
    void withNoTimeLeftTheAlarmIsStillToldWithoutReadingOrActing() throws IOException {
        AwsClients aws = aws(World.load(ONE_TUNNEL_DOWN));
        RecordingChannel channel = new RecordingChannel("test", false);
        VpnAlarmFunction function = function(aws, new Notifier(List.of(channel)),
                VpnFixtures.usualConfig("ENABLE_TUNNEL_REPLACEMENT", "true"));

        // 6 s: the 2 s safety margin and the notification's reserve leave nothing for reads or responses.
        invoke(function, event("vpn-alarm-sns.json"), new LocalContext("VpnAlarmFunction", 512, 6));

        assertEquals(List.of(), sandbox.calls(), "no AWS call started without the time to finish it");
        Message message = channel.messages().get(0);
        assertTrue(VpnFixtures.field(message, "VPN").contains("DescribeVpnConnections not called: no time left in the invocation"),
                VpnFixtures.field(message, "VPN"));
        assertEquals("keepalive burst of 3 rounds: not attempted, no time left in the invocation",
                VpnFixtures.field(message, "Automatic response").split("; ")[0]);
    }
}

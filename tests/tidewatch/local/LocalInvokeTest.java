package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tidewatch.json.Json;

/** The runner end to end: template, fresh JVM, sandbox, report. */
class LocalInvokeTest {
    private final ByteArrayOutputStream functionLog = new ByteArrayOutputStream();

    private LocalInvoke.Report run(String... args) {
        return LocalInvoke.run(LocalInvoke.parse(args), new PrintStream(functionLog, true, StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> calls(LocalInvoke.Report report, String service, String operation) {
        return report.calls().stream().filter(c -> service.equals(c.get("service")) && operation.equals(c.get("operation"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> call) {
        return (Map<String, Object>) call.get("params");
    }

    @Test
    void theReadmeRunCommandReportsEveryCallOfTheEcsFunction() {
        LocalInvoke.Report report = run("invoke", "EcsTaskStateFunction", "events/ecs-service-task-crashed.json",
                "--world", "events/worlds/web-crash-loop.json");
        assertNull(report.error(), functionLog.toString(StandardCharsets.UTF_8));
        // DescribeClusters and DescribeServices: the silences on the cluster and the service, read before the message,
        // while the log lines are read (so GetLogEvents may come before, between or after them).
        List<String> reads = report.calls().stream().filter(c -> List.of("ecs", "logs").contains(c.get("service")))
                .map(c -> (String) c.get("operation")).toList();
        assertEquals(List.of("DescribeTaskDefinition", "ListTasks", "DescribeTasks"), reads.subList(0, 3));
        assertEquals(List.of("DescribeClusters", "DescribeServices", "GetLogEvents"), reads.subList(3, reads.size()).stream().sorted().toList());
        assertTrue(reads.indexOf("DescribeClusters") < reads.indexOf("DescribeServices"), reads.toString());
        Map<String, Object> publish = params(calls(report, "sns", "Publish").get(0));
        assertEquals("[CRITICAL] Service web is crash-looping in prod (3 abnormal stops)", publish.get("Subject"));
        assertTrue(String.valueOf(publish.get("TopicArn")).startsWith("arn:aws:sns:"), "NOTIFY_TOPIC_ARN came from the template");
        Map<String, Object> slack = params(calls(report, "slack", "post").get(0));
        assertTrue(String.valueOf(slack.get("text")).startsWith("CRITICAL: Service web is crash-looping"));
        assertEquals(Map.of("result", "NOTIFIED"), report.output());
        String json = Json.write(report.toJson());
        assertFalse(json.contains("/slack/services/T0SANDBOX"), "the webhook URL is a secret and never reported");
        String printed = Json.writePretty(report.toJson());
        assertTrue(printed.contains("\"error\" : null"), "the printed report always has its error member: " + printed);
        assertTrue(printed.contains("\"timedOut\" : false"), "and its timedOut member: " + printed);
        assertEquals(0, LocalInvoke.exitStatus(report));
        assertEveryInvocationLineCarriesOneRequestIdAndColdStart();
        assertTrue(Pattern.compile("\nREPORT RequestId: \\S+\tDuration: [0-9.]+ ms\tInit Duration: [0-9.]+ ms\n")
                .matcher(functionLog.toString(StandardCharsets.UTF_8)).find(), "a REPORT line as Lambda's, without a timeout status");
    }

    /** From the invocation's first line on, each log line names the same request and says it was the JVM's first. */
    private void assertEveryInvocationLineCarriesOneRequestIdAndColdStart() {
        List<Map<String, Object>> lines = functionLog.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("{") && line.contains("\"level\""))
                .map(line -> Json.parseObject(line, "log line").asMap())
                .dropWhile(line -> !line.containsKey("function_request_id")).toList();
        assertFalse(lines.isEmpty(), "the invocation logged lines with its request id");
        assertTrue(lines.stream().allMatch(line -> lines.get(0).get("function_request_id").equals(line.get("function_request_id"))
                && Boolean.TRUE.equals(line.get("cold_start"))), lines.toString());
    }

    @Test
    void envOverridesTheTemplateAndRestartsShowTheRunTaskCall() {
        LocalInvoke.Report report = run("invoke", "EcsTaskStateFunction", "events/ecs-standalone-task-crashed.json",
                "--world", "events/worlds/nightly-report-restart.json", "--env", "ENABLE_TASK_RESTARTS=true");
        assertNull(report.error());
        Map<String, Object> runTask = params(calls(report, "ecs", "RunTask").get(0));
        assertEquals("arn:aws:ecs:eu-west-1:123456789012:task-definition/nightly-report:7", runTask.get("taskDefinition"));
        assertTrue(String.valueOf(runTask.get("clientToken")).startsWith("tidewatch-"));
    }

    @Test
    void theKeepaliveReportsItsMetrics() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LocalInvoke.Report report = run("invoke", "VpnKeepaliveFunction", "events/keepalive-scheduled.json",
                    "--env", "KEEPALIVE_TARGETS=127.0.0.1:" + open.getLocalPort());
            assertNull(report.error(), functionLog.toString(StandardCharsets.UTF_8));
            Map<String, Object> reachable = report.metrics().stream()
                    .filter(m -> "Reachable".equals(m.get("name"))).findFirst().orElseThrow();
            assertEquals(1, ((Number) reachable.get("value")).intValue());
            assertEquals(Map.of("Target", "127.0.0.1:" + open.getLocalPort()), reachable.get("dimensions"));
            assertTrue(report.metrics().stream().anyMatch(m -> "ReachableTargets".equals(m.get("name"))
                    && ((Number) m.get("value")).intValue() == 1 && ((Map<?, ?>) m.get("dimensions")).isEmpty()));
            assertTrue(report.calls().isEmpty(), "metrics are log lines, not API calls");
        }
    }

    @Test
    void theVpnAlarmShowsTheTelemetryReadAndTheBurst() {
        LocalInvoke.Report report = run("invoke", "VpnAlarmFunction", "events/vpn-alarm-sns.json",
                "--world", "events/worlds/vpn-both-tunnels-down.json");
        assertNull(report.error(), functionLog.toString(StandardCharsets.UTF_8));
        assertEquals(1, calls(report, "ec2", "DescribeVpnConnections").size());
        Map<String, Object> invoke = params(calls(report, "lambda", "Invoke").get(0));
        assertEquals("Event", invoke.get("InvocationType"));
        assertEquals(Map.of("burst", 3), invoke.get("Payload"));
        String subject = String.valueOf(params(calls(report, "sns", "Publish").get(0)).get("Subject"));
        assertTrue(subject.startsWith("[CRITICAL] VPN down"), subject);
    }

    @Test
    void withAwsTheSdkRecordsItsOwnCalls() {
        // --aws as someone with an account would run it, but the "account" is a sandbox started here, so that
        // the calls can be checked: the report's calls come from the function's own SDK clients.
        String topic = "arn:aws:sns:eu-west-1:210987654321:tidewatch-prod-NotificationTopic-1A2B3C";
        String keepalive = "arn:aws:lambda:eu-west-1:210987654321:function:tidewatch-prod-VpnKeepaliveFunction-4D5E6F:live";
        try (Sandbox account = Sandbox.start(World.load(Path.of("events/worlds/vpn-both-tunnels-down.json"))
                .topic(topic).function(keepalive).parameter("/tidewatch/slack-webhook-url"))) {
            LocalInvoke.Report report = run("invoke", "VpnAlarmFunction", "events/vpn-alarm-sns.json", "--aws",
                    "--env", "AWS_ENDPOINT_URL=" + account.endpoint(), "--env", "AWS_REGION=eu-west-1",
                    "--env", "AWS_ACCESS_KEY_ID=AKIDTEST", "--env", "AWS_SECRET_ACCESS_KEY=test-secret",
                    "--env", "NOTIFY_TOPIC_ARN=" + topic, "--env", "KEEPALIVE_FUNCTION_NAME=" + keepalive,
                    "--parameter", "VpnConnectionId1=vpn-0a1b2c3d4e5f67890");
            assertNull(report.error(), functionLog.toString(StandardCharsets.UTF_8));
            List<String> sent = account.calls().stream().filter(c -> !c.service().equals("slack"))
                    .map(c -> c.service() + " " + c.operation()).toList();
            // The same calls (the webhook is read while the alarm is assessed: the two orders may differ there).
            assertEquals(sent.stream().sorted().toList(),
                    report.calls().stream().map(c -> c.get("service") + " " + c.get("operation")).sorted().toList());
            Map<String, Object> invoke = params(calls(report, "lambda", "Invoke").get(0));
            assertEquals(Map.of("burst", 3), invoke.get("Payload"));
        }
    }

    @Test
    void withAwsTheRunnerRefusesToStartWhileANameIsStillAPlaceholderAndSaysWhatToSet() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> LocalInvoke.parse(new String[] {
                "invoke", "VpnAlarmFunction", "events/vpn-alarm-sns.json", "--aws"}));
        String message = refused.getMessage();
        assertTrue(message.contains("NOTIFY_TOPIC_ARN (from the template's resource NotificationTopic): set --env NOTIFY_TOPIC_ARN="), message);
        assertTrue(message.contains("KEEPALIVE_FUNCTION_NAME (from the template's resource VpnKeepaliveFunctionAliaslive)"), message);
        assertTrue(message.contains("VPN_CONNECTION_IDS (from the template's parameter VpnConnectionId1): set --env VPN_CONNECTION_IDS=..."
                + " or --parameter VpnConnectionId1=..."), message);
        assertFalse(message.contains("SLACK_WEBHOOK_SECRET"), "a parameter's own default is a real name, not a placeholder");

        IllegalArgumentException oneLeft = assertThrows(IllegalArgumentException.class, () -> LocalInvoke.parse(new String[] {
                "invoke", "VpnAlarmFunction", "events/vpn-alarm-sns.json", "--aws", "--env", "NOTIFY_TOPIC_ARN=arn:aws:sns:eu-west-1:1:t",
                "--parameter", "VpnConnectionId1=vpn-0123456789abcdef0"}));
        assertFalse(oneLeft.getMessage().contains("NOTIFY_TOPIC_ARN") || oneLeft.getMessage().contains("VPN_CONNECTION_IDS"), oneLeft.getMessage());
        assertTrue(oneLeft.getMessage().contains("KEEPALIVE_FUNCTION_NAME"), oneLeft.getMessage());
        assertTrue(LocalInvoke.parse(new String[] {"invoke", "VpnAlarmFunction", "events/vpn-alarm-sns.json"}) != null,
                "the sandbox's own run needs none of them");
    }

    @Test
    void locallyOnlyTheTemplatesOwnResourcesExistSoAnotherTopicGetsSnsNotFound() {
        LocalInvoke.Report report = run("invoke", "EcsTaskStateFunction", "events/ecs-service-task-crashed.json",
                "--world", "events/worlds/web-crash-loop.json", "--env", "NOTIFY_TOPIC_ARN=arn:aws:sns:us-east-1:123456789012:typo");
        assertNull(report.error(), "Slack still took the message: " + functionLog.toString(StandardCharsets.UTF_8));
        assertEquals(1, calls(report, "sns", "Publish").size());
        String log = functionLog.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Topic does not exist"), "SNS's own answer is logged: " + log);
        assertEquals(1, calls(report, "slack", "post").size());
    }

    @Test
    void aHandlerThatThrowsIsReportedAsAnError() throws IOException {
        Path bad = Files.createTempFile("tidewatch-bad-event", ".json");
        Files.writeString(bad, "{\"detail-type\": \"ECS Task State Change\", ");
        LocalInvoke.Report report = run("invoke", "EcsTaskStateFunction", bad.toString());
        assertTrue(report.error().startsWith("tidewatch.json.InvalidInputException: malformed JSON"), report.error());
        assertTrue(report.calls().isEmpty());
        Files.delete(bad);
    }

    @Test
    void anInvocationIsStoppedAtTheTemplatesTimeoutAsLambdaStopsIt() throws IOException {
        // The VPN alarm function blind to its deadline (DeadlineBlindHandler) with a 2 s Timeout, while every service
        // it calls holds its answer for 10 s.
        Path template = Files.createTempFile("tidewatch-template", ".yaml");
        String text = Files.readString(Path.of("template.yaml"));
        int function = text.indexOf("\n  VpnAlarmFunction:\n");
        int timeout = text.indexOf("      Timeout: 30\n", function);
        assertTrue(function > 0 && timeout > function, "template.yaml gives VpnAlarmFunction a Timeout of 30 s");
        text = text.substring(0, timeout) + "      Timeout: 2\n" + text.substring(timeout + "      Timeout: 30\n".length());
        String handler = "      Handler: tidewatch.vpn.VpnAlarmFunction::handleRequest\n";
        assertTrue(text.indexOf(handler, function) > function, "the function's handler");
        Files.writeString(template, text.substring(0, text.indexOf(handler, function))
                + "      Handler: " + DeadlineBlindHandler.class.getName() + "::handleRequest\n"
                + text.substring(text.indexOf(handler, function) + handler.length()));
        Map<String, Object> world = new LinkedHashMap<>(Json.parseObject(Files.readString(Path.of("events/worlds/vpn-both-tunnels-down.json")), "world").asMap());
        world.put("faults", Map.of("ec2", "timeout", "lambda", "timeout", "sns", "timeout", "slack", "timeout"));
        Path worldFile = Files.createTempFile("tidewatch-world", ".json");
        Files.writeString(worldFile, Json.write(world));

        long start = System.nanoTime();
        LocalInvoke.Report report = run("invoke", "VpnAlarmFunction", "events/vpn-alarm-sns.json", "--world", worldFile.toString(),
                "--template", template.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(template);
        Files.delete(worldFile);

        assertTrue(report.timedOut(), functionLog.toString(StandardCharsets.UTF_8));
        assertEquals("Task timed out after 2.00 seconds", report.error());
        assertNull(report.output(), "the handler did not finish");
        assertEquals(1, LocalInvoke.exitStatus(report));
        assertTrue(seconds >= 2 && seconds < 2 + 8, "stopped at the timeout (plus JVM start and init), not when the calls ended: " + seconds + " s");
        assertTrue(report.calls().stream().noneMatch(c -> "slack".equals(c.get("service"))), "nothing was told inside 2 s");
        String log = functionLog.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains(" Task timed out after 2.00 seconds\n"), "the log says so, as Lambda's does: " + log);
        Matcher reportLine = Pattern.compile("REPORT RequestId: \\S+\tDuration: ([0-9.]+) ms\tInit Duration: [0-9.]+ ms\tStatus: timeout").matcher(log);
        assertTrue(reportLine.find(), log);
        double invocationMillis = Double.parseDouble(reportLine.group(1));
        assertTrue(invocationMillis >= 2000 && invocationMillis < 4000, "the invocation's own time, init apart: " + invocationMillis + " ms");
    }

    @Test
    void badUsageIsRejectedBeforeAnythingRuns() {
        assertThrows(IllegalArgumentException.class, () -> LocalInvoke.parse(new String[] {"invoke", "NoSuchFunction", "events/keepalive-burst.json"}));
        assertThrows(IllegalArgumentException.class, () -> LocalInvoke.parse(new String[] {"invoke", "VpnKeepaliveFunction", "events/missing.json"}));
        assertThrows(IllegalArgumentException.class, () -> LocalInvoke.parse(new String[] {"invoke", "VpnKeepaliveFunction", "events/keepalive-burst.json", "--env", "NOEQUALS"}));
        assertThrows(IllegalArgumentException.class, () -> LocalInvoke.parse(new String[] {"run"}));
    }
}

package tidewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.local.CloudFormationTemplate;
import tidewatch.local.FunctionJvm;
import tidewatch.local.Sandbox;
import tidewatch.local.World;

/**
 * A floor is only a floor if it does the function's AWS work: each one, run in a JVM of its own against a sandbox,
 * makes the same calls as the function's first invocation on the benchmark's sample event in the same world, one after
 * another (the function overlaps some of its reads). When a function gains or loses a call, this fails until its floor follows.
 */
class FloorProcessTest {
    private final CloudFormationTemplate template = CloudFormationTemplate.load(Path.of("template.yaml"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "ecs, EcsTaskStateFunction, events/ecs-service-task-crashed.json, events/worlds/web-crash-loop.json",
            "vpn, VpnAlarmFunction, events/vpn-alarm-eventbridge.json, events/worlds/vpn-one-tunnel-down.json"})
    void aFloorMakesTheCallsOfTheFunctionsFirstInvocation(String floor, String function, String event, String world) throws Exception {
        List<Sandbox.Call> functionCalls;
        try (Sandbox sandbox = Sandbox.start(FunctionJvm.declareTemplateResources(World.load(Path.of(world)), template, Map.of()))) {
            String handler = template.functionHandler(function);
            JsonObject result = runChild(sandbox, function, FunctionProcess.class.getName(), handler.split("::")[0],
                    Path.of(event).toAbsolutePath().toString(), "0");
            assertNull(result.string("error"), "the function ran");
            functionCalls = notificationLast(sandbox.calls());
        }
        List<Sandbox.Call> floorCalls;
        try (Sandbox sandbox = Sandbox.start(FunctionJvm.declareTemplateResources(World.load(Path.of(world)), template, Map.of()))) {
            JsonObject result = runChild(sandbox, function, FloorProcess.class.getName(), floor);
            assertNull(result.string("error"), "the floor ran");
            floorCalls = notificationLast(sandbox.calls());
        }
        assertTrue(functionCalls.size() >= 4, "the sample event takes the function's full path: " + names(functionCalls));
        assertTrue(names(functionCalls).contains("slack post"), names(functionCalls).toString());
        // The same calls; the function overlaps some of its reads (ReadsAhead), the floor makes them one after another.
        assertEquals(names(functionCalls).stream().sorted().toList(), names(floorCalls).stream().sorted().toList());
        List<Sandbox.Call> unmatched = new java.util.ArrayList<>(floorCalls);
        for (Sandbox.Call made : functionCalls) {
            Sandbox.Call floorMade = unmatched.stream().filter(c -> c.service().equals(made.service()) && c.operation().equals(made.operation()))
                    .findFirst().orElseThrow();
            unmatched.remove(floorMade);
            assertNull(floorMade.fault(), "the floor's calls are answered: " + floorMade.toJson());
            switch (made.service() + " " + made.operation()) {
                // What the function writes is its own; the floor publishes to the same topic and posts to the same hook.
                case "sns Publish" -> assertEquals(made.params().get("TopicArn"), floorMade.params().get("TopicArn"));
                case "slack post" -> { }
                default -> assertEquals(made.params(), floorMade.params(), "the same request members");
            }
        }
    }

    @ParameterizedTest
    @CsvSource("vpn-telemetry, VpnAlarmFunction, events/worlds/vpn-one-tunnel-down.json")
    void theTelemetryFloorIsTheOneCallTheVpnFunctionCannotDoWithout(String floor, String function, String world) throws Exception {
        try (Sandbox sandbox = Sandbox.start(FunctionJvm.declareTemplateResources(World.load(Path.of(world)), template, Map.of()))) {
            JsonObject result = runChild(sandbox, function, FloorProcess.class.getName(), floor);
            assertNull(result.string("error"));
            assertEquals(List.of("ec2 DescribeVpnConnections"), names(sandbox.calls()));
            assertNull(sandbox.calls("ec2", "DescribeVpnConnections").get(0).fault(), "answered, not faulted");
        }
    }

    /** Runs {@code MAIN_CLASS ARGS... RESULT_FILE} in a function JVM (the function's environment, pointed at the sandbox). */
    private JsonObject runChild(Sandbox sandbox, String function, String mainClass, String... args) throws Exception {
        Path resultFile = dir.resolve(mainClass + "-" + System.nanoTime() + ".json");
        String[] childArgs = new String[args.length + 1];
        System.arraycopy(args, 0, childArgs, 0, args.length);
        childArgs[args.length] = resultFile.toString();
        Map<String, String> env = FunctionJvm.environment(template, function, Map.of(), sandbox.endpoint());
        List<String> command = FunctionJvm.command(FunctionJvm.memorySize(template, function), System.getProperty("java.class.path"),
                mainClass, childArgs);
        Path log = dir.resolve("child.log");
        Process process = FunctionJvm.processBuilder(command, env, false).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not finish in 60 s: " + Files.readString(log));
        }
        assertTrue(Files.isRegularFile(resultFile), "a result file; the child's output: " + Files.readString(log));
        return Json.parseObject(Files.readString(resultFile), resultFile.toString());
    }

    /** The notifier sends Slack (with its webhook read) and SNS at once: their calls in a fixed order, after the rest. */
    private static List<Sandbox.Call> notificationLast(List<Sandbox.Call> calls) {
        List<String> notifying = List.of("ssm GetParameter", "secretsmanager GetSecretValue", "slack post", "sns Publish");
        return calls.stream().sorted(java.util.Comparator.comparingInt(
                call -> notifying.indexOf(call.service() + " " + call.operation()))).toList();
    }

    private static List<String> names(List<Sandbox.Call> calls) {
        return calls.stream().map(call -> call.service() + " " + call.operation()).toList();
    }
}

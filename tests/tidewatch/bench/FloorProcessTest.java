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
 * makes the same calls, in the same order, as the function's first invocation on the benchmark's sample event in
 * the same world. When a function gains or loses a call, this fails until its floor follows.
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
        List<String> functionCalls;
        try (Sandbox sandbox = Sandbox.start(World.load(Path.of(world)))) {
            String handler = template.functionHandler(function);
            JsonObject result = runChild(sandbox, function, FunctionProcess.class.getName(), handler.split("::")[0],
                    Path.of(event).toAbsolutePath().toString(), "0");
            assertNull(result.string("error"), "the function ran");
            functionCalls = calls(sandbox);
        }
        List<String> floorCalls;
        try (Sandbox sandbox = Sandbox.start(World.load(Path.of(world)))) {
            JsonObject result = runChild(sandbox, function, FloorProcess.class.getName(), floor);
            assertNull(result.string("error"), "the floor ran");
            floorCalls = calls(sandbox);
        }
        assertTrue(functionCalls.size() >= 4, "the sample event takes the function's full path: " + functionCalls);
        assertTrue(functionCalls.contains("slack post"), functionCalls.toString());
        assertEquals(functionCalls, floorCalls);
    }

    @ParameterizedTest
    @CsvSource("vpn-telemetry, VpnAlarmFunction, events/worlds/vpn-one-tunnel-down.json")
    void theTelemetryFloorIsTheOneCallTheVpnFunctionCannotDoWithout(String floor, String function, String world) throws Exception {
        try (Sandbox sandbox = Sandbox.start(World.load(Path.of(world)))) {
            JsonObject result = runChild(sandbox, function, FloorProcess.class.getName(), floor);
            assertNull(result.string("error"));
            assertEquals(List.of("ec2 DescribeVpnConnections"), calls(sandbox));
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
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child finished");
        assertTrue(Files.isRegularFile(resultFile), "a result file; the child's output: " + Files.readString(log));
        return Json.parseObject(Files.readString(resultFile), resultFile.toString());
    }

    private static List<String> calls(Sandbox sandbox) {
        return sandbox.calls().stream().map(call -> call.service() + " " + call.operation()).toList();
    }
}

package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function JVM that the local runner and the benchmark share: the template's environment, Lambda's JVM options. */
class FunctionJvmTest {
    private final CloudFormationTemplate template = CloudFormationTemplate.load(Path.of("template.yaml"));

    @Test
    void theEnvironmentIsTheTemplatesPlusLambdasPlusTheSandbox() {
        Map<String, String> env = FunctionJvm.environment(template, "VpnAlarmFunction", Map.of(), URI.create("http://127.0.0.1:4566"));
        assertEquals(template.functionEnvironment("VpnAlarmFunction", FunctionJvm.localParameters(template, Map.of())).get("JAVA_TOOL_OPTIONS"),
                env.get("JAVA_TOOL_OPTIONS"));
        assertEquals("vpn-0a1b2c3d4e5f67890", env.get("VPN_CONNECTION_IDS"), "the template's local stand-in for VpnConnectionId1");
        assertEquals("VpnAlarmFunction", env.get("AWS_LAMBDA_FUNCTION_NAME"));
        assertEquals("512", env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        assertEquals("30", env.get("TIDEWATCH_TIMEOUT_SECONDS"));
        assertEquals("http://127.0.0.1:4566", env.get("AWS_ENDPOINT_URL"));
        assertEquals(Sandbox.REGION, env.get("AWS_REGION"));

        Map<String, String> real = FunctionJvm.environment(template, "VpnAlarmFunction", Map.of(), null);
        assertFalse(real.containsKey("AWS_ENDPOINT_URL") || real.containsKey("AWS_ACCESS_KEY_ID"), "--aws: the caller's credentials");
    }

    @Test
    void theJvmGetsTheManagedRuntimesOptions() {
        List<String> command = FunctionJvm.command(512, "classes", "Main", "arg");
        assertTrue(command.contains("-XX:MaxHeapSize=445645k"), "85% of 512 MB, as Lambda sets it: " + command);
        assertTrue(command.containsAll(List.of("-XX:MaxRAM=512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")));
        assertEquals(List.of("-cp", "classes", "Main", "arg"), command.subList(command.size() - 4, command.size()));
    }

    @Test
    void theChildGetsExactlyTheGivenEnvironment() {
        Map<String, String> childEnv = FunctionJvm.processBuilder(List.of("java"), Map.of("A", "1"), false).environment();
        assertEquals("1", childEnv.get("A"));
        assertTrue(childEnv.keySet().stream().allMatch(k -> List.of("A", "PATH", "HOME", "TMPDIR", "LANG").contains(k)), childEnv.keySet().toString());
    }
}

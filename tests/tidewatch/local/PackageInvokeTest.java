package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.EcsClient;
import tidewatch.json.Json;

/**
 * {@code --package DIR}: the function's JVM loads the function from a package laid out as {@code sam build} lays it
 * out (classes at the top, jars in lib/), never from the test classpath; {@code --snapstart} runs the SnapStart
 * hooks first. The package here is assembled from the Maven build's classes and jars (.ci/run runs the real
 * {@code sam build} output).
 */
class PackageInvokeTest {
    private final ByteArrayOutputStream functionLog = new ByteArrayOutputStream();

    @TempDir
    Path packageDir;

    private LocalInvoke.Report run(String... args) {
        return LocalInvoke.run(LocalInvoke.parse(args), new PrintStream(functionLog, true, StandardCharsets.UTF_8));
    }

    @Test
    void theEcsFunctionRunsPrimedFromAPackage() throws IOException {
        assemblePackage(null);
        LocalInvoke.Report report = run("invoke", "EcsTaskStateFunction", "events/ecs-service-task-crashed.json",
                "--world", "events/worlds/web-crash-loop.json", "--package", packageDir.toString(), "--snapstart");
        String log = functionLog.toString(StandardCharsets.UTF_8);
        assertNull(report.error(), log);
        assertTrue(log.contains("SNAPSTART: beforeCheckpoint and afterRestore ran in "), log);
        List<String> calls = report.calls().stream().filter(c -> !"slack".equals(c.get("service")) && !"ssm".equals(c.get("service")))
                .map(c -> c.get("service") + " " + c.get("operation")).toList();
        assertEquals(List.of("ec2 DescribeVpnConnections", "ecs DescribeClusters", "ecs DescribeServices", "ecs DescribeTaskDefinition",
                "ecs DescribeTasks", "ecs ListTasks", "logs GetLogEvents", "sns Publish"), calls.stream().sorted().toList(),
                "the priming sent nothing to the sandbox; the invocation made its calls (some of its reads overlap: their order varies)");
        assertEquals("ecs DescribeTaskDefinition", calls.get(0), "the task definition comes first: the diagnosis needs it");
        assertEquals("sns Publish", calls.get(calls.size() - 1), "the message last");
        assertEquals(Map.of("result", "NOTIFIED"), report.output());
    }

    @Test
    void aPackageWithoutAJarTheFunctionNeedsFailsTheRun() throws IOException {
        Path ecsJar = codeSource(EcsClient.class);
        assemblePackage(ecsJar);
        LocalInvoke.Report report = run("invoke", "EcsTaskStateFunction", "events/ecs-service-task-crashed.json",
                "--world", "events/worlds/web-crash-loop.json", "--package", packageDir.toString());
        assertTrue(report.error() != null && report.error().contains("software/amazon/awssdk/services/ecs/"),
                "the test classpath's copy of the ECS client is not used: " + report.error());
        assertTrue(report.calls().isEmpty());
    }

    @Test
    void aMissingPackageIsBadUsage() {
        assertThrows(IllegalArgumentException.class, () -> LocalInvoke.parse(new String[] {"invoke", "VpnKeepaliveFunction",
                "events/keepalive-scheduled.json", "--package", packageDir.resolve("absent").toString()}));
    }

    /**
     * The main classes (target/classes) copied to the package's top and every jar of the test classpath linked into
     * lib/, except {@code leftOut}.
     */
    private void assemblePackage(Path leftOut) throws IOException {
        Path classes = codeSource(Json.class);
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = packageDir.resolve(classes.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        Path lib = Files.createDirectories(packageDir.resolve("lib"));
        for (String entry : Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).toList()) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && !jar.equals(leftOut)) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

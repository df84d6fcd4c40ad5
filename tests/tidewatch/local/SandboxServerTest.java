package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/** The sandbox's own counters, and the sandbox as a process of its own (what the benchmark runs). */
class SandboxServerTest {

    private static JsonObject stats(URI endpoint) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) endpoint.resolve(Sandbox.STATS_PATH).toURL().openConnection();
        try {
            return Json.parseObject(new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "stats");
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void theSandboxCountsRequestsAndTheTimeItSpentAnsweringThem() throws Exception {
        try (Sandbox sandbox = Sandbox.start(World.empty().topic("arn:aws:sns:us-east-1:123456789012:t"))) {
            sandbox.clients(Duration.ofSeconds(2)).sns().publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:t").message("m"));
            JsonObject stats = stats(sandbox.endpoint());
            assertEquals(1L, stats.integer("requests"));
            assertTrue(stats.integer("handlingNanos") > 0);
            assertEquals(1, sandbox.calls().size(), "reading the counters is not a call");
            assertEquals(1, stats(sandbox.endpoint()).integer("requests"));
        }
    }

    @Test
    void theServerPrintsItsEndpointAndStopsWhenItsInputCloses() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SandboxServer.class.getName(),
                "--world", "events/worlds/vpn-one-tunnel-down.json", "--no-params")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(line != null && line.startsWith("http://127.0.0.1:"), String.valueOf(line));
            assertEquals(0L, stats(URI.create(line.trim())).integer("requests"));
            process.getOutputStream().close();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the server stops when its standard input closes");
            assertEquals(0, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }
}

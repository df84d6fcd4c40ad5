package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The world's "delay:MILLIS" fault: an answer that comes late but whole, unlike "timeout", which outwaits the client. */
class SandboxFaultTest {
    @Test
    void aDelayedSlackAnswerComesThatLateAndSucceeds() throws Exception {
        try (Sandbox sandbox = Sandbox.start(World.parse("{\"faults\": {\"slack\": [\"delay:400\", 200]}}"))) {
            long start = System.nanoTime();
            assertEquals(200, post(sandbox.slackWebhookUrl()));
            long firstMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(firstMillis >= 400, "held for the delay: " + firstMillis + " ms");
            assertEquals(200, post(sandbox.slackWebhookUrl()));
            List<Sandbox.Call> posts = sandbox.calls("slack", "post");
            assertEquals("delay:400", posts.get(0).fault());
            assertEquals(2, posts.size(), "the delayed post is recorded once, like any other");
        }
    }

    @Test
    void aMistypedDelayFailsTheWorldNotTheCall() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> World.parse("{\"faults\": {\"sns\": \"delay:8s\"}}"));
        assertTrue(error.getMessage().contains("expected delay:MILLIS"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> World.parse("{\"faults\": {\"sns\": [200, \"delay:-1\"]}}"));
    }

    private static int post(String url) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write("{\"text\": \"hello\"}".getBytes(StandardCharsets.UTF_8));
            }
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}

package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.aws.AwsClients;
import tidewatch.local.Sandbox;
import tidewatch.local.SandboxFixture;
import tidewatch.local.World;
import tidewatch.log.CapturedLog;

/**
 * Issue 20's proxy that echoes the request URL in its error page: a real loopback server answering every post with
 * the request line and headers in the body. Nothing of the webhook's path reaches a log line or an exception.
 */
class SlackEchoingServerTest {
    private static final String WEBHOOK = "/tidewatch/slack-webhook-url";
    private static final List<String> SECRET_PARTS = List.of("T0ECHOTEAM", "B0ECHOHOOK", "echoTokenXyZ123", "/services/");

    @RegisterExtension
    final CapturedLog logs = new CapturedLog();
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();
    private final AtomicInteger posts = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Answers with {@code status} and a body quoting the request line, as a misconfigured proxy would. */
    private String echoingServer(int status, String prefix) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                posts.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                byte[] body = (prefix + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " HTTP/1.1\nHost: "
                        + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0ECHOTEAM/B0ECHOHOOK/echoTokenXyZ123";
    }

    private NotificationFailedException sendTo(String url) {
        Sandbox sandbox = sandboxes.start(World.empty().parameter(WEBHOOK, url));
        AwsClients aws = sandbox.clients(Duration.ofSeconds(2));
        List<Duration> sleeps = new ArrayList<>();
        Notifier notifier = new Notifier(List.of(new SlackChannel(new SlackWebhook(WEBHOOK, null, aws.ssm()),
                Duration.ofSeconds(2), RetryPolicy.DEFAULT, sleeps::add)));
        return assertThrows(NotificationFailedException.class, () -> notifier.send(Messages.crash("r", null)));
    }

    private void assertNoPartOfThePath(NotificationFailedException failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        for (String part : SECRET_PARTS) {
            assertFalse(logs.text().contains(part), "log holds " + part + ": " + logs.text());
            assertFalse(trace.toString().contains(part), "exception holds " + part + ": " + trace);
        }
    }

    @Test
    void aServerErrorEchoingTheRequestLineKeepsOnlyTheStatus() throws IOException {
        NotificationFailedException failure = sendTo(echoingServer(500, "upstream failed for "));

        assertEquals(3, posts.get(), "a 500 is retried");
        assertTrue(failure.getMessage().contains("slack: Slack failed after 3 attempts, last: HTTP 500 (server error)"),
                failure.getMessage());
        assertNoPartOfThePath(failure);
    }

    @Test
    void aRefusalEchoingTheRequestLineKeepsOnlyTheStatus() throws IOException {
        NotificationFailedException failure = sendTo(echoingServer(404, ""));

        assertEquals(1, posts.get());
        assertTrue(failure.getMessage().contains("Slack rejected the message: HTTP 404 (refused)"), failure.getMessage());
        assertNoPartOfThePath(failure);
    }

    @Test
    void aGatewayTimeoutEchoingTheRequestLineIsNotSentAgainAndKeepsOnlyTheStatus() throws IOException {
        NotificationFailedException failure = sendTo(echoingServer(504, "gateway timeout: "));

        assertEquals(1, posts.get(), "the gateway may have passed the post on");
        assertNoPartOfThePath(failure);
    }
}

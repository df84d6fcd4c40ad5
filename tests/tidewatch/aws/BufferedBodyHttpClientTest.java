package tidewatch.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/** Small bodies go out buffered (no streaming mode, so no 1 ms liveness probe), with the same Content-Length. */
class BufferedBodyHttpClientTest {

    private static HttpExecuteRequest post(URI uri, byte[] body, boolean withLength) {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().uri(uri).method(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/json");
        if (withLength) {
            request.putHeader("Content-Length", Integer.toString(body.length));
        }
        return HttpExecuteRequest.builder().request(request.build()).contentStreamProvider(() -> new ByteArrayInputStream(body)).build();
    }

    /** Captures what the wrapper hands to the real client. */
    private static final class Capturing implements SdkHttpClient {
        final List<HttpExecuteRequest> seen = new ArrayList<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            seen.add(request);
            return null;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void contentLengthIsLeftToHttpUrlConnectionForSmallBodiesOnly() {
        Capturing capturing = new Capturing();
        BufferedBodyHttpClient client = new BufferedBodyHttpClient(capturing);
        URI uri = URI.create("http://127.0.0.1:1/");
        client.prepareRequest(post(uri, "{}".getBytes(StandardCharsets.UTF_8), true));
        HttpExecuteRequest large = HttpExecuteRequest.builder().request(SdkHttpFullRequest.builder().uri(uri).method(SdkHttpMethod.POST)
                .putHeader("Content-Length", Long.toString(BufferedBodyHttpClient.MAX_BUFFERED + 1)).build()).build();
        client.prepareRequest(large);
        client.prepareRequest(post(uri, new byte[0], false));

        assertTrue(capturing.seen.get(0).httpRequest().firstMatchingHeader("Content-Length").isEmpty());
        assertTrue(capturing.seen.get(0).contentStreamProvider().isPresent(), "the body is kept");
        assertEquals("application/json", capturing.seen.get(0).httpRequest().firstMatchingHeader("Content-Type").orElseThrow());
        assertTrue(capturing.seen.get(1) == large, "a large body keeps streaming");
        assertTrue(capturing.seen.get(2).httpRequest().firstMatchingHeader("Content-Length").isEmpty());
    }

    @Test
    void theServerStillReceivesTheSameContentLengthAndBody() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(Map.of("length", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Length")),
                    "chunked", String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding")),
                    "body", new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            SdkHttpClient http = AwsClients.httpClient(Duration.ofSeconds(2));
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            byte[] body = "{\"text\":\"caf\u00e9 \u2014 ok\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 3; i++) { // the second and third reuse the kept-alive connection
                HttpExecuteResponse response = http.prepareRequest(post(uri, body, true)).call();
                assertEquals(200, response.httpResponse().statusCode());
            }
            assertEquals(3, received.size());
            for (Map<String, String> request : received) {
                assertEquals(String.valueOf(body.length), request.get("length"));
                assertEquals("null", request.get("chunked"));
                assertEquals(new String(body, StandardCharsets.UTF_8), request.get("body"));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBufferedPostIsNeverResentByTheJdk() throws Exception {
        // In a JVM of its own: the JDK reads sun.net.http.retryPost once, when its HTTP client class loads.
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SendOnceProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS));
        assertEquals("failed 1", output.lines().reduce((first, last) -> last).orElse(""),
                "the server got the request once, closed without answering, and the call failed: " + output);
    }
}

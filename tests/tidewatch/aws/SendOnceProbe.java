package tidewatch.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Run in a JVM of its own by {@link BufferedBodyHttpClientTest}, so that no earlier HTTP use in the test JVM decides
 * the JDK's settings: posts once through the functions' HTTP client to a server that reads the whole request and
 * then closes the connection without answering, and prints how many requests the server received.
 */
public final class SendOnceProbe {
    private SendOnceProbe() {}

    public static void main(String[] args) throws Exception {
        AtomicInteger received = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket connection = server.accept()) {
                        readRequest(connection.getInputStream());
                        received.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            byte[] body = "{\"once\":true}".getBytes(StandardCharsets.UTF_8);
            SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                    .uri(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"))
                    .method(SdkHttpMethod.POST).putHeader("Content-Length", Integer.toString(body.length)).build();
            String outcome;
            try {
                AwsClients.httpClient(Duration.ofSeconds(2)).prepareRequest(HttpExecuteRequest.builder().request(request)
                        .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();
                outcome = "answered";
            } catch (IOException e) {
                outcome = "failed";
            }
            Thread.sleep(200); // a resend, had there been one, reaches the server by now
            System.out.println(outcome + " " + received.get());
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed early");
            }
            head.append((char) b);
        }
        String headers = head.toString().toLowerCase(Locale.ROOT);
        int at = headers.indexOf("content-length:");
        in.readNBytes(Integer.parseInt(headers.substring(at + 15, headers.indexOf('\r', at)).trim()));
    }
}

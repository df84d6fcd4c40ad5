package tidewatch.priming;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * One POST through the functions' HTTP client to a listener of our own on loopback, which answers it: the HTTP client
 * and the JDK's HTTP stack run for real, and nothing leaves the process. (Stopped SDK requests never reach the HTTP
 * client.) The answer closes the connection, so none is kept in the snapshot.
 */
final class LoopbackExchange {
    private static final int TIMEOUT_MS = 2_000;

    private LoopbackExchange() {}

    static void exchange(SdkHttpClient http) {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(TIMEOUT_MS);
            Thread responder = new Thread(() -> answerOnce(listener), "tidewatch-priming-http");
            responder.setDaemon(true);
            responder.start();
            byte[] body = "{\"priming\":true}".getBytes(StandardCharsets.UTF_8);
            SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                    .uri(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/priming"))
                    .method(SdkHttpMethod.POST)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .build();
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(request)
                    .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();
            if (response.responseBody().isPresent()) {
                try (InputStream in = response.responseBody().get()) {
                    in.readAllBytes();
                }
            }
            responder.join(TIMEOUT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while priming", e);
        }
    }

    private static void answerOnce(ServerSocket listener) {
        try (Socket connection = listener.accept()) {
            connection.setSoTimeout(TIMEOUT_MS);
            InputStream in = connection.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            String headers = head.toString().toLowerCase(Locale.ROOT);
            int at = headers.indexOf("content-length:");
            if (at >= 0) {
                in.readNBytes(Integer.parseInt(headers.substring(at + 15, headers.indexOf('\r', at)).trim()));
            }
            connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            // the client side reports the failure
        }
    }
}

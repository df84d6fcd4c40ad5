package tidewatch.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import tidewatch.local.Sandbox;

/**
 * Reads the sandbox's counters (requests answered, nanoseconds spent answering them) between two invocations, on
 * a socket of its own: not through HttpURLConnection, whose keep-alive cache the function's SDK clients share, so
 * the harness never touches the function's connections.
 */
final class SandboxStats implements AutoCloseable {
    private static final int MAX_RESPONSE = 4096;

    /** One reading of the counters. */
    record Reading(long requests, long handlingNanos) {}

    private final URI endpoint;
    private final byte[] request;
    private Socket socket;

    SandboxStats(URI endpoint) {
        this.endpoint = endpoint;
        this.request = ("GET " + Sandbox.STATS_PATH + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    Reading read() throws IOException {
        try {
            return exchange();
        } catch (IOException idleConnectionClosed) {
            close();
            return exchange();
        }
    }

    private Reading exchange() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
            socket.setSoTimeout(5_000);
        }
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        String body = readBody(socket.getInputStream());
        return new Reading(number(body, "requests"), number(body, "handlingNanos"));
    }

    /** Reads one HTTP/1.1 response with a Content-Length (what the sandbox sends) and returns its body. */
    private static String readBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) { // CR LF CR LF ends the headers
            int b = in.read();
            if (b < 0) {
                throw new IOException("the sandbox closed the stats connection");
            }
            head.write(b);
            lastFour = (lastFour << 8) | b;
            if (head.size() > MAX_RESPONSE) {
                throw new IOException("the sandbox's stats answer is too long");
            }
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int at = headers.toLowerCase().indexOf("content-length:");
        if (at < 0) {
            throw new IOException("the sandbox's stats answer has no Content-Length");
        }
        int end = headers.indexOf('\r', at);
        int length = Integer.parseInt(headers.substring(at + "content-length:".length(), end).trim());
        byte[] body = in.readNBytes(length);
        return new String(body, StandardCharsets.US_ASCII);
    }

    private static long number(String json, String name) throws IOException {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            throw new IOException("no " + name + " in the sandbox's stats: " + json);
        }
        int start = at + name.length() + 3;
        int end = start;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(start, end));
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
            socket = null;
        }
    }
}

package tidewatch.keepalive;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-in datacenter hosts, all on 127.0.0.1: the tests never send traffic to any other address. Everything opened
 * is closed by {@link #close()}.
 */
final class LoopbackHosts implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    // An IP literal: no name lookup, and never ::1 whatever java.net.preferIPv6Addresses says.
    static final InetAddress LOOPBACK = new InetSocketAddress(HOST, 0).getAddress();

    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    /** A port that accepts and closes every connection, counting them. */
    record OpenPort(int port, AtomicInteger accepted) {}

    /** What an HTTP server received: the request line's target and the Host header. */
    record HttpRequest(String target, String host) {}

    OpenPort openPort() throws IOException {
        ServerSocket server = listen(50);
        AtomicInteger accepted = new AtomicInteger();
        daemon(() -> {
            while (!server.isClosed()) {
                try (Socket connection = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return new OpenPort(server.getLocalPort(), accepted);
    }

    /** A port that was free a moment ago and has nothing listening: a connect is refused. */
    int refusedPort() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            return server.getLocalPort();
        }
    }

    /**
     * A port where a connect times out. Linux drops a SYN when the listener's accept queue is full (it does not
     * refuse), so a listener with backlog 1 that never accepts goes silent once a couple of connections fill it.
     * Filled until a connect actually times out, so the port is proven silent before any test relies on it.
     */
    int blackholedPort() throws IOException {
        ServerSocket server = listen(1);
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            opened.add(filler);
            try {
                filler.connect(address, 100);
            } catch (SocketTimeoutException silent) {
                return server.getLocalPort();
            }
        }
        throw new IllegalStateException("the accept queue never filled: this kernel does not drop SYNs on a full backlog");
    }

    /** A listener that never accepts: a probe would sit in its accept queue, which {@link #probed} reveals. */
    ServerSocket idlePort() throws IOException {
        return listen(50);
    }

    /** Whether anything connected to an {@link #idlePort()} (a connection waits in the queue even once closed). */
    static boolean probed(ServerSocket idle) throws IOException {
        idle.setSoTimeout(50);
        try (Socket connection = idle.accept()) {
            return true;
        } catch (SocketTimeoutException nothing) {
            return false;
        }
    }

    /** An HTTP server answering every request with {@code status} and no body. */
    int httpServer(int status, List<HttpRequest> received) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        server.createContext("/", exchange -> {
            received.add(new HttpRequest(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Host")));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        opened.add(() -> server.stop(0));
        return server.getAddress().getPort();
    }

    /** A server that accepts connections and then never says a word: a GET waits out its read timeout. */
    int silentServer() throws IOException {
        ServerSocket server = listen(50);
        daemon(() -> {
            while (!server.isClosed()) {
                try {
                    opened.add(server.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    /** A server that writes {@code reply} to every connection and closes it, whatever the client sent. */
    int replyingServer(String reply) throws IOException {
        ServerSocket server = listen(50);
        daemon(() -> {
            while (!server.isClosed()) {
                try (Socket connection = server.accept()) {
                    connection.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server.getLocalPort();
    }

    private ServerSocket listen(int backlog) throws IOException {
        ServerSocket server = new ServerSocket(0, backlog, LOOPBACK);
        opened.add(server);
        return server;
    }

    private static void daemon(Runnable loop) {
        Thread thread = new Thread(loop, "loopback-host");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(opened);
        for (AutoCloseable resource : all) {
            resource.close();
        }
    }
}

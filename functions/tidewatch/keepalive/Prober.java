package tidewatch.keepalive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends the keepalive traffic: a TCP connect for {@code host:port}, a minimal HTTP/1.1 GET for a URL, every target at
 * once on a pool of daemon threads created at init. Plain sockets rather than java.net.http.HttpClient, which is slow
 * to load on a cold start.
 *
 * <p>A target is reachable when its host answered: a completed handshake, a refused connection (the RST crossed the
 * tunnel), or any HTTP status. Only silence (a timeout) or an unreachable network counts against it.
 */
final class Prober {
    /** How long past the probes' own deadline a round waits for threads to hand back their results. */
    static final Duration MARGIN = Duration.ofMillis(250);

    private final Duration timeout;
    private final ExecutorService pool;

    public Prober(Duration timeout, int threads) {
        this.timeout = timeout;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, task -> {
            // Daemon: an idle pool must never keep a JVM (the local runner, a test run) alive.
            Thread thread = new Thread(task, "keepalive-probe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads the default TLS context (the trust store) now, at init, where it costs a cold start some 100-200 ms
     * once, instead of inside the first probe's budget and latency.
     */
    public static void loadTls() {
        SSLSocketFactory.getDefault();
    }

    /**
     * Probes every target concurrently. Each probe gets the smaller of the timeout and {@code budget} for everything
     * (DNS, connect, TLS, the status line); the round waits at most that plus {@link #MARGIN}.
     */
    public List<ProbeResult> probeAll(List<KeepaliveTarget> targets, Duration budget) throws InterruptedException {
        Duration limit = budget.compareTo(timeout) < 0 ? budget : timeout;
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        List<Callable<ProbeResult>> probes = new ArrayList<>(targets.size());
        for (KeepaliveTarget target : targets) {
            probes.add(() -> probe(target, deadline));
        }
        List<Future<ProbeResult>> futures = pool.invokeAll(probes, limit.plus(MARGIN).toNanos(), TimeUnit.NANOSECONDS);
        List<ProbeResult> results = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            results.add(collect(targets.get(i), futures.get(i), started));
        }
        return results;
    }

    private static ProbeResult collect(KeepaliveTarget target, Future<ProbeResult> future, long started) throws InterruptedException {
        try {
            return future.get();
        } catch (CancellationException e) {
            // Still blocked past the deadline (a slow DNS lookup, which no socket timeout bounds): it ends on its own.
            return new ProbeResult(target, false, "timeout", millisSince(started), "no answer before the round deadline");
        } catch (ExecutionException e) {
            return new ProbeResult(target, false, "error", millisSince(started), describe(e.getCause()));
        }
    }

    static ProbeResult probe(KeepaliveTarget target, long deadline) {
        long started = System.nanoTime();
        boolean connected = false;
        try (Socket socket = new Socket()) {
            InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
            if (address.isUnresolved()) {
                throw new UnknownHostException(target.host());
            }
            started = System.nanoTime();
            socket.connect(address, remainingMillis(deadline));
            connected = true;
            if (target instanceof KeepaliveTarget.Http http) {
                int status = get(socket, http, deadline);
                return new ProbeResult(target, true, "http " + status, millisSince(started), null);
            }
            return new ProbeResult(target, true, "connected", millisSince(started), null);
        } catch (IOException | RuntimeException e) {
            return failure(target, e, connected, millisSince(started));
        }
    }

    /** Classifies a failure: only silence or a network that cannot be reached means the path is down. */
    static ProbeResult failure(KeepaliveTarget target, Exception e, boolean connected, long latencyMs) {
        String detail = describe(e);
        if (e instanceof SocketTimeoutException) {
            return new ProbeResult(target, false, "timeout", latencyMs, detail);
        }
        if (!connected) {
            String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            if (e instanceof ConnectException && message.contains("refused")) {
                return new ProbeResult(target, true, "refused", latencyMs, detail);
            }
            if (e instanceof ConnectException && message.contains("timed out")) {
                return new ProbeResult(target, false, "timeout", latencyMs, detail);
            }
            if (e instanceof UnknownHostException) {
                return new ProbeResult(target, false, "unresolved", latencyMs, detail);
            }
            // NoRouteToHostException, PortUnreachableException, "Network is unreachable" and the like.
            return new ProbeResult(target, false, "unreachable", latencyMs, detail);
        }
        // The TCP handshake completed, so the host answered across the tunnel whatever went wrong next.
        String outcome = e instanceof SSLException ? "tls error"
                : e instanceof ProtocolException ? "not http"
                : e instanceof EOFException ? "closed"
                : "error after connect";
        return new ProbeResult(target, true, outcome, latencyMs, detail);
    }

    /** Sends a GET and reads only the status line; the body is of no interest. Returns the status code. */
    private static int get(Socket socket, KeepaliveTarget.Http target, long deadline) throws IOException {
        Socket channel = socket;
        if (target.tls()) {
            // The default trust store and host name check: a certificate failure is still an answer (see failure).
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, target.host(), target.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(remainingMillis(deadline));
            tls.startHandshake();
            channel = tls;
        }
        String request = "GET " + target.pathAndQuery() + " HTTP/1.1\r\n"
                + "Host: " + target.hostHeader() + "\r\n"
                + "User-Agent: tidewatch-keepalive\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = channel.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return status(channel, deadline);
    }

    private static int status(Socket channel, long deadline) throws IOException {
        InputStream in = channel.getInputStream();
        byte[] line = new byte[128];
        int length = 0;
        while (length < line.length) {
            // Each read gets only what is left of the probe's budget, so a trickling server cannot stretch it.
            channel.setSoTimeout(remainingMillis(deadline));
            int read = in.read(line, length, line.length - length);
            if (read < 0) {
                throw new EOFException("connection closed before the status line");
            }
            length += read;
            if (indexOf(line, length, (byte) '\n') >= 0) {
                break;
            }
        }
        String text = new String(line, 0, length, StandardCharsets.US_ASCII);
        // "HTTP/1.1 200 OK": the three digits after the first space.
        int space = text.indexOf(' ');
        if (!text.startsWith("HTTP/") || space < 0 || text.length() < space + 4
                || !text.substring(space + 1, space + 4).chars().allMatch(Character::isDigit)) {
            throw new ProtocolException("not an HTTP status line");
        }
        return Integer.parseInt(text.substring(space + 1, space + 4));
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /**
     * What is left until the deadline, rounded up so that a probe never gives up before it (and never 0, which a
     * socket reads as wait forever).
     */
    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new SocketTimeoutException("the probe's time budget is spent");
        }
        return (int) Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}

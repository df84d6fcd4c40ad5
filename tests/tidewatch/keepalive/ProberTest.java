package tidewatch.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.keepalive.LoopbackHosts.HOST;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real sockets, on 127.0.0.1 only. */
class ProberTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final LoopbackHosts hosts = new LoopbackHosts();
    private final Prober prober = new Prober(TIMEOUT, 4);

    @AfterEach
    void closeHosts() throws Exception {
        hosts.close();
    }

    @Test
    void anOpenPortIsReachable() throws Exception {
        LoopbackHosts.OpenPort open = hosts.openPort();

        ProbeResult result = probe(HOST + ":" + open.port());

        assertTrue(result.reachable());
        assertEquals("connected", result.outcome());
        assertTrue(result.latencyMs() < TIMEOUT.toMillis(), "latency " + result.latencyMs());
        assertNull(result.detail());
    }

    @Test
    void aRefusedPortIsReachableBecauseTheHostAnswered() throws Exception {
        ProbeResult result = probe(HOST + ":" + hosts.refusedPort());

        assertTrue(result.reachable());
        assertEquals("refused", result.outcome());
        assertTrue(result.latencyMs() < TIMEOUT.toMillis(), "latency " + result.latencyMs());
    }

    @Test
    void aBlackholedPortIsUnreachableAfterAboutTheTimeout() throws Exception {
        String target = HOST + ":" + hosts.blackholedPort();

        long started = System.nanoTime();
        ProbeResult result = probe(target);
        long elapsed = millisSince(started);

        assertFalse(result.reachable());
        assertEquals("timeout", result.outcome());
        assertTrue(elapsed >= 290 && elapsed < 600, "took " + elapsed + " ms for a 300 ms timeout");
        assertTrue(result.latencyMs() >= 250 && result.latencyMs() <= elapsed, "latency " + result.latencyMs());
        // The probe's own connect timeout, not the round giving up on it.
        assertTrue(result.detail().startsWith("SocketTimeoutException"), result.detail());
    }

    @Test
    void anHttpTargetIsReachableWithItsStatus() throws Exception {
        List<LoopbackHosts.HttpRequest> received = new CopyOnWriteArrayList<>();
        int port = hosts.httpServer(200, received);

        ProbeResult result = probe("http://" + HOST + ":" + port + "/health?from=tidewatch");

        assertTrue(result.reachable());
        assertEquals("http 200", result.outcome());
        assertEquals(List.of(new LoopbackHosts.HttpRequest("/health?from=tidewatch", HOST + ":" + port)), received);
    }

    @Test
    void anHttpErrorStatusIsStillReachable() throws Exception {
        int port = hosts.httpServer(503, new CopyOnWriteArrayList<>());

        ProbeResult result = probe("http://" + HOST + ":" + port + "/");

        assertTrue(result.reachable());
        assertEquals("http 503", result.outcome());
    }

    @Test
    void anHttpTargetThatRefusesIsReachable() throws Exception {
        ProbeResult result = probe("http://" + HOST + ":" + hosts.refusedPort() + "/");

        assertTrue(result.reachable());
        assertEquals("refused", result.outcome());
    }

    @Test
    void anHttpTargetThatNeverAnswersIsUnreachableAfterAboutTheTimeout() throws Exception {
        String target = "http://" + HOST + ":" + hosts.silentServer() + "/";

        long started = System.nanoTime();
        ProbeResult result = probe(target);
        long elapsed = millisSince(started);

        assertFalse(result.reachable());
        assertEquals("timeout", result.outcome());
        assertTrue(elapsed >= 290 && elapsed < 600, "took " + elapsed + " ms for a 300 ms timeout");
        // The read timeout is what is left of the probe's budget, so the socket gives up, not the round.
        assertTrue(result.detail().startsWith("SocketTimeoutException"), result.detail());
    }

    @Test
    void aTlsFailureIsReachableBecauseTheHostAnswered() throws Exception {
        // A plain-text reply to the ClientHello: the handshake fails, but the host answered across the path.
        int port = hosts.replyingServer("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");

        ProbeResult result = probe("https://" + HOST + ":" + port + "/");

        assertTrue(result.reachable(), result.toString());
        assertEquals("tls error", result.outcome());
        assertTrue(result.detail().startsWith("SSL"), result.detail());
    }

    @Test
    void aReplyThatIsNotHttpIsStillReachable() throws Exception {
        int port = hosts.replyingServer("SSH-2.0-OpenSSH_9.6\r\n");

        ProbeResult result = probe("http://" + HOST + ":" + port + "/");

        assertTrue(result.reachable(), result.toString());
        assertEquals("not http", result.outcome());
    }

    @Test
    void aConnectionClosedWithoutAStatusIsStillReachable() throws Exception {
        int port = hosts.replyingServer("");

        ProbeResult result = probe("http://" + HOST + ":" + port + "/");

        assertTrue(result.reachable(), result.toString());
        assertEquals("closed", result.outcome());
    }

    @Test
    void aStatusLineWithoutAReasonPhraseIsRead() throws Exception {
        int port = hosts.replyingServer("HTTP/1.0 204\r\n\r\n");

        assertEquals("http 204", probe("http://" + HOST + ":" + port + "/").outcome());
    }

    @Test
    void probesRunConcurrently() throws Exception {
        List<KeepaliveTarget> targets = List.of(
                target(HOST + ":" + hosts.blackholedPort()),
                target(HOST + ":" + hosts.blackholedPort()),
                target(HOST + ":" + hosts.blackholedPort()));

        long started = System.nanoTime();
        List<ProbeResult> results = prober.probeAll(targets, Duration.ofSeconds(10));
        long elapsed = millisSince(started);

        assertEquals(List.of("timeout", "timeout", "timeout"), results.stream().map(ProbeResult::outcome).toList());
        assertTrue(elapsed >= 300 && elapsed < 900, "three 300 ms probes took " + elapsed + " ms");
        // Each waited out its own timeout: run one after another, the later ones would find the budget spent.
        for (ProbeResult result : results) {
            assertTrue(result.latencyMs() >= 250, result.toString());
        }
    }

    @Test
    void aBudgetBelowTheTimeoutCutsTheProbeShort() throws Exception {
        Prober patient = new Prober(Duration.ofSeconds(3), 1);
        KeepaliveTarget target = target(HOST + ":" + hosts.blackholedPort());

        long started = System.nanoTime();
        ProbeResult result = patient.probeAll(List.of(target), Duration.ofMillis(200)).get(0);
        long elapsed = millisSince(started);

        assertEquals("timeout", result.outcome());
        assertTrue(elapsed >= 190 && elapsed < 500, "a 200 ms budget took " + elapsed + " ms");
        assertTrue(result.detail().startsWith("SocketTimeoutException"), result.detail());
    }

    @Test
    void onlySilenceOrAnUnreachableNetworkCountsAgainstATarget() {
        KeepaliveTarget target = target("db.dc.internal:5432");

        assertOutcome(true, "refused", Prober.failure(target, new ConnectException("Connection refused"), false, 5));
        assertOutcome(false, "timeout", Prober.failure(target, new SocketTimeoutException("Connect timed out"), false, 300));
        assertOutcome(false, "timeout", Prober.failure(target, new ConnectException("Connection timed out"), false, 300));
        assertOutcome(false, "unreachable", Prober.failure(target, new NoRouteToHostException("No route to host"), false, 3));
        assertOutcome(false, "unreachable", Prober.failure(target, new PortUnreachableException("ICMP Port Unreachable"), false, 3));
        assertOutcome(false, "unreachable", Prober.failure(target, new SocketException("Network is unreachable"), false, 3));
        assertOutcome(false, "unresolved", Prober.failure(target, new UnknownHostException("db.dc.internal"), false, 3));
        // After the TCP handshake the host has answered; only a read timeout still counts against it.
        assertOutcome(false, "timeout", Prober.failure(target, new SocketTimeoutException("Read timed out"), true, 300));
        assertOutcome(true, "tls error", Prober.failure(target, new SSLHandshakeException("PKIX path building failed"), true, 9));
        assertOutcome(true, "closed", Prober.failure(target, new EOFException("closed"), true, 9));
        assertOutcome(true, "error after connect", Prober.failure(target, new SocketException("Connection reset"), true, 9));
    }

    private static void assertOutcome(boolean reachable, String outcome, ProbeResult result) {
        assertEquals(reachable, result.reachable(), result.toString());
        assertEquals(outcome, result.outcome(), result.toString());
        assertTrue(result.detail() != null && !result.detail().isBlank(), result.toString());
    }

    private ProbeResult probe(String written) throws InterruptedException {
        return prober.probeAll(List.of(target(written)), Duration.ofSeconds(10)).get(0);
    }

    private static KeepaliveTarget target(String written) {
        return KeepaliveTarget.parse(written);
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}

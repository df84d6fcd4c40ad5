package tidewatch.keepalive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tidewatch.priming.SnapStartPriming;
import tidewatch.json.Json;

/**
 * SnapStart priming of {@link VpnKeepaliveFunction} (see {@link SnapStartPriming}): parses a schedule and a burst,
 * renders the metric records ({@link ReachabilityMetrics}) and the summary without writing them (a metric written now
 * would count as a probe), and sends one TCP probe through its {@link Prober} to a listener of its own on loopback, so
 * nothing leaves the function. It makes no AWS call.
 */
final class KeepalivePriming {
    private static final String SCHEDULE = """
            {"version": "0", "id": "00000000-0000-0000-0000-000000000000", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [], "detail": {}}""";

    private KeepalivePriming() {}

    static SnapStartPriming.Result prime(Prober prober, ReachabilityMetrics metrics) {
        return new SnapStartPriming("VpnKeepaliveFunction")
                .step(() -> parseAndRender(metrics))
                .step(() -> probeLoopback(prober))
                .run(null);
    }

    private static void parseAndRender(ReachabilityMetrics metrics) {
        KeepaliveRequest.parse(SCHEDULE);
        KeepaliveRequest.parse("{\"burst\": 3}");
        ProbeResult result = new ProbeResult(KeepaliveTarget.parse("127.0.0.1:9"), true, "refused", 1, null);
        metrics.records(List.of(result), 0);
        Json.write(Map.of("rounds", 1, "targets", List.of(result.describe())));
    }

    /** A real probe, of a loopback listener that exists only for it and is closed before the snapshot. */
    private static void probeLoopback(Prober prober) {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            prober.probeAll(List.of(KeepaliveTarget.parse("127.0.0.1:" + listener.getLocalPort())), Duration.ofMillis(500));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while priming", e);
        }
    }
}

package tidewatch.keepalive;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tidewatch.log.CapturedLog;

/** The SnapStart hook: no probe reaches a target and no metric is written (it would count as a real round). */
class KeepalivePrimingTest {
    private final LoopbackHosts hosts = new LoopbackHosts();

    @RegisterExtension
    final CapturedLog logged = new CapturedLog();


    @AfterEach
    void restore() throws Exception {
        hosts.close();
    }

    @Test
    void theCheckpointHookProbesNoTargetAndWritesNoMetric() throws Exception {
        LoopbackHosts.OpenPort target = hosts.openPort();
        VpnKeepaliveFunction function = new VpnKeepaliveFunction(new KeepaliveSettings(
                List.of(KeepaliveTarget.parse(LoopbackHosts.HOST + ":" + target.port())), Duration.ofMillis(500), "Tidewatch"),
                Clock.systemUTC(), duration -> { });

        assertDoesNotThrow(() -> function.beforeCheckpoint(null));

        Thread.sleep(100); // an accept, had there been a connection
        assertEquals(0, target.accepted().get(), "the configured target was not probed");
        String log = logged.text();
        assertFalse(log.contains("\"_aws\""), "no Embedded Metric Format record: " + log);
        assertTrue(log.contains("SnapStart priming done") && log.contains("\"failures\":0"), log);
    }
}

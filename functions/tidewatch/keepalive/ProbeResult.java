package tidewatch.keepalive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one probe of one target found.
 *
 * @param reachable whether the host answered (connected, refused, or any HTTP status)
 * @param outcome   short and stable: connected, refused, http 503, timeout, unreachable, unresolved, tls error...
 * @param latencyMs from the start of the connect to the answer, or to the failure
 * @param detail    the exception behind a failure, for the log; null when there is none
 */
record ProbeResult(KeepaliveTarget target, boolean reachable, String outcome, long latencyMs, String detail) {
    /** The summary member written to the output and the round's log line. */
    public Map<String, Object> describe() {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("target", target.written());
        member.put("reachable", reachable);
        member.put("outcome", outcome);
        member.put("latencyMs", latencyMs);
        return member;
    }
}

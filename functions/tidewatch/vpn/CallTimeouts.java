package tidewatch.vpn;

import java.time.Clock;
import java.time.Duration;
import tidewatch.aws.AwsClients;
import tidewatch.lambda.InvocationDeadline;

/**
 * How the alarm function shares its invocation's time: the reads and the responses stop early enough to leave the
 * notification {@link #NOTIFY_RESERVE}; the optional evidence (tunnel logs, customer gateway) gets at most
 * {@link #EVIDENCE_BUDGET} of that; each AWS call takes its usual timeout cut to what is left, and none is started
 * with less than {@link #LEAST_CALL_TIME}.
 */
final class CallTimeouts {
    /** Kept for telling people: a Slack post's read timeout and its connection. */
    static final Duration NOTIFY_RESERVE = AwsClients.READ_TIMEOUT.plusSeconds(1);
    /** The most the evidence reads may take together: without them the message still goes, and says so. */
    static final Duration EVIDENCE_BUDGET = Duration.ofSeconds(6);
    /** The least time worth starting a call with. */
    static final Duration LEAST_CALL_TIME = Duration.ofMillis(500);

    private CallTimeouts() {}

    /** The deadline of the reads and responses for one alarm: the invocation's, less the notification's reserve. */
    static InvocationDeadline forWork(InvocationDeadline invocation) {
        return invocation.keeping(NOTIFY_RESERVE);
    }

    /** The deadline of the evidence reads: at most {@link #EVIDENCE_BUDGET} of the work's. */
    static InvocationDeadline forEvidence(InvocationDeadline work) {
        return InvocationDeadline.after(work.cap(EVIDENCE_BUDGET), Clock.systemUTC());
    }

    /** The {@code apiCallTimeout} of one call: the SDK's usual bound, cut to the time left (never zero, which the SDK refuses). */
    static Duration apiCall(InvocationDeadline deadline) {
        Duration timeout = deadline.cap(AwsClients.API_CALL_TIMEOUT);
        return timeout.isZero() ? Duration.ofMillis(1) : timeout;
    }
}

package tidewatch.vpn;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import tidewatch.aws.AwsClients;
import tidewatch.aws.AwsFailure;
import tidewatch.datacenter.ReachabilityReader;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;

/**
 * Keeps the keepalive's alarm on the listed VPN connections, where the ECS function reads it in the same
 * DescribeVpnConnections answer as the tunnels ({@link ReachabilityReader#KEEPALIVE_UNREACHABLE_TAG}): set to the
 * instant the alarm fired when it enters ALARM, removed when it clears. Bookkeeping beside the alarm's message: a
 * failure is logged and never holds the message up. What it did is the invocation result's {@code keepaliveTag}.
 */
final class KeepaliveUnreachableTag {
    private final Ec2Client ec2;

    KeepaliveUnreachableTag(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** Returns what was done ("set ...", "removed", "failed: ...", "not written: ..."), or null when nothing was to do. */
    String follow(AlarmEvent change, List<String> vpnIds, Instant now, InvocationDeadline deadline) {
        if (vpnIds.isEmpty() || change.newState() == AlarmState.INSUFFICIENT_DATA) {
            return null;
        }
        if (!deadline.allows(CallTimeouts.LEAST_CALL_TIME)) {
            Log.warn("keepalive tag not written: no time left in the invocation", "vpnIds", vpnIds);
            return "not written: no time left in the invocation";
        }
        String key = ReachabilityReader.KEEPALIVE_UNREACHABLE_TAG;
        String since = (change.stateChangeTime() == null ? now : change.stateChangeTime()).toString();
        boolean set = change.newState() == AlarmState.ALARM;
        try {
            if (set) {
                ec2.createTags(r -> r.resources(vpnIds).tags(Tag.builder().key(key).value(since).build())
                        .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))));
            } else {
                ec2.deleteTags(r -> r.resources(vpnIds).tags(Tag.builder().key(key).build())
                        .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))));
            }
            Log.info("keepalive tag followed the alarm", "vpnIds", vpnIds, "state", change.newState().name());
            return set ? "set " + since : "removed";
        } catch (RuntimeException e) {
            String failure = AwsFailure.describe(e);
            Log.warn("keepalive tag not written", "vpnIds", vpnIds, "state", change.newState().name(), "error", failure);
            return "failed: " + (set ? "CreateTags " : "DeleteTags ") + failure;
        }
    }
}

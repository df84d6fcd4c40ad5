package tidewatch.vpn;

import java.util.Objects;

/**
 * One tunnel's IKE initiation options as DescribeVpnConnections reports them (Options.TunnelOptions[]), matched to
 * its telemetry by outside IP. Values are kept as AWS wrote them: one Tidewatch does not know is quoted, not guessed.
 *
 * @param logEnabled  whether Site-to-Site VPN logging to CloudWatch Logs is on; null when the answer does not say
 * @param logGroupArn the log group of that logging; null when not named
 */
record TunnelOptions(String outsideIp, String startupAction, String dpdTimeoutAction, Boolean logEnabled,
                     String logGroupArn) {
    static final String START = "start";
    static final String RESTART = "restart";

    TunnelOptions {
        Objects.requireNonNull(outsideIp, "outsideIp");
    }

    /** The log group name from the ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME, maybe ending in :*). */
    String logGroupName() {
        if (logGroupArn == null) {
            return null;
        }
        int at = logGroupArn.indexOf(":log-group:");
        String name = at < 0 ? logGroupArn : logGroupArn.substring(at + ":log-group:".length());
        return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    }
}

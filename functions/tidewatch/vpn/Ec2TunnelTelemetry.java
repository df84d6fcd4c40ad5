package tidewatch.vpn;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVpnConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.ec2.model.CloudWatchLogOptions;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TunnelOption;
import software.amazon.awssdk.services.ec2.model.VgwTelemetry;
import software.amazon.awssdk.services.ec2.model.VpnConnection;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.aws.AwsFailure;

/**
 * Reads VPN connections with one DescribeVpnConnections call (tunnels, tags and tunnel options); then, only when
 * needed, their customer gateways (DescribeCustomerGateways) and the DOWN tunnels' logs (FilterLogEvents); neither
 * for a connection whose telemetry is inconsistent ({@link TelemetrySanity}). Every call has a timeout no longer than
 * the deadline's time left ({@link CallTimeouts}); the evidence reads share {@link CallTimeouts#EVIDENCE_BUDGET}, and
 * one that is slow or has no time left is said to be not read.
 */
final class Ec2TunnelTelemetry implements TunnelTelemetrySource {
    /** How far before a tunnel went down its log is read, and how many of the lines from there are shown. */
    private static final Duration LOG_LEAD = Duration.ofMinutes(15);
    private static final int LOG_LINES = 8;
    private final Ec2Client ec2;
    /** Built on first use: most alarms read no tunnel log, and a cold start should not pay for the client. */
    private final Supplier<CloudWatchLogsClient> logs;

    Ec2TunnelTelemetry(Ec2Client ec2, Supplier<CloudWatchLogsClient> logs) {
        this.ec2 = ec2;
        this.logs = logs;
    }

    @Override
    public Map<String, VpnTelemetry> read(List<String> vpnIds, InvocationDeadline deadline) {
        Map<String, VpnTelemetry> result = new LinkedHashMap<>();
        if (vpnIds.isEmpty()) {
            return result;
        }
        if (!deadline.allows(CallTimeouts.LEAST_CALL_TIME)) {
            vpnIds.forEach(id -> result.put(id, new VpnTelemetry.Unavailable(id,
                    "DescribeVpnConnections not called: no time left in the invocation")));
            return result;
        }
        DescribeVpnConnectionsResponse response;
        try {
            response = describe(vpnIds, deadline);
        } catch (RuntimeException e) {
            String problem = timedOut(e) ? "DescribeVpnConnections timed out, so the tunnels are unread"
                    : "DescribeVpnConnections failed: " + AwsFailure.describe(e);
            Log.warn("cannot read VPN connections", "vpnIds", vpnIds, "error", problem);
            vpnIds.forEach(id -> result.put(id, new VpnTelemetry.Unavailable(id, problem)));
            return result;
        }
        for (VpnConnection connection : response.vpnConnections()) {
            if (vpnIds.contains(connection.vpnConnectionId())) {
                result.put(connection.vpnConnectionId(), new VpnTelemetry.Available(status(connection)));
            }
        }
        for (String id : vpnIds) {
            result.putIfAbsent(id, new VpnTelemetry.Unavailable(id,
                    "DescribeVpnConnections does not list it (wrong id, long deleted, or another account or region)"));
        }
        return result;
    }

    /** The bare call, which SnapStart priming ({@link VpnAlarmPriming}) makes too: so it primes the request made here. */
    DescribeVpnConnectionsResponse describe(List<String> vpnIds, InvocationDeadline deadline) {
        // A filter rather than VpnConnectionIds: an unknown id then goes missing instead of failing the whole call.
        return ec2.describeVpnConnections(request -> request
                .filters(Filter.builder().name("vpn-connection-id").values(vpnIds).build())
                .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))));
    }

    /** Whether a call failed for want of an answer in time (the call's or an attempt's timeout, a read timeout). */
    static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException
                    || cause instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    static VpnConnectionStatus status(VpnConnection connection) {
        List<TunnelTelemetry> tunnels = connection.vgwTelemetry().stream()
                .filter(telemetry -> telemetry.outsideIpAddress() != null)
                .map(Ec2TunnelTelemetry::tunnel)
                .toList();
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag tag : connection.tags()) {
            if (tag.key() != null) {
                tags.put(tag.key(), tag.value() == null ? "" : tag.value());
            }
        }
        Map<String, TunnelOptions> options = new LinkedHashMap<>();
        if (connection.options() != null) {
            for (TunnelOption option : connection.options().tunnelOptions()) {
                if (option.outsideIpAddress() != null) {
                    options.put(option.outsideIpAddress(), options(option));
                }
            }
        }
        return new VpnConnectionStatus(connection.vpnConnectionId(), connection.stateAsString(), tunnels, tags,
                options, connection.customerGatewayId(), null, Map.of());
    }

    private static TunnelOptions options(TunnelOption option) {
        CloudWatchLogOptions log = option.logOptions() == null ? null : option.logOptions().cloudWatchLogOptions();
        return new TunnelOptions(option.outsideIpAddress(), option.startupAction(), option.dpdTimeoutAction(),
                log == null ? null : log.logEnabled(), log == null ? null : log.logGroupArn());
    }

    @Override
    public Map<String, VpnTelemetry> withEvidence(Map<String, VpnTelemetry> read, VpnAlarmSettings settings,
                                                  InvocationDeadline deadline) {
        InvocationDeadline evidence = CallTimeouts.forEvidence(deadline);
        Map<String, VpnTelemetry> result = new LinkedHashMap<>();
        read.forEach((id, telemetry) -> result.put(id, telemetry instanceof VpnTelemetry.Available available
                ? new VpnTelemetry.Available(evidence(available.status(), settings, evidence)) : telemetry));
        return result;
    }

    private VpnConnectionStatus evidence(VpnConnectionStatus read, VpnAlarmSettings settings, InvocationDeadline deadline) {
        VpnConnectionStatus status = read;
        List<TunnelTelemetry> down = read.tunnels().stream().filter(t -> !t.isUp()).toList();
        // Telemetry that cannot be right is acted on by nobody: no repair needs the gateway, and hundreds of entries
        // must not become hundreds of log reads.
        if (down.isEmpty() || !TelemetrySanity.of(read).consistent()) {
            return status;
        }
        boolean waitsForDatacenter = down.stream()
                .anyMatch(t -> read.recovery(t.outsideIp()).kind() == TunnelRecovery.Kind.DATACENTER_ONLY);
        if (settings.tunnelOptionsRepairEnabled() && settings.manages(status.vpnId()) && waitsForDatacenter
                && status.customerGatewayId() != null) {
            status = status.withGateway(gateway(status.customerGatewayId(), deadline));
        }
        Map<String, VpnConnectionStatus.TunnelLog> tunnelLogs = new LinkedHashMap<>();
        for (TunnelTelemetry tunnel : down) {
            TunnelOptions options = status.options().get(tunnel.outsideIp());
            String group = options == null || options.logGroupName() == null ? settings.tunnelLogGroup() : options.logGroupName();
            if (options != null && Boolean.TRUE.equals(options.logEnabled()) && group != null) {
                tunnelLogs.put(tunnel.outsideIp(), log(group, status.vpnId(), tunnel, deadline));
            }
        }
        return tunnelLogs.isEmpty() ? status : status.withTunnelLogs(tunnelLogs);
    }

    private CustomerGateway gateway(String id, InvocationDeadline deadline) {
        if (!deadline.allows(CallTimeouts.LEAST_CALL_TIME)) {
            return CustomerGateway.unreadable(id, "DescribeCustomerGateways not called: no time left for it");
        }
        try {
            List<software.amazon.awssdk.services.ec2.model.CustomerGateway> gateways = ec2.describeCustomerGateways(
                    request -> request.customerGatewayIds(id)
                            .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))))
                    .customerGateways();
            return gateways.isEmpty() ? CustomerGateway.unreadable(id, "DescribeCustomerGateways does not list it")
                    : new CustomerGateway(id, gateways.get(0).ipAddress(), null);
        } catch (RuntimeException e) {
            if (timedOut(e)) {
                Log.warn("customer gateway read timed out", "customerGatewayId", id);
                return CustomerGateway.unreadable(id, "DescribeCustomerGateways timed out");
            }
            Log.warn("cannot read the customer gateway", "customerGatewayId", id, "error", AwsFailure.describe(e));
            return CustomerGateway.unreadable(id, "DescribeCustomerGateways failed: " + AwsFailure.describe(e));
        }
    }

    /** The tunnel's log stream is named after the connection and the outside IP (vpn-...-203.0.113.10). */
    private VpnConnectionStatus.TunnelLog log(String group, String vpnId, TunnelTelemetry tunnel, InvocationDeadline deadline) {
        if (!deadline.allows(CallTimeouts.LEAST_CALL_TIME)) {
            return VpnConnectionStatus.TunnelLog.notRead(group, "no time left for it");
        }
        try {
            List<FilteredLogEvent> events = logs.get().filterLogEvents(request -> {
                request.logGroupIdentifier(group).logStreamNamePrefix(vpnId + "-" + tunnel.outsideIp()).limit(50)
                        .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline)));
                if (tunnel.lastStatusChange() != null) {
                    request.startTime(tunnel.lastStatusChange().minus(LOG_LEAD).toEpochMilli());
                }
            }).events();
            List<String> lines = events.stream().map(FilteredLogEvent::message).map(TunnelLogLine::readable).toList();
            return new VpnConnectionStatus.TunnelLog(group,
                    lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()), null);
        } catch (RuntimeException e) {
            if (timedOut(e)) {
                Log.warn("tunnel log read timed out", "logGroup", group);
                return VpnConnectionStatus.TunnelLog.notRead(group, "timed out");
            }
            Log.warn("cannot read the tunnel log", "logGroup", group, "error", AwsFailure.describe(e));
            return VpnConnectionStatus.TunnelLog.failed(group, "FilterLogEvents failed: " + AwsFailure.describe(e));
        }
    }

    private static TunnelTelemetry tunnel(VgwTelemetry telemetry) {
        return new TunnelTelemetry(
                telemetry.outsideIpAddress(),
                TunnelTelemetry.Status.of(telemetry.statusAsString()),
                telemetry.statusMessage(),
                telemetry.lastStatusChange(),
                telemetry.acceptedRouteCount());
    }
}

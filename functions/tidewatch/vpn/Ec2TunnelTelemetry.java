package tidewatch.vpn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVpnConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VgwTelemetry;
import software.amazon.awssdk.services.ec2.model.VpnConnection;
import tidewatch.log.Log;
import tidewatch.aws.AwsFailure;

/** Reads VPN connections with one DescribeVpnConnections call. */
final class Ec2TunnelTelemetry implements TunnelTelemetrySource {
    private final Ec2Client ec2;

    Ec2TunnelTelemetry(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public Map<String, VpnTelemetry> read(List<String> vpnIds) {
        Map<String, VpnTelemetry> result = new LinkedHashMap<>();
        if (vpnIds.isEmpty()) {
            return result;
        }
        DescribeVpnConnectionsResponse response;
        try {
            response = describe(vpnIds);
        } catch (RuntimeException e) {
            String problem = "DescribeVpnConnections failed: " + AwsFailure.describe(e);
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
    DescribeVpnConnectionsResponse describe(List<String> vpnIds) {
        // A filter rather than VpnConnectionIds: an unknown id then goes missing instead of failing the whole call.
        return ec2.describeVpnConnections(request -> request.filters(
                Filter.builder().name("vpn-connection-id").values(vpnIds).build()));
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
        return new VpnConnectionStatus(connection.vpnConnectionId(), connection.stateAsString(), tunnels, tags);
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

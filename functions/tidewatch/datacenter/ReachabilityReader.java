package tidewatch.datacenter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVpnConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TelemetryStatus;
import software.amazon.awssdk.services.ec2.model.VgwTelemetry;
import software.amazon.awssdk.services.ec2.model.VpnConnection;
import tidewatch.aws.AwsClients;
import tidewatch.aws.AwsFailure;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;

/**
 * Reads whether the datacenter is reachable: one DescribeVpnConnections call for the listed VPN connections (the
 * same call the VPN alarm function makes), judged by {@link #judge}. Optional context for a message: the read has a
 * short timeout of its own, and a read that fails, is denied or finds no time left is {@link Reachability.State#UNKNOWN}.
 */
public final class ReachabilityReader {
    /**
     * Set on a listed VPN connection by the VPN alarm function while the keepalive's alarm is in ALARM (the
     * datacenter's hosts answer nothing although the tunnels may be UP), to the instant the alarm fired; removed when
     * it clears. The same DescribeVpnConnections answer holds it: no other read. Honoured for
     * {@link #KEEPALIVE_TAG_MAX_AGE} only, so that a tag left behind (its removal failed) cannot hold crash-loop
     * messages down for long: past it, or unreadable, the stop is told as ever (the safe side).
     */
    public static final String KEEPALIVE_UNREACHABLE_TAG = "tidewatch:keepalive-unreachable-since";
    public static final Duration KEEPALIVE_TAG_MAX_AGE = Duration.ofHours(2);
    /** A tag dated this far ahead of the clock is still believed (clock skew); further ahead it is not. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** The most the read may take: the message matters more than its context. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    private final Supplier<Ec2Client> ec2;
    private final List<String> vpnIds;
    private final Clock clock;

    /** @param ec2 built on first use: an invocation without an abnormal stop never pays for the client */
    public ReachabilityReader(Supplier<Ec2Client> ec2, List<String> vpnIds) {
        this(ec2, vpnIds, Clock.systemUTC());
    }

    /** @param clock what the age of {@link #KEEPALIVE_UNREACHABLE_TAG} is judged by */
    public ReachabilityReader(Supplier<Ec2Client> ec2, List<String> vpnIds, Clock clock) {
        this.ec2 = Objects.requireNonNull(ec2, "ec2");
        this.vpnIds = List.copyOf(vpnIds);
        this.clock = clock;
    }

    public Reachability read(InvocationDeadline deadline) {
        if (vpnIds.isEmpty()) {
            return Reachability.NOT_WATCHED;
        }
        Duration timeout = deadline.cap(READ_TIMEOUT);
        if (timeout.compareTo(AwsClients.LEAST_CALL_TIME) < 0) {
            return Reachability.unknown("DescribeVpnConnections not called: no time left in the invocation");
        }
        try {
            return judge(vpnIds, describe(timeout).vpnConnections(), clock.instant());
        } catch (RuntimeException e) {
            String failure = "DescribeVpnConnections failed: " + AwsFailure.describe(e);
            Log.warn("datacenter reachability unreadable", "vpnIds", vpnIds, "error", failure);
            return Reachability.unknown(failure);
        }
    }

    /** The bare call, which SnapStart priming makes too: so it primes the request made here. */
    public DescribeVpnConnectionsResponse describe(Duration timeout) {
        // A filter rather than VpnConnectionIds: an unknown id then goes missing instead of failing the whole call.
        return ec2.get().describeVpnConnections(request -> request
                .filters(Filter.builder().name("vpn-connection-id").values(vpnIds).build())
                .overrideConfiguration(o -> o.apiCallTimeout(AwsClients.callTimeout(timeout))));
    }

    /**
     * UNREACHABLE when a listed connection has no tunnel UP (since its last tunnel went down), or carries
     * a current {@link #KEEPALIVE_UNREACHABLE_TAG} (since the keepalive's alarm fired); else UNKNOWN when one is not
     * listed or reports no tunnels; else REACHABLE. A tunnel counts as UP only when EC2 says UP. Pure.
     */
    static Reachability judge(List<String> vpnIds, List<VpnConnection> connections, Instant now) {
        Map<String, VpnConnection> byId = connections.stream().filter(c -> c.vpnConnectionId() != null)
                .collect(Collectors.toMap(VpnConnection::vpnConnectionId, Function.identity(), (a, b) -> a));
        List<String> down = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> up = new ArrayList<>();
        Instant since = null;
        for (String id : vpnIds) {
            VpnConnection connection = byId.get(id);
            List<VgwTelemetry> tunnels = connection == null ? List.of() : connection.vgwTelemetry();
            if (connection == null) {
                unknown.add("VPN " + id + ": not listed by DescribeVpnConnections");
                continue;
            }
            if (tunnels.isEmpty()) {
                unknown.add("VPN " + id + ": no tunnel telemetry (state " + connection.stateAsString() + ")");
                continue;
            }
            long upCount = tunnels.stream().filter(t -> t.status() == TelemetryStatus.UP).count();
            Instant keepaliveSince = connection.tags().stream().filter(t -> KEEPALIVE_UNREACHABLE_TAG.equals(t.key()))
                    .map(t -> instant(t.value())).filter(Objects::nonNull).findFirst().orElse(null);
            if (upCount > 0 && keepaliveSince != null && !keepaliveSince.isAfter(now.plus(CLOCK_SKEW))
                    && keepaliveSince.isAfter(now.minus(KEEPALIVE_TAG_MAX_AGE))) {
                down.add("VPN " + id + ": " + upCount + " of " + tunnels.size() + " tunnels UP, but the keepalive reaches no "
                        + "datacenter host");
                since = earlier(since, keepaliveSince);
                continue;
            }
            if (upCount > 0) {
                up.add("VPN " + id + ": " + upCount + " of " + tunnels.size() + " tunnels UP");
                continue;
            }
            down.add("VPN " + id + ": " + (tunnels.size() == 2 ? "both tunnels" : tunnels.size() == 1 ? "its tunnel" : "all "
                    + tunnels.size() + " tunnels") + " DOWN");
            since = earlier(since, tunnels.stream().map(VgwTelemetry::lastStatusChange).filter(Objects::nonNull)
                    .max(Instant::compareTo).orElse(null));
        }
        if (!down.isEmpty()) {
            return new Reachability(Reachability.State.UNREACHABLE, since, String.join("; ", down));
        }
        if (!unknown.isEmpty()) {
            return Reachability.unknown(String.join("; ", unknown));
        }
        return new Reachability(Reachability.State.REACHABLE, null, String.join("; ", up));
    }

    private static Instant earlier(Instant known, Instant candidate) {
        return candidate == null ? known : known == null || candidate.isBefore(known) ? candidate : known;
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

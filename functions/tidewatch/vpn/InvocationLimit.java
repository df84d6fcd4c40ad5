package tidewatch.vpn;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one tunnel replacement per VPN connection and one options repair per tunnel in one invocation, however many
 * alarms it holds: a second read of the connection may not show the first one's cooldown tag yet (EC2 reads are
 * eventually consistent). A response past the limit becomes a skip that says why.
 */
final class InvocationLimit {
    private final Map<String, String> replaced = new HashMap<>();
    private final Map<String, String> repaired = new HashMap<>();

    /** The response itself, counted, or a {@link Response.NotRun} when its connection or tunnel had its turn. */
    Response admit(Response response) {
        if (response instanceof Response.ReplaceTunnel replace) {
            String earlier = replaced.putIfAbsent(replace.vpnId(), replace.outsideIp());
            return earlier == null ? response : new Response.NotRun("tunnel " + replace.outsideIp() + " replacement: "
                    + "skipped, tunnel " + earlier + " of " + replace.vpnId() + " is replaced in this invocation (at "
                    + "most one replacement per connection)");
        }
        if (response instanceof Response.RepairTunnelOptions repair) {
            String tunnel = repair.vpnId() + "/" + repair.outsideIp();
            return repaired.putIfAbsent(tunnel, tunnel) == null ? response : new Response.NotRun("tunnel "
                    + repair.outsideIp() + " options repair: skipped, already repaired in this invocation (at most one "
                    + "repair per tunnel)");
        }
        return response;
    }
}

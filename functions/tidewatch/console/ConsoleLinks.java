package tidewatch.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Deep links into the AWS console of the region's partition ({@link Partition}). The region must be a region code (see
 * {@link RegionNames}): it becomes part of the host. The commercial console has a host per region; the China and
 * GovCloud consoles have one host, and the region is in the query.
 */
public final class ConsoleLinks {
    private ConsoleLinks() {}

    public static String alarm(String region, String alarmName) {
        return home(region) + "cloudwatch/home?region=" + region
                + "#alarmsV2:alarm/" + encode(alarmName);
    }

    public static String vpnConnection(String region, String vpnId) {
        return home(region) + "vpcconsole/home?region=" + region
                + "#VpnConnectionDetails:VpnConnectionId=" + encode(vpnId);
    }

    public static String ecsTask(String region, String cluster, String taskId) {
        return home(region) + "ecs/v2/clusters/" + encode(cluster) + "/tasks/"
                + encode(taskId) + "/configuration?region=" + region;
    }

    /** The service's events tab, where ECS's own messages about placing and starting its tasks are. */
    public static String ecsService(String region, String cluster, String service) {
        return home(region) + "ecs/v2/clusters/" + encode(cluster) + "/services/"
                + encode(service) + "/events?region=" + region;
    }

    public static String logStream(String region, String group, String stream) {
        return home(region) + "cloudwatch/home?region=" + region
                + "#logsV2:log-groups/log-group/" + logsFragment(group) + "/log-events/" + logsFragment(stream);
    }

    private static String home(String region) {
        Partition partition = Partition.ofRegion(region);
        return "https://" + (partition == Partition.AWS ? region + "." : "") + partition.consoleHost() + "/";
    }

    /** The CloudWatch Logs console's fragment encoding: URL-encode, then encode the percent signs again as "$25". */
    static String logsFragment(String text) {
        return encode(text).replace("%", "$25");
    }

    // URLEncoder writes form encoding; a space must be %20 in a URL fragment, not '+'.
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

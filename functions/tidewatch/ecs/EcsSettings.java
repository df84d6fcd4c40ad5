package tidewatch.ecs;

import java.time.Duration;
import java.util.List;
import tidewatch.config.Settings;
import tidewatch.datacenter.DatacenterAddresses;

/**
 * The EcsTaskStateFunction's settings.
 *
 * @param watchedClusters cluster names or ARNs; {@code ["*"]} watches every cluster
 * @param restartsEnabled ENABLE_TASK_RESTARTS: off by default, since a restart changes infrastructure
 * @param vpnIds          VPN_CONNECTION_IDS: the VPN connections to the datacenter, whose telemetry says whether an
 *                        abnormal stop is the datacenter's doing ({@link DatacenterOutageRule}); empty for none
 * @param datacenter      DATACENTER_CIDR and DATACENTER_HOSTS: what a log line must name to link a crash to the VPN
 */
record EcsSettings(List<String> watchedClusters, boolean restartsEnabled, CrashLoop crashLoop, int logLines, List<String> vpnIds,
                   DatacenterAddresses datacenter) {

    public static EcsSettings from(Settings settings) {
        List<String> clusters = settings.list("WATCHED_CLUSTERS");
        return new EcsSettings(
                clusters.isEmpty() ? List.of("*") : clusters,
                settings.flag("ENABLE_TASK_RESTARTS", false),
                new CrashLoop(settings.integer("CRASH_LOOP_THRESHOLD", 3, 2, 1000),
                        settings.duration("CRASH_LOOP_WINDOW", Duration.ofMinutes(15))),
                settings.integer("LOG_LINES", 20, 0, 100),
                settings.list("VPN_CONNECTION_IDS"),
                DatacenterAddresses.parse(settings.optional("DATACENTER_CIDR", ""), settings.list("DATACENTER_HOSTS")));
    }

    public boolean watches(String clusterArn) {
        String name = clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
        return watchedClusters.stream().anyMatch(c -> c.equals("*") || c.equals(clusterArn) || c.equals(name));
    }
}

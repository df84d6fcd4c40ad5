package tidewatch.ecs;

import java.time.Duration;
import java.util.List;
import tidewatch.config.Settings;

/**
 * The EcsTaskStateFunction's settings.
 *
 * @param watchedClusters cluster names or ARNs; {@code ["*"]} watches every cluster
 * @param restartsEnabled ENABLE_TASK_RESTARTS: off by default, since a restart changes infrastructure
 */
record EcsSettings(List<String> watchedClusters, boolean restartsEnabled, CrashLoop crashLoop, int logLines) {

    public static EcsSettings from(Settings settings) {
        List<String> clusters = settings.list("WATCHED_CLUSTERS");
        return new EcsSettings(
                clusters.isEmpty() ? List.of("*") : clusters,
                settings.flag("ENABLE_TASK_RESTARTS", false),
                new CrashLoop(settings.integer("CRASH_LOOP_THRESHOLD", 3, 2, 1000),
                        settings.duration("CRASH_LOOP_WINDOW", Duration.ofMinutes(15))),
                settings.integer("LOG_LINES", 20, 0, 100));
    }

    public boolean watches(String clusterArn) {
        String name = clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
        return watchedClusters.stream().anyMatch(c -> c.equals("*") || c.equals(clusterArn) || c.equals(name));
    }
}

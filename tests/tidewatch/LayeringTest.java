package tidewatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of functions/, read from the sources (imports and qualified names in code, comments left out): the SDK
 * is used only in the aws and priming packages and in the adapters named below, aws depends on no domain package, SDK clients are
 * built only by AwsClients (so each carries the priming interceptor), and no two tidewatch packages depend on each
 * other, directly or through others.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("functions");
    private static final String SDK = "software.amazon.awssdk.";
    /** Packages about the SDK itself: building clients, classifying failures, priming them. */
    private static final Set<String> SDK_PACKAGES = Set.of("aws", "priming");

    /** Classes outside those packages that may use SDK types, each with why: adding one is a decision, made here. */
    private static final Map<String, String> SDK_USERS = Map.ofEntries(
            Map.entry("ecs.EcsState", "adapter: the ECS reads"),
            Map.entry("ecs.ContainerLogs", "adapter: the CloudWatch Logs read of a container's last lines"),
            Map.entry("ecs.TaskRestarter", "adapter: RunTask"),
            Map.entry("ecs.SilenceTags", "adapter: the tags of a service and its cluster, for silences"),
            Map.entry("ecs.OutageStops", "adapter: the ECS reads of the services that stopped during an outage"),
            Map.entry("datacenter.ReachabilityReader", "adapter: DescribeVpnConnections, whether the datacenter is reachable"),
            Map.entry("ecs.EcsPriming", "primes EcsState's reading of an SDK TaskDefinition"),
            Map.entry("ecs.EcsTaskStateFunction", "handler: gives both ECS adapters one client"),
            Map.entry("vpn.Ec2TunnelTelemetry", "adapter: DescribeVpnConnections"),
            Map.entry("vpn.KeepaliveUnreachableTag", "adapter: CreateTags and DeleteTags of the keepalive's alarm"),
            Map.entry("vpn.AwsResponder", "adapter: Lambda Invoke, CreateTags, ReplaceVpnTunnel"),
            Map.entry("vpn.VpnAlarmFunction", "handler: builds its adapters from clients"),
            Map.entry("notify.SnsChannel", "adapter: SNS Publish"),
            Map.entry("notify.SlackWebhook", "adapter: the webhook's secret read"),
            Map.entry("notify.SlackChannel", "adapter: posts through the SDK's HTTP client"));
    /** What aws may depend on: leaves, and priming for the interceptor every client carries. */
    private static final Set<String> AWS_MAY_USE = Set.of("log", "priming", "text");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern TIDEWATCH_REFERENCE = Pattern.compile("\\btidewatch\\.([a-z]\\w*)\\.[A-Z]");
    private static final Pattern CLIENT_BUILDER = Pattern.compile("\\b\\w+Client\\.builder\\(\\)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    private record Source(String packageName, String className, String code) {
        String name() {
            return packageName + "." + className;
        }
    }

    @Test
    void theSdkIsUsedOnlyInAwsAndTheNamedAdapters() {
        List<String> violations = new ArrayList<>();
        for (Source source : sources()) {
            if (!SDK_PACKAGES.contains(source.packageName()) && source.code().contains(SDK) && !SDK_USERS.containsKey(source.name())) {
                violations.add(source.name());
            }
        }
        assertEquals(List.of(), violations, "SDK types outside " + SDK_PACKAGES + " and the adapters named in SDK_USERS");
        Set<String> named = new TreeSet<>(SDK_USERS.keySet());
        sources().forEach(source -> named.remove(source.name()));
        assertEquals(Set.of(), named, "SDK_USERS names classes that no longer exist");
    }

    @Test
    void awsDependsOnNoDomainPackage() {
        Map<String, Set<String>> uses = dependencies();
        Set<String> extra = new TreeSet<>(uses.getOrDefault("aws", Set.of()));
        extra.removeAll(AWS_MAY_USE);
        assertEquals(Set.of(), extra, "aws builds SDK clients and classifies AWS failures; it depends only on " + AWS_MAY_USE);
    }

    @Test
    void sdkClientsAreBuiltOnlyByAwsClients() {
        List<String> builders = new ArrayList<>();
        for (Source source : sources()) {
            if (!source.name().equals("aws.AwsClients") && CLIENT_BUILDER.matcher(source.code()).find()) {
                builders.add(source.name());
            }
        }
        assertEquals(List.of(), builders, "a client built elsewhere lacks the interceptor that stops priming's requests");
    }

    @Test
    void noPackageCycles() {
        Map<String, Set<String>> uses = dependencies();
        assertTrue(uses.size() >= 8, "the scan found the packages: " + uses.keySet());
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = cycleFrom(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>());
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles, "package dependencies must form no cycle");
    }

    /** A path from {@code at} back to {@code start}, or null. */
    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> uses, List<String> path, Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, uses, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    /** For each tidewatch package, the other tidewatch packages its code names, by import or qualified name. */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        for (Source source : sources()) {
            Set<String> used = uses.computeIfAbsent(source.packageName(), k -> new TreeSet<>());
            Matcher imports = IMPORT.matcher(source.code());
            while (imports.find()) {
                String imported = imports.group(1);
                if (imported.startsWith("tidewatch.")) {
                    used.add(imported.split("\\.")[1]);
                }
            }
            Matcher references = TIDEWATCH_REFERENCE.matcher(source.code());
            while (references.find()) {
                used.add(references.group(1));
            }
            used.remove(source.packageName());
        }
        return uses;
    }

    private static List<Source> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().map(LayeringTest::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source read(Path file) {
        try {
            String code = COMMENT.matcher(Files.readString(file)).replaceAll("");
            Path relative = SOURCES.relativize(file);
            assertEquals("tidewatch", relative.getName(0).toString(), file.toString());
            String packageName = relative.getParent().subpath(1, relative.getNameCount() - 1).toString().replace('/', '.');
            String className = relative.getFileName().toString().replace(".java", "");
            return new Source(packageName, className, code);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package tidewatch.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/**
 * What the sandbox's AWS account holds, as the AWS APIs return it:
 * <pre>
 * {"ecs": {"tasks": [Task with "tags"], "services": [Service with "tags"], "clusters": [Cluster with "tags"],
 *          "stoppedTasks": [Task], "taskDefinitions": [TaskDefinition],
 *          "containerInstances": [ContainerInstance with "clusterArn", which ECS's answers leave out]},
 *  "ec2": {"vpnConnections": [VpnConnection with "Options": {"TunnelOptions": [TunnelOption]}],
 *          "customerGateways": [CustomerGateway]},
 *  "logs": {"GROUP/STREAM": ["line", ...]},
 *  "sns": {"topics": ["arn:aws:sns:REGION:ACCOUNT:NAME"]},
 *  "lambda": {"functions": ["NAME", "NAME:ALIAS"]},
 *  "ssm": {"parameters": {"/name": "value"}},
 *  "secrets": {"name": "value"},
 *  "faults": {"slack": 500, "sns": "timeout", "ecs.RunTask": "ThrottlingException", "slack": [429, 200], "slack": "delay:8000"}}
 * </pre>
 * ECS objects use the ECS JSON member names (taskArn, ...); EC2 objects the EC2 API member names (VpnConnectionId,
 * VgwTelemetry, ...), as the AWS CLI prints them; their case does not matter ("options"/"Options"), as the sandbox
 * matches member names case-insensitively. The sandbox changes the world as calls arrive (RunTask adds a task,
 * CreateTags adds tags), so a sequence of invocations sees its own effects.
 * <p>
 * As in AWS, only what the world declares exists: a Publish to a topic it does not list, a read of a parameter or
 * secret it does not hold, an Invoke of a function it does not list, each gets the service's not-found error. A
 * parameter or secret whose value is {@value #SANDBOX_WEBHOOK} holds the sandbox's own Slack webhook URL (its port is
 * only known once it runs). {@link #declare(Map)} declares what a function's environment names, as the local runner
 * does for the template's own resources.
 */
public final class World {
    /** The value of a parameter or secret that holds the sandbox's own webhook URL. */
    public static final String SANDBOX_WEBHOOK = "sandbox:slack-webhook";
    /** The sandbox's second webhook, the on-call channel's: its posts are recorded as service "slack-critical". */
    public static final String SANDBOX_CRITICAL_WEBHOOK = "sandbox:slack-critical-webhook";
    final List<Map<String, Object>> tasks = new ArrayList<>();
    final List<Map<String, Object>> services = new ArrayList<>();
    final List<Map<String, Object>> clusters = new ArrayList<>();
    final List<Map<String, Object>> stoppedTasks = new ArrayList<>();
    final List<Map<String, Object>> taskDefinitions = new ArrayList<>();
    final List<Map<String, Object>> containerInstances = new ArrayList<>();
    final List<Map<String, Object>> vpnConnections = new ArrayList<>();
    final List<Map<String, Object>> customerGateways = new ArrayList<>();
    final Map<String, List<String>> logs = new LinkedHashMap<>();
    final Map<String, String> secrets = new LinkedHashMap<>();
    final Map<String, String> parameters = new LinkedHashMap<>();
    final java.util.Set<String> topics = new java.util.LinkedHashSet<>();
    final java.util.Set<String> functions = new java.util.LinkedHashSet<>();
    final Map<String, List<Object>> faults = new LinkedHashMap<>();

    public static World empty() {
        return new World();
    }

    public static World load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read world file " + file + ": " + e.getMessage(), e);
        }
    }

    public static World parse(String json) {
        World world = new World();
        if (json == null || json.isBlank()) {
            return world;
        }
        JsonObject root = Json.parseObject(json, "world");
        JsonObject ecs = root.object("ecs");
        copy(ecs.objects("tasks"), world.tasks);
        copy(ecs.objects("services"), world.services);
        copy(ecs.objects("clusters"), world.clusters);
        copy(ecs.objects("stoppedTasks"), world.stoppedTasks);
        copy(ecs.objects("taskDefinitions"), world.taskDefinitions);
        copy(ecs.objects("containerInstances"), world.containerInstances);
        copy(root.object("ec2").objects("vpnConnections"), world.vpnConnections);
        copy(root.object("ec2").objects("customerGateways"), world.customerGateways);
        root.object("logs").asMap().forEach((stream, lines) ->
                world.logs.put(stream, root.object("logs").strings(stream)));
        root.object("secrets").asMap().forEach((id, value) -> world.secrets.put(id, String.valueOf(value)));
        root.object("ssm").object("parameters").asMap().forEach((name, value) -> world.parameters.put(name, String.valueOf(value)));
        world.topics.addAll(root.object("sns").strings("topics"));
        world.functions.addAll(root.object("lambda").strings("functions"));
        root.object("faults").asMap().forEach((target, spec) ->
                world.faults.put(target, spec instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>(List.of(spec))));
        world.faults.values().forEach(specs -> specs.stream().map(String::valueOf).filter(s -> s.startsWith(Sandbox.DELAY))
                .forEach(Sandbox::delayMillis)); // a mistyped delay fails the load, not the call
        return world;
    }

    /** The running tasks, including those RunTask started. */
    public List<Map<String, Object>> tasks() {
        synchronized (this) {
            return List.copyOf(tasks);
        }
    }

    /** A service as the world holds it, to change between invocations (ECS's record moves on), or null. */
    public Map<String, Object> serviceForTests(String name) {
        synchronized (this) {
            return services.stream().filter(s -> name.equals(s.get("serviceName"))).findFirst().orElse(null);
        }
    }

    /** The stopped tasks ECS remembers, as the world holds them. */
    public List<Map<String, Object>> stoppedTasksForTests() {
        synchronized (this) {
            return List.copyOf(stoppedTasks);
        }
    }

    /** Adds a fault for a service ("slack") or one operation ("ecs.RunTask"); a list is consumed one call at a time. */
    public World fault(String target, Object... specs) {
        faults.put(target, new ArrayList<>(List.of(specs)));
        return this;
    }

    public World log(String groupAndStream, List<String> lines) {
        logs.put(groupAndStream, List.copyOf(lines));
        return this;
    }

    public World addTask(Map<String, Object> task) {
        tasks.add(new LinkedHashMap<>(task));
        return this;
    }

    public World addStoppedTask(Map<String, Object> task) {
        stoppedTasks.add(new LinkedHashMap<>(task));
        return this;
    }

    public World addCluster(Map<String, Object> cluster) {
        clusters.add(new LinkedHashMap<>(cluster));
        return this;
    }

    public World addContainerInstance(Map<String, Object> instance) {
        containerInstances.add(new LinkedHashMap<>(instance));
        return this;
    }

    public World addService(Map<String, Object> service) {
        services.add(new LinkedHashMap<>(service));
        return this;
    }

    public World addTaskDefinition(Map<String, Object> definition) {
        taskDefinitions.add(new LinkedHashMap<>(definition));
        return this;
    }

    public World addVpnConnection(Map<String, Object> connection) {
        vpnConnections.add(new LinkedHashMap<>(connection));
        return this;
    }

    public World addCustomerGateway(Map<String, Object> gateway) {
        customerGateways.add(new LinkedHashMap<>(gateway));
        return this;
    }

    /** The VPN connections as the sandbox now holds them (ModifyVpnTunnelOptions and CreateTags change them). */
    public List<Map<String, Object>> vpnConnections() {
        synchronized (this) {
            return List.copyOf(vpnConnections);
        }
    }

    /** A Secrets Manager secret, by its name or ARN. */
    public World secret(String id, String value) {
        secrets.put(id, value);
        return this;
    }

    /** A secret that holds the sandbox's own webhook URL. */
    public World secret(String id) {
        return secret(id, SANDBOX_WEBHOOK);
    }

    /** An SSM parameter, by its name ("/tidewatch/x") or ARN. */
    public World parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    /** A parameter that holds the sandbox's own webhook URL. */
    public World parameter(String name) {
        return parameter(name, SANDBOX_WEBHOOK);
    }

    /** An SNS topic, by its ARN. */
    public World topic(String arn) {
        topics.add(arn);
        return this;
    }

    /** A Lambda function by its name, ARN or NAME:ALIAS; an alias or version must be declared to be invoked by it. */
    public World function(String name) {
        functions.add(Sandbox.functionKey(name));
        return this;
    }

    /**
     * Declares what a function's environment names: the topic ({@code NOTIFY_TOPIC_ARN}), the webhook's parameter or
     * secret ({@code SLACK_WEBHOOK_SECRET}, holding the sandbox's webhook unless the world gives it a value), the
     * keepalive function ({@code KEEPALIVE_FUNCTION_NAME}). The local runner declares the template's own this way.
     */
    private void declareWebhook(String reference, String value) {
        if (reference != null && !reference.isBlank()) {
            if (tidewatch.notify.SlackWebhook.isParameter(reference)) {
                parameters.putIfAbsent(reference, value);
            } else {
                secrets.putIfAbsent(reference, value);
            }
        }
    }

    public World declare(Map<String, String> environment) {
        String topic = environment.get("NOTIFY_TOPIC_ARN");
        if (topic != null && !topic.isBlank()) {
            topic(topic);
        }
        declareWebhook(environment.get("SLACK_WEBHOOK_SECRET"), SANDBOX_WEBHOOK);
        declareWebhook(environment.get("SLACK_CRITICAL_WEBHOOK_SECRET"), SANDBOX_CRITICAL_WEBHOOK);
        String keepalive = environment.get("KEEPALIVE_FUNCTION_NAME");
        if (keepalive != null && !keepalive.isBlank()) {
            function(keepalive);
        }
        return this;
    }

    /** The next fault for a call, if any: an operation-specific fault wins over a service-wide one. */
    synchronized Object nextFault(String service, String operation) { // the lock the sandbox holds while it answers
        for (String key : List.of(service + "." + operation, service)) {
            List<Object> specs = faults.get(key);
            if (specs != null && !specs.isEmpty()) {
                return specs.size() == 1 ? specs.get(0) : specs.remove(0);
            }
        }
        return null;
    }

    private static void copy(List<JsonObject> from, List<Map<String, Object>> to) {
        from.forEach(object -> to.add(object.mutableCopy()));
    }
}

package tidewatch.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.model.DescribeCustomerGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpnConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpnTunnelOptionsResponse;
import tidewatch.aws.AwsClients;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/**
 * AWS and Slack on loopback: one HTTP server that speaks each service's real wire protocol (ECS, Secrets Manager,
 * SSM and CloudWatch Logs JSON 1.1; EC2 and SNS Query with XML answers; Lambda REST-JSON; the Slack webhook), so
 * the real SDK clients make real calls. It answers from a {@link World}, records every call with its parameters
 * under the API reference's member names, and injects faults at the HTTP level.
 */
public final class Sandbox implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    private static final Pattern SIGNING_SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request");
    private static final Pattern LAMBDA_INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final String SLACK_PATH = "/slack/services/T0SANDBOX/B0SANDBOX/";
    private static final String CRITICAL_WEBHOOK_SUFFIX = "-oncall";
    /** The sandbox's own counters (requests served, time spent answering them); never recorded as a call. */
    public static final String STATS_PATH = "/_sandbox/stats";
    /** A fault that holds the answer for a number of milliseconds, then gives it: {@code "delay:8000"}. */
    static final String DELAY = "delay:";
    /** When the current thread's exchange started; 0 once accounted. (Exchange attributes are shared in JDK 17.) */
    private static final ThreadLocal<long[]> STARTED = ThreadLocal.withInitial(() -> new long[1]);

    /** A call the sandbox received; {@code fault} says what was injected, if anything. */
    public record Call(String service, String operation, Map<String, Object> params, String fault) {
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("service", service);
            json.put("operation", operation);
            json.put("params", params);
            if (fault != null) {
                json.put("fault", fault);
            }
            return json;
        }
    }

    private final World world;
    private final HttpServer server;
    private final ExecutorService threads;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Map<String, Object>> runTaskByClientToken = new LinkedHashMap<>();
    private final String slackSecret = "sandbox-" + UUID.randomUUID().toString().substring(0, 8);
    private volatile Duration slowResponse = Duration.ofSeconds(10);
    private volatile boolean recordParams = true;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong handlingNanos = new AtomicLong();
    /** When FilterLogEvents' lines end, fixed at start so that repeated reads give each line the same timestamp. */
    private final long logsEndAt = Instant.now().toEpochMilli();

    static {
        // The JDK server otherwise leaves Nagle's algorithm on: its response, written in two parts, then waits for
        // the client's delayed ACK, some 40 ms per call on loopback, which no AWS endpoint adds. Surefire sets it for
        // the tests; this covers the local runner and SandboxServer. Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private Sandbox(World world, int port) throws IOException {
        this.world = world;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "sandbox");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Sandbox start(World world) {
        return start(world, 0);
    }

    /** Starts on the given loopback port, 0 for an ephemeral one. */
    public static Sandbox start(World world, int port) {
        try {
            return new Sandbox(world, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the sandbox on loopback port " + port, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The webhook URL that any secret or parameter resolves to unless the world names another value. */
    public String slackWebhookUrl() {
        return endpoint() + SLACK_PATH + slackSecret;
    }

    /** How long a "timeout" fault holds the response: longer than the client's read timeout. */
    public Sandbox slowResponse(Duration duration) {
        this.slowResponse = duration;
        return this;
    }

    /** SDK clients pointed at this sandbox, with test credentials and the given read timeout. */
    public AwsClients clients(Duration readTimeout) {
        return new AwsClients(AwsClients.httpClient(readTimeout), Region.of(REGION),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSANDBOX", "sandbox-secret-key")), endpoint());
    }

    /**
     * Whether calls keep their parameters (the default). A long benchmark turns this off so the call log stays small;
     * calls are still counted.
     */
    public Sandbox recordParams(boolean record) {
        this.recordParams = record;
        return this;
    }

    public World world() {
        return world;
    }

    /** Declares in the world what a function's environment names ({@link World#declare}) and returns the environment. */
    public Map<String, String> declaring(Map<String, String> environment) {
        synchronized (world) {
            world.declare(environment);
        }
        return environment;
    }

    /** Requests answered so far (the stats endpoint excluded). */
    public long requests() {
        return requests.get();
    }

    /**
     * Time spent answering them, from the handler's entry to the moment the response starts to go out: what a
     * benchmark subtracts from a function's invocation time to leave the function's own.
     */
    public long handlingNanos() {
        return handlingNanos.get();
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String service, String operation) {
        return calls().stream().filter(c -> c.service().equals(service) && c.operation().equals(operation)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (STATS_PATH.equals(exchange.getRequestURI().getPath())) {
            try (exchange) {
                send(exchange, 200, "application/json", "{\"requests\":" + requests.get() + ",\"handlingNanos\":" + handlingNanos.get() + "}");
            }
            return;
        }
        STARTED.get()[0] = System.nanoTime();
        requests.incrementAndGet();
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = identify(exchange, body);
            Object fault = world.nextFault(request.service, request.operation);
            record(new Call(request.service, request.operation, recordParams ? redact(request.params) : Map.of(),
                    fault == null ? null : String.valueOf(fault)));
            if (fault != null && injectFault(exchange, request, fault)) {
                return;
            }
            try {
                synchronized (world) { // one call at a time changes or reads the world
                    answer(exchange, request);
                }
            } catch (SandboxFault e) {
                sendError(exchange, request, e.status, e.code, e.getMessage());
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", "sandbox error: " + e);
        } finally {
            account(); // an answer that sent nothing (a reset)
        }
    }

    /** Adds the exchange's handling time once, before its response goes out, so a client never sees stale stats. */
    private void account() {
        long[] started = STARTED.get();
        if (started[0] != 0) {
            handlingNanos.addAndGet(System.nanoTime() - started[0]);
            started[0] = 0;
        }
    }

    private record Request(String service, String operation, Map<String, Object> params, String protocol) {}

    /** The service a SigV4 Authorization header was signed for ("ecs", "sns", "logs", ...), as AWS routes on it. */
    static String signingService(String authorization, String otherwise) {
        Matcher signing = SIGNING_SERVICE.matcher(authorization == null ? "" : authorization);
        return signing.find() ? signing.group(1) : otherwise;
    }

    private Request identify(HttpExchange exchange, String body) {
        String path = exchange.getRequestURI().getPath();
        if (path.startsWith(SLACK_PATH)) {
            return new Request(path.endsWith(CRITICAL_WEBHOOK_SUFFIX) ? "slack-critical" : "slack", "post", jsonParams(body), "slack");
        }
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String service = signingService(authorization, "unknown");
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            return new Request(service, target.substring(target.indexOf('.') + 1), jsonParams(body), "json");
        }
        Matcher invoke = LAMBDA_INVOKE.matcher(path);
        if (invoke.matches()) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("FunctionName", java.net.URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8));
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            params.put("InvocationType", type == null ? "RequestResponse" : type);
            params.put("Payload", body.isBlank() ? null : Json.parse(body));
            return new Request("lambda", "Invoke", params, "rest-json");
        }
        Map<String, String> form = QueryProtocol.form(body);
        return new Request(service, form.getOrDefault("Action", "unknown"), QueryProtocol.params(form), "query");
    }

    private static Map<String, Object> jsonParams(String body) {
        if (body.isBlank()) {
            return Map.of();
        }
        Object parsed = Json.parse(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = parsed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("body", parsed);
        return map;
    }

    private synchronized void record(Call call) {
        calls.add(call);
    }

    /** Secrets never reach the report: any string equal to a stored secret value is replaced. */
    private Object redactValue(Object value) {
        if (value instanceof String text) {
            return text.contains(slackSecret) || world.secrets.containsValue(text) || world.parameters.containsValue(text) ? "[redacted]" : text;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), redactValue(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::redactValue).toList();
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> redact(Map<String, Object> params) {
        return (Map<String, Object>) redactValue(params);
    }

    /** Returns true when the fault replaced the answer; "timeout" and "delay:MILLIS" only delay it. */
    private boolean injectFault(HttpExchange exchange, Request request, Object fault) throws IOException {
        String spec = String.valueOf(fault);
        if (spec.equals("timeout") || spec.startsWith(DELAY)) {
            try {
                Thread.sleep(spec.equals("timeout") ? slowResponse.toMillis() : delayMillis(spec));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        if (spec.equals("reset")) {
            exchange.close();
            return true;
        }
        int status;
        String code;
        if (fault instanceof Number number) {
            status = number.intValue();
            if (status < 300) {
                return false;
            }
            code = status == 429 || status == 400 ? "ThrottlingException" : status == 403 ? "AccessDeniedException" : "InternalFailure";
        } else {
            code = spec;
            status = code.startsWith("AccessDenied") || code.equals("UnauthorizedOperation") ? 403 : 400;
        }
        sendError(exchange, request, status, code, "injected by the sandbox: " + code);
        return true;
    }

    /** The milliseconds of a {@code "delay:MILLIS"} fault: the answer comes, whole and successful, that late. */
    static long delayMillis(String spec) {
        try {
            long millis = Long.parseLong(spec.substring(DELAY.length()));
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("fault '" + spec + "': expected delay:MILLIS, a number of milliseconds");
    }

    private void sendError(HttpExchange exchange, Request request, int status, String code, String message) throws IOException {
        switch (request.protocol) {
            case "slack" -> {
                if (status == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                }
                send(exchange, status, "text/plain", status == 429 ? "rate_limited" : "internal_error");
            }
            case "json", "rest-json" -> {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", code);
                send(exchange, status, "application/x-amz-json-1.1", Json.write(Map.of("__type", code, "message", message)));
            }
            default -> {
                String requestId = UUID.randomUUID().toString();
                String xml = request.service.equals("ec2")
                        ? "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>"
                        : "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>" + (status < 500 ? "Sender" : "Receiver")
                                + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
                send(exchange, status, "text/xml", xml);
            }
        }
    }

    private void answer(HttpExchange exchange, Request request) throws IOException {
        JsonObject params = JsonObject.of(request.params, request.operation);
        switch (request.service + "." + request.operation) {
            case "slack.post", "slack-critical.post" -> send(exchange, 200, "text/plain", "ok");
            case "ecs.DescribeTasks" -> json(exchange, describeTasks(params));
            case "ecs.ListTasks" -> json(exchange, listTasks(params));
            case "ecs.DescribeTaskDefinition" -> json(exchange, describeTaskDefinition(params));
            case "ecs.DescribeServices" -> json(exchange, describeServices(params));
            case "ecs.DescribeClusters" -> json(exchange, describeClusters(params));
            case "ecs.ListContainerInstances" -> json(exchange, listContainerInstances(params));
            case "ecs.DescribeContainerInstances" -> json(exchange, describeContainerInstances(params));
            case "ecs.RunTask" -> json(exchange, runTask(params));
            case "secretsmanager.GetSecretValue" -> {
                String id = params.requireString("SecretId");
                json(exchange, Map.of("ARN", "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + secretName(id) + "-Sandbx",
                        "Name", secretName(id), "SecretString", secret(id), "VersionId", "1"));
            }
            case "ssm.GetParameter" -> json(exchange, Map.of("Parameter", Map.of(
                    "Name", params.requireString("Name"), "Type", "SecureString", "Value", parameter(params.string("Name")), "Version", 1)));
            case "logs.GetLogEvents" -> getLogEvents(exchange, params);
            case "logs.FilterLogEvents" -> json(exchange, filterLogEvents(params));
            case "lambda.Invoke" -> {
                requireFunction(params.requireString("FunctionName"));
                send(exchange, "Event".equals(params.string("InvocationType")) ? 202 : 200, "application/json", "");
            }
            case "sns.Publish" -> {
                publishChecks(params);
                xml(exchange, "Publish", "sns", "<MessageId>" + UUID.randomUUID() + "</MessageId>");
            }
            case "ec2.DescribeVpnConnections" -> describeVpnConnections(exchange, params);
            case "ec2.DescribeCustomerGateways" -> describeCustomerGateways(exchange, params);
            case "ec2.ModifyVpnTunnelOptions" -> modifyVpnTunnelOptions(exchange, params);
            case "ec2.ReplaceVpnTunnel" -> xml(exchange, "ReplaceVpnTunnel", "ec2", "<return>true</return>");
            case "ec2.CreateTags" -> {
                createTags(params);
                xml(exchange, "CreateTags", "ec2", "<return>true</return>");
            }
            case "ec2.DeleteTags" -> {
                deleteTags(params);
                xml(exchange, "DeleteTags", "ec2", "<return>true</return>");
            }
            default -> sendError(exchange, request, 400, "UnknownOperationException",
                    "the sandbox does not serve " + request.service + " " + request.operation);
        }
    }

    /** A secret's value by its name or ARN, as Secrets Manager finds it; an undeclared one does not exist. */
    private String secret(String id) {
        for (Map.Entry<String, String> declared : world.secrets.entrySet()) {
            if (declared.getKey().equals(id) || secretName(declared.getKey()).equals(secretName(id))) {
                return webhookOr(declared.getValue());
            }
        }
        throw new SandboxFault("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    /** A secret's name from its name or ARN ("arn:...:secret:NAME-AbCdEf": Secrets Manager adds six characters). */
    static String secretName(String id) {
        int at = id.startsWith("arn:") ? id.indexOf(":secret:") : -1;
        if (at < 0) {
            return id;
        }
        String name = id.substring(at + ":secret:".length());
        return name.matches(".*-[A-Za-z0-9]{6}") ? name.substring(0, name.length() - 7) : name;
    }

    /** A parameter's value by its name or ARN ("arn:...:parameter/tidewatch/x" is "/tidewatch/x"). */
    private String parameter(String name) {
        for (Map.Entry<String, String> declared : world.parameters.entrySet()) {
            if (parameterName(declared.getKey()).equals(parameterName(name))) {
                return webhookOr(declared.getValue());
            }
        }
        throw new SandboxFault("ParameterNotFound", "");
    }

    private static String parameterName(String name) {
        int at = name.startsWith("arn:") ? name.indexOf(":parameter") : -1;
        String bare = at < 0 ? name : name.substring(at + ":parameter".length());
        return bare.startsWith("/") ? bare.substring(1) : bare;
    }

    private String webhookOr(String value) {
        return World.SANDBOX_WEBHOOK.equals(value) ? slackWebhookUrl()
                : World.SANDBOX_CRITICAL_WEBHOOK.equals(value) ? slackWebhookUrl() + CRITICAL_WEBHOOK_SUFFIX : value;
    }

    /**
     * A function as Lambda names it: "NAME" or "NAME:QUALIFIER" from a name, a partial ARN ("ACCOUNT:function:NAME")
     * or a full ARN; "$LATEST" is the function itself.
     */
    static String functionKey(String name) {
        int at = name.indexOf(":function:");
        String key = at >= 0 ? name.substring(at + ":function:".length()) : name;
        return key.endsWith(":$LATEST") ? key.substring(0, key.length() - ":$LATEST".length()) : key;
    }

    private void requireFunction(String name) {
        String key = functionKey(name);
        if (!world.functions.contains(key)) {
            throw new SandboxFault(404, "ResourceNotFoundException",
                    "Function not found: arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + key);
        }
    }

    /** Publish as SNS refuses it: an unknown topic, a subject of 100 characters or more or with a line break, a message over 256 KiB. */
    private void publishChecks(JsonObject params) {
        String topic = params.string("TopicArn");
        if (topic == null || !world.topics.contains(topic)) {
            throw new SandboxFault(404, "NotFound", "Topic does not exist");
        }
        String subject = params.string("Subject");
        if (subject != null && (subject.isEmpty() || subject.length() >= 100 || subject.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new SandboxFault("InvalidParameter", "Invalid parameter: Subject");
        }
        String message = params.string("Message");
        long bytes = message == null ? 0 : message.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, Object> attribute : params.object("MessageAttributes").asMap().entrySet()) {
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                    + String.valueOf(attribute.getValue()).getBytes(StandardCharsets.UTF_8).length;
        }
        if (message == null || message.isEmpty()) {
            throw new SandboxFault("InvalidParameter", "Invalid parameter: Message");
        }
        if (bytes > 262_144) {
            throw new SandboxFault("InvalidParameter", "Invalid parameter: Message too long");
        }
    }

    /** ECS's and CloudWatch Logs' list limits: a request over one is refused, as the service refuses it. */
    private static void requireAtMost(int limit, int count, String member, String code) {
        if (count > limit) {
            throw new SandboxFault(code, member + " can have at most " + limit + " items; " + count + " were given");
        }
    }

    private static void requireLimit(Long value, int max, String member, String code) {
        if (value != null && (value < 1 || value > max)) {
            throw new SandboxFault(code, member + " must be between 1 and " + max + "; " + value + " was given");
        }
    }

    private Map<String, Object> describeTasks(JsonObject params) {
        requireAtMost(100, params.strings("tasks").size(), "tasks", "InvalidParameterException");
        boolean withTags = params.strings("include").contains("TAGS");
        List<Object> found = new ArrayList<>();
        List<Object> failures = new ArrayList<>();
        for (String wanted : params.strings("tasks")) {
            Map<String, Object> task = findTask(params.string("cluster"), wanted);
            if (task == null) {
                failures.add(Map.of("arn", wanted, "reason", "MISSING"));
            } else {
                Map<String, Object> copy = new LinkedHashMap<>(task);
                if (!withTags) {
                    copy.remove("tags");
                }
                found.add(copy);
            }
        }
        return Map.of("tasks", found, "failures", failures);
    }

    private Map<String, Object> findTask(String cluster, String wanted) {
        List<Map<String, Object>> all = new ArrayList<>(world.tasks);
        all.addAll(world.stoppedTasks);
        for (Map<String, Object> task : all) {
            String arn = String.valueOf(task.get("taskArn"));
            if ((arn.equals(wanted) || arn.endsWith("/" + wanted)) && inCluster(task, cluster)) {
                return task;
            }
        }
        return null;
    }

    private static boolean inCluster(Map<String, Object> task, String cluster) {
        String arn = String.valueOf(task.get("clusterArn"));
        return cluster == null || cluster.isEmpty() || arn.equals(cluster) || arn.endsWith("/" + cluster)
                || ("default".equals(cluster) && arn.endsWith("/default"));
    }

    private Map<String, Object> listTasks(JsonObject params) {
        requireLimit(params.integer("maxResults"), 100, "maxResults", "InvalidParameterException");
        boolean stopped = "STOPPED".equals(params.string("desiredStatus"));
        List<Map<String, Object>> pool = stopped ? world.stoppedTasks : world.tasks;
        String service = params.string("serviceName");
        String family = params.string("family");
        String instance = params.string("containerInstance");
        List<Object> arns = new ArrayList<>();
        for (Map<String, Object> task : pool) {
            String group = String.valueOf(task.get("group"));
            String onInstance = String.valueOf(task.get("containerInstanceArn"));
            if (!inCluster(task, params.string("cluster"))
                    || (service != null && !group.equals("service:" + service))
                    || (family != null && !family.equals(definitionFamily(task)))
                    || (instance != null && !onInstance.equals(instance) && !onInstance.endsWith("/" + instance))) {
                continue;
            }
            arns.add(task.get("taskArn"));
        }
        return Map.of("taskArns", arns);
    }

    /** As ECS filters ListTasks by "family": the task definition's family ("report" of ".../report:7"), not the group. */
    private static String definitionFamily(Map<String, Object> task) {
        String arn = String.valueOf(task.get("taskDefinitionArn"));
        String revision = arn.substring(arn.lastIndexOf('/') + 1);
        return revision.contains(":") ? revision.substring(0, revision.lastIndexOf(':')) : revision;
    }

    private Map<String, Object> describeTaskDefinition(JsonObject params) {
        String wanted = params.requireString("taskDefinition");
        Map<String, Object> best = null;
        for (Map<String, Object> definition : world.taskDefinitions) {
            String arn = String.valueOf(definition.get("taskDefinitionArn"));
            String familyRevision = definition.get("family") + ":" + definition.get("revision");
            if (arn.equals(wanted) || familyRevision.equals(wanted) || String.valueOf(definition.get("family")).equals(wanted)) {
                best = definition;
            }
        }
        if (best == null) {
            throw new SandboxFault("ClientException", "Unable to describe task definition.");
        }
        return Map.of("taskDefinition", best, "tags", List.of());
    }

    /** As ECS: the cluster's services only, their tags only when asked for ("include": ["TAGS"]). */
    private Map<String, Object> describeServices(JsonObject params) {
        requireAtMost(10, params.strings("services").size(), "services", "InvalidParameterException");
        List<Map<String, Object>> inCluster = world.services.stream().filter(s -> inCluster(s, params.string("cluster"))).toList();
        Map<String, Object> answer = described(inCluster, params.strings("services"), "serviceName", "serviceArn", "services");
        if (!params.strings("include").contains("TAGS")) {
            answer = Map.of("services", ((List<?>) answer.get("services")).stream().map(s -> {
                Map<String, Object> copy = new LinkedHashMap<>(castMap(s));
                copy.remove("tags");
                return copy;
            }).toList(), "failures", answer.get("failures"));
        }
        return answer;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    /** As ECS: the cluster's container instances, filtered by status when asked (ACTIVE, DRAINING, ...). */
    private Map<String, Object> listContainerInstances(JsonObject params) {
        requireLimit(params.integer("maxResults"), 100, "maxResults", "InvalidParameterException");
        String status = params.string("status");
        return Map.of("containerInstanceArns", world.containerInstances.stream()
                .filter(i -> inCluster(i, params.string("cluster")) && (status == null || status.equals(i.get("status"))))
                .map(i -> i.get("containerInstanceArn")).toList());
    }

    /** As ECS: each wanted instance of the cluster by ARN or id, without the world's clusterArn; MISSING for the others. */
    private Map<String, Object> describeContainerInstances(JsonObject params) {
        requireAtMost(100, params.strings("containerInstances").size(), "containerInstances", "InvalidParameterException");
        List<Object> found = new ArrayList<>();
        List<Object> failures = new ArrayList<>();
        for (String wanted : params.strings("containerInstances")) {
            world.containerInstances.stream()
                    .filter(i -> inCluster(i, params.string("cluster")) && (wanted.equals(i.get("containerInstanceArn"))
                            || String.valueOf(i.get("containerInstanceArn")).endsWith("/" + wanted)))
                    .findFirst()
                    .ifPresentOrElse(i -> {
                        Map<String, Object> copy = new LinkedHashMap<>(i);
                        copy.remove("clusterArn");
                        found.add(copy);
                    }, () -> failures.add(Map.of("arn", wanted, "reason", "MISSING")));
        }
        return Map.of("containerInstances", found, "failures", failures);
    }

    /** As ECS: the clusters the world names (by name or ARN, tags included), a MISSING failure for the others. */
    private Map<String, Object> describeClusters(JsonObject params) {
        requireAtMost(100, params.strings("clusters").size(), "clusters", "InvalidParameterException");
        return described(world.clusters, params.strings("clusters"), "clusterName", "clusterArn", "clusters");
    }

    /** ECS's Describe answer: each wanted resource found by its name or ARN, else a MISSING failure. */
    private static Map<String, Object> described(List<Map<String, Object>> pool, List<String> wanted, String nameKey, String arnKey,
                                                 String listKey) {
        List<Object> found = new ArrayList<>();
        List<Object> failures = new ArrayList<>();
        for (String one : wanted) {
            pool.stream()
                    .filter(r -> one.equals(r.get(nameKey)) || one.equals(r.get(arnKey)))
                    .findFirst()
                    .ifPresentOrElse(found::add, () -> failures.add(Map.of("arn", one, "reason", "MISSING")));
        }
        return Map.of(listKey, found, "failures", failures);
    }

    /** Starts a task record; a repeated clientToken returns the first task, as ECS's idempotency does. */
    private Map<String, Object> runTask(JsonObject params) {
        String problem = TagRules.ecsProblem(params.objects("tags").stream()
                .map(tag -> Map.entry(String.valueOf(tag.string("key")), tag.string("value") == null ? "" : tag.string("value"))).toList());
        if (problem != null) {
            throw new SandboxFault("InvalidParameterException", problem);
        }
        String token = params.string("clientToken");
        if (token != null && runTaskByClientToken.containsKey(token)) {
            return Map.of("tasks", List.of(runTaskByClientToken.get(token)), "failures", List.of());
        }
        String cluster = params.string("cluster") == null ? "default" : params.string("cluster");
        String clusterName = cluster.substring(cluster.lastIndexOf('/') + 1);
        String id = UUID.randomUUID().toString().replace("-", "");
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("taskArn", "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":task/" + clusterName + "/" + id);
        task.put("clusterArn", cluster.startsWith("arn:") ? cluster : "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":cluster/" + clusterName);
        task.put("taskDefinitionArn", params.string("taskDefinition"));
        task.put("group", params.string("group"));
        task.put("lastStatus", "PROVISIONING");
        task.put("desiredStatus", "RUNNING");
        if (params.has("launchType")) {
            task.put("launchType", params.string("launchType"));
        }
        task.put("tags", params.array("tags"));
        task.put("createdAt", Instant.now().toEpochMilli() / 1000.0);
        world.tasks.add(task);
        if (token != null) {
            runTaskByClientToken.put(token, task);
        }
        return Map.of("tasks", List.of(task), "failures", List.of());
    }

    private void getLogEvents(HttpExchange exchange, JsonObject params) throws IOException {
        requireLimit(params.integer("limit"), 10_000, "limit", "InvalidParameterException");
        List<String> lines = world.logs.get(params.string("logGroupName") + "/" + params.string("logStreamName"));
        if (lines == null) {
            throw new SandboxFault("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        Long limit = params.integer("limit");
        boolean fromHead = Boolean.TRUE.equals(params.bool("startFromHead"));
        int count = limit == null ? lines.size() : (int) Math.min(limit, lines.size());
        List<String> slice = fromHead ? lines.subList(0, count) : lines.subList(lines.size() - count, lines.size());
        long base = Instant.now().toEpochMilli() - lines.size() * 1000L;
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < slice.size(); i++) {
            events.add(Map.of("timestamp", base + i * 1000L, "message", slice.get(i), "ingestionTime", base + i * 1000L + 50));
        }
        json(exchange, Map.of("events", events, "nextForwardToken", "f/sandbox", "nextBackwardToken", "b/sandbox"));
    }

    private void describeVpnConnections(HttpExchange exchange, JsonObject params) throws IOException {
        List<String> wanted = new ArrayList<>(params.strings("VpnConnectionId"));
        for (JsonObject filter : params.objects("Filter")) {
            if ("vpn-connection-id".equals(filter.string("Name"))) {
                wanted.addAll(filter.strings("Value"));
            }
        }
        boolean byId = !params.strings("VpnConnectionId").isEmpty();
        List<Object> connections = new ArrayList<>();
        for (Map<String, Object> connection : world.vpnConnections) {
            if (wanted.isEmpty() || wanted.contains(String.valueOf(member(connection, "VpnConnectionId")))) {
                connections.add(connection);
            }
        }
        if (byId && connections.isEmpty()) { // unknown ids are an error; a filter that matches nothing is not
            throw new SandboxFault("InvalidVpnConnectionID.NotFound", "The vpnConnection ID '" + wanted.get(0) + "' does not exist");
        }
        StringBuilder members = new StringBuilder();
        QueryProtocol.writeMembers(members, DescribeVpnConnectionsResponse.builder().sdkFields(), Map.of("VpnConnections", connections));
        xml(exchange, "DescribeVpnConnections", "ec2", members.toString());
    }

    /**
     * FilterLogEvents over the world's "GROUP/STREAM" lines: the group's streams (or those named, or with the prefix),
     * oldest first and cut at the limit as CloudWatch Logs does; lines get one-second steps ending at the sandbox's start.
     */
    private Map<String, Object> filterLogEvents(JsonObject params) {
        requireLimit(params.integer("limit"), 10_000, "limit", "InvalidParameterException");
        String group = params.string("logGroupName") != null ? params.string("logGroupName") : logGroupName(params.string("logGroupIdentifier"));
        List<String> named = params.strings("logStreamNames");
        String prefix = params.string("logStreamNamePrefix");
        Long start = params.integer("startTime");
        Long end = params.integer("endTime");
        String pattern = params.string("filterPattern");
        boolean groupExists = false;
        List<Map<String, Object>> events = new ArrayList<>();
        long now = logsEndAt;
        for (Map.Entry<String, List<String>> entry : world.logs.entrySet()) {
            if (group == null || !entry.getKey().startsWith(group + "/")) {
                continue;
            }
            groupExists = true;
            String stream = entry.getKey().substring(group.length() + 1);
            if ((!named.isEmpty() && !named.contains(stream)) || (prefix != null && !stream.startsWith(prefix))) {
                continue;
            }
            List<String> lines = entry.getValue();
            for (int i = 0; i < lines.size(); i++) {
                long timestamp = now - (lines.size() - i) * 1000L;
                boolean matches = pattern == null || pattern.isBlank() || lines.get(i).contains(pattern.replace("\"", ""));
                if ((start == null || timestamp >= start) && (end == null || timestamp <= end) && matches) {
                    events.add(Map.of("logStreamName", stream, "timestamp", timestamp, "message", lines.get(i),
                            "ingestionTime", timestamp + 50, "eventId", stream.hashCode() + "-" + i));
                }
            }
        }
        if (!groupExists) {
            throw new SandboxFault("ResourceNotFoundException", "The specified log group does not exist.");
        }
        events.sort((a, b) -> Long.compare((Long) a.get("timestamp"), (Long) b.get("timestamp")));
        Long limit = params.integer("limit");
        List<Map<String, Object>> page = limit == null ? events : events.subList(0, (int) Math.min(limit, events.size()));
        return Map.of("events", page, "searchedLogStreams", List.of());
    }

    /** A log group's name from its name or ARN ("arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]"). */
    static String logGroupName(String identifier) {
        if (identifier == null || !identifier.startsWith("arn:")) {
            return identifier;
        }
        String name = identifier.substring(identifier.indexOf(":log-group:") + ":log-group:".length());
        return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    }

    private void describeCustomerGateways(HttpExchange exchange, JsonObject params) throws IOException {
        List<String> ids = params.strings("CustomerGatewayId");
        List<Object> gateways = new ArrayList<>();
        for (Map<String, Object> gateway : world.customerGateways) {
            String id = String.valueOf(member(gateway, "CustomerGatewayId"));
            if ((ids.isEmpty() || ids.contains(id)) && matchesFilters(gateway, params.objects("Filter"))) {
                gateways.add(gateway);
            }
        }
        for (String id : ids) { // an unknown id is an error, as in EC2; a filter that matches nothing is not
            if (world.customerGateways.stream().noneMatch(g -> id.equals(String.valueOf(member(g, "CustomerGatewayId"))))) {
                throw new SandboxFault("InvalidCustomerGatewayID.NotFound", "The customerGateway ID '" + id + "' does not exist");
            }
        }
        StringBuilder members = new StringBuilder();
        QueryProtocol.writeMembers(members, DescribeCustomerGatewaysResponse.builder().sdkFields(), Map.of("CustomerGateways", gateways));
        xml(exchange, "DescribeCustomerGateways", "ec2", members.toString());
    }

    /** EC2 filters on a customer gateway: "customer-gateway-id", "ip-address", "state", "bgp-asn", "type", "tag:KEY". */
    private static boolean matchesFilters(Map<String, Object> gateway, List<JsonObject> filters) {
        for (JsonObject filter : filters) {
            String name = String.valueOf(filter.string("Name"));
            Object value;
            if (name.startsWith("tag:")) {
                value = tagValue(gateway, name.substring(4));
            } else {
                StringBuilder member = new StringBuilder();
                for (String part : name.split("-")) {
                    member.append(part);
                }
                value = member(gateway, member.toString());
            }
            if (value == null || !filter.strings("Value").contains(String.valueOf(value))) {
                return false;
            }
        }
        return true;
    }

    private static Object tagValue(Map<String, Object> resource, String key) {
        if (member(resource, "Tags") instanceof List<?> tags) {
            for (Object tag : tags) {
                if (tag instanceof Map<?, ?> t && key.equals(t.get("Key"))) {
                    return t.get("Value");
                }
            }
        }
        return null;
    }

    /**
     * Changes one tunnel's options as EC2 does and answers with the modified connection; the next
     * DescribeVpnConnections returns them. Request members (DPDTimeoutAction) map to the answer's (DpdTimeoutAction).
     */
    private void modifyVpnTunnelOptions(HttpExchange exchange, JsonObject params) throws IOException {
        String vpnId = params.requireString("VpnConnectionId");
        String outsideIp = params.requireString("VpnTunnelOutsideIpAddress");
        Map<String, Object> connection = world.vpnConnections.stream()
                .filter(c -> vpnId.equals(String.valueOf(member(c, "VpnConnectionId"))))
                .findFirst()
                .orElseThrow(() -> new SandboxFault("InvalidVpnConnectionID.NotFound", "The vpnConnection ID '" + vpnId + "' does not exist"));
        Map<String, Object> options = new LinkedHashMap<>(member(connection, "Options") instanceof Map<?, ?> m ? asMembers(m) : Map.of());
        List<Map<String, Object>> tunnels = new ArrayList<>();
        if (member(options, "TunnelOptions") instanceof List<?> list) {
            list.forEach(t -> tunnels.add(new LinkedHashMap<>(t instanceof Map<?, ?> m ? asMembers(m) : Map.of())));
        }
        Map<String, Object> tunnel = tunnels.stream()
                .filter(t -> outsideIp.equals(String.valueOf(member(t, "OutsideIpAddress"))))
                .findFirst()
                .orElseThrow(() -> new SandboxFault("InvalidParameterValue",
                        "The VPN tunnel outside IP address '" + outsideIp + "' does not belong to VPN connection '" + vpnId + "'"));
        JsonObject changes = params.object("TunnelOptions");
        Map<String, String> requestToAnswer = Map.of("StartupAction", "StartupAction", "DPDTimeoutAction", "DpdTimeoutAction",
                "DPDTimeoutSeconds", "DpdTimeoutSeconds", "EnableTunnelLifecycleControl", "EnableTunnelLifecycleControl");
        requestToAnswer.forEach((request, answer) -> {
            if (changes.has(request)) {
                putMember(tunnel, answer, changes.asMap().get(request));
            }
        });
        putMember(options, "TunnelOptions", tunnels);
        putMember(connection, "Options", options);
        StringBuilder members = new StringBuilder();
        QueryProtocol.writeMembers(members, ModifyVpnTunnelOptionsResponse.builder().sdkFields(), Map.of("VpnConnection", connection));
        xml(exchange, "ModifyVpnTunnelOptions", "ec2", members.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMembers(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A member by its name in any case: world files may write "options" or "Options". */
    private static Object member(Map<String, Object> object, String name) {
        for (Map.Entry<String, Object> entry : object.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Replaces a member under the key the object already uses for it, or adds it under the given name. */
    private static void putMember(Map<String, Object> object, String name, Object value) {
        String key = object.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(name);
        object.put(key, value);
    }

    @SuppressWarnings("unchecked")
    private void createTags(JsonObject params) {
        List<String> resources = params.strings("ResourceId");
        List<Map.Entry<String, String>> wanted = params.objects("Tag").stream()
                .map(tag -> Map.entry(String.valueOf(tag.string("Key")), tag.string("Value") == null ? "" : tag.string("Value"))).toList();
        String problem = TagRules.ec2Problem(wanted);
        if (problem != null) {
            throw new SandboxFault("InvalidParameterValue", problem);
        }
        for (Map<String, Object> connection : world.vpnConnections) {
            if (resources.contains(String.valueOf(connection.get("VpnConnectionId")))) {
                long kept = (connection.get("Tags") instanceof List<?> l ? l : List.of()).stream()
                        .filter(t -> !(t instanceof Map<?, ?> m && wanted.stream().anyMatch(w -> w.getKey().equals(m.get("Key"))))).count();
                if (kept + wanted.size() > TagRules.MAX_TAGS) {
                    throw new SandboxFault("TagLimitExceeded", "The maximum number of tags (50) for resource "
                            + connection.get("VpnConnectionId") + " has been reached.");
                }
            }
        }
        for (Map<String, Object> connection : world.vpnConnections) {
            if (!resources.contains(String.valueOf(connection.get("VpnConnectionId")))) {
                continue;
            }
            List<Object> tags = new ArrayList<>(connection.get("Tags") instanceof List<?> l ? l : List.of());
            for (JsonObject tag : params.objects("Tag")) {
                tags.removeIf(t -> t instanceof Map<?, ?> m && tag.string("Key").equals(m.get("Key")));
                tags.add(Map.of("Key", tag.string("Key"), "Value", tag.string("Value") == null ? "" : tag.string("Value")));
            }
            connection.put("Tags", tags);
        }
    }

    /** As EC2's DeleteTags: a tag given without a value goes whatever its value; one that is not there is no error. */
    private void deleteTags(JsonObject params) {
        List<String> resources = params.strings("ResourceId");
        for (Map<String, Object> connection : world.vpnConnections) {
            if (resources.contains(String.valueOf(connection.get("VpnConnectionId")))) {
                List<Object> tags = new ArrayList<>(connection.get("Tags") instanceof List<?> l ? l : List.of());
                for (JsonObject tag : params.objects("Tag")) {
                    tags.removeIf(t -> t instanceof Map<?, ?> m && tag.string("Key").equals(m.get("Key"))
                            && (tag.string("Value") == null || tag.string("Value").equals(m.get("Value"))));
                }
                connection.put("Tags", tags);
            }
        }
    }

    private void json(HttpExchange exchange, Map<String, Object> body) throws IOException {
        send(exchange, 200, "application/x-amz-json-1.1", Json.write(epochTimestamps(body)));
    }

    /**
     * JSON 1.1 sends timestamps as epoch seconds. World files may write them as ISO-8601, as the AWS CLI prints
     * them and as EventBridge events carry them; members named "...At" are converted on the way out.
     */
    private static Object epochTimestamps(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> {
                String name = String.valueOf(key);
                if (name.endsWith("At") && value instanceof String text) {
                    try {
                        Instant instant = java.time.OffsetDateTime.parse(text).toInstant();
                        copy.put(name, instant.toEpochMilli() / 1000.0);
                        return;
                    } catch (java.time.format.DateTimeParseException notATime) {
                        // left as it is
                    }
                }
                copy.put(name, epochTimestamps(value));
            });
            return copy;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(Sandbox::epochTimestamps).toList();
        }
        return node;
    }

    private void xml(HttpExchange exchange, String action, String service, String members) throws IOException {
        String namespace = service.equals("ec2") ? "http://ec2.amazonaws.com/doc/2016-11-15/" : "http://sns.amazonaws.com/doc/2010-03-31/";
        String requestId = UUID.randomUUID().toString();
        String body = service.equals("ec2")
                ? "<" + action + "Response xmlns=\"" + namespace + "\"><requestId>" + requestId + "</requestId>" + members + "</" + action + "Response>"
                : "<" + action + "Response xmlns=\"" + namespace + "\"><" + action + "Result>" + members + "</" + action + "Result>"
                        + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata></" + action + "Response>";
        send(exchange, 200, "text/xml", body);
    }

    private void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        account();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** An AWS error the world itself produces (a missing resource), answered in the service's error format. */
    static final class SandboxFault extends RuntimeException {
        final int status;
        final String code;

        SandboxFault(String code, String message) {
            this(400, code, message);
        }

        SandboxFault(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}

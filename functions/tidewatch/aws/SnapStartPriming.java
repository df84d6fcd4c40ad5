package tidewatch.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.TraitType;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.ssm.SsmClient;
import tidewatch.log.Log;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;
import tidewatch.notify.SlackMessage;
import tidewatch.notify.SnsMessage;

/**
 * SnapStart priming: runs a function's code paths once before Lambda takes the snapshot, so that an environment
 * restored from it finds the classes loaded and initialised instead of loading them during its first invocation.
 * Each handler calls this from its {@code org.crac.Resource#beforeCheckpoint} hook.
 *
 * <p>Nothing leaves the process. Every SDK client carries {@link #STOP_PRIMING_REQUESTS}; a priming request is
 * marked with an execution attribute, goes through the whole SDK pipeline (marshalling, endpoint resolution,
 * signing) and is stopped by the interceptor just before transmission, so AWS never sees it: no notification, no
 * RunTask, no secret read (the Slack webhook stays unread until the first message, by design). A client that lacks
 * the interceptor is not primed at all. The answers cannot be read without AWS, so the model types of each stopped
 * request's answer are loaded from the builders' field definitions instead. The HTTP client itself is exercised with
 * one request to a listener of our own on loopback, and the XML parser with a document in memory. Priming never
 * throws: a failed step costs only its warm-up.
 */
public final class SnapStartPriming {
    /** Marks a request as priming: stopped before it is sent. */
    static final ExecutionAttribute<Boolean> PRIMING = new ExecutionAttribute<>("TidewatchSnapStartPriming");
    /** Stops marked requests in beforeTransmission, after signing; unmarked requests pass untouched. */
    static final ExecutionInterceptor STOP_PRIMING_REQUESTS = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (Boolean.TRUE.equals(attributes.getAttribute(PRIMING))) {
                STOPPED.incrementAndGet();
                STOPPED_REQUEST_TYPES.add(context.request().getClass());
                throw new PrimingRequestStopped();
            }
        }
    };
    private static final AtomicInteger STOPPED = new AtomicInteger();
    /** The request types stopped by the priming under way: their answers' shapes are loaded next. */
    private static final Set<Class<?>> STOPPED_REQUEST_TYPES = ConcurrentHashMap.newKeySet();

    // Placeholders only: the requests that carry them are never sent.
    private static final String ACCOUNT = "000000000000";
    private static final String CLUSTER = "arn:aws:ecs:us-east-1:" + ACCOUNT + ":cluster/tidewatch-priming";
    private static final String TASK = "arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/tidewatch-priming/0123456789abcdef0123456789abcdef";
    private static final String TOPIC = "arn:aws:sns:us-east-1:" + ACCOUNT + ":tidewatch-priming";
    /** The VPN connection every priming step names (requests stopped here, the VPN alarm function's assessment). */
    public static final String PLACEHOLDER_VPN = "vpn-00000000000000000";
    private static final int LOOPBACK_TIMEOUT_MS = 2_000;

    /**
     * What priming did: SDK requests run through the pipeline and stopped, steps that failed, the answers' model types
     * loaded, time taken.
     */
    public record Result(int requestsStopped, int failures, int responseTypesLoaded, long nanos) {}

    private SnapStartPriming() {}

    /**
     * Runs the steps (parsing, rendering: the function's own code), then one request of every SDK call the function's
     * clients make, each stopped before it is sent, then loads the model types of their answers. Logs one line; never
     * throws.
     *
     * @param aws the function's clients (only those already built are primed), or null when it has none
     */
    public static Result prime(String function, AwsClients aws, Runnable... steps) {
        long started = System.nanoTime();
        int stoppedBefore = STOPPED.get();
        STOPPED_REQUEST_TYPES.clear();
        int failures = 0;
        int responseTypes = 0;
        for (Runnable step : steps) {
            failures += attempt(function, step);
        }
        if (aws != null) {
            List<SdkClient> clients = aws.built();
            for (SdkClient client : clients) {
                failures += primeClient(function, client);
            }
            Set<Class<?>> loaded = new HashSet<>();
            for (Class<?> requestType : List.copyOf(STOPPED_REQUEST_TYPES)) {
                failures += attempt(function, () -> loadResponseShape(requestType, loaded));
            }
            responseTypes = loaded.size();
            failures += attempt(function, () -> exchangeOnLoopback(aws.http()));
            if (clients.stream().anyMatch(c -> c instanceof SnsClient || c instanceof Ec2Client)) {
                failures += attempt(function, SnapStartPriming::parseXml);
            }
        }
        Result result = new Result(STOPPED.get() - stoppedBefore, failures, responseTypes, System.nanoTime() - started);
        Log.info("SnapStart priming done", "function", function, "requestsStopped", result.requestsStopped(),
                "responseTypesLoaded", result.responseTypesLoaded(), "failures", result.failures(), "ms", result.nanos() / 1_000_000);
        return result;
    }

    /** A message with every part a real one has, rendered for both channels (and thrown away). */
    public static void renderSampleMessage(String source) {
        Message message = new Message("Priming <sample> & title", Severity.WARNING, "A *sample* summary\nover two lines",
                List.of(new Message.Field("Cluster", "tidewatch-priming"), new Message.Field("Reason", "Essential container exited")),
                List.of(new Message.Link("Open in the console", "https://console.aws.amazon.com/ecs/v2/clusters")),
                new Message.Evidence("Last log lines", List.of("line one", "```fenced```", "line <three>")),
                source + "/priming", source);
        SlackMessage.render(message);
        SnsMessage.render(message);
    }

    /**
     * One POST through the functions' HTTP client to a listener of our own on loopback, which answers it: the HTTP
     * client and the JDK's HTTP stack run for real, and nothing leaves the process. (The stopped SDK requests never
     * reach the HTTP client.) The answer closes the connection, so none is kept in the snapshot.
     */
    static void exchangeOnLoopback(SdkHttpClient http) {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(LOOPBACK_TIMEOUT_MS);
            Thread responder = new Thread(() -> answerOnce(listener), "tidewatch-priming-http");
            responder.setDaemon(true);
            responder.start();
            byte[] body = "{\"priming\":true}".getBytes(StandardCharsets.UTF_8);
            SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                    .uri(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/priming"))
                    .method(SdkHttpMethod.POST)
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .build();
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(request)
                    .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();
            if (response.responseBody().isPresent()) {
                try (InputStream in = response.responseBody().get()) {
                    in.readAllBytes();
                }
            }
            responder.join(LOOPBACK_TIMEOUT_MS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while priming", e);
        }
    }

    private static void answerOnce(ServerSocket listener) {
        try (Socket connection = listener.accept()) {
            connection.setSoTimeout(LOOPBACK_TIMEOUT_MS);
            InputStream in = connection.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            String headers = head.toString().toLowerCase(java.util.Locale.ROOT);
            int at = headers.indexOf("content-length:");
            if (at >= 0) {
                in.readNBytes(Integer.parseInt(headers.substring(at + 15, headers.indexOf('\r', at)).trim()));
            }
            connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            // the client side reports the failure
        }
    }

    /**
     * The answers of the stopped requests cannot be primed by reading them (that needs AWS), so their model classes,
     * most of what a restored function's first invocation still loads, are loaded and initialised instead: each
     * answer's type ({@code XResponse} for {@code XRequest}, the SDK's naming) and every type nested in it, found the
     * way the SDK's unmarshallers find them, through the builders' field definitions. Adds the builder types touched
     * to {@code seen}.
     */
    static void loadResponseShape(Class<?> requestType, Set<Class<?>> seen) {
        String name = requestType.getName();
        if (!name.endsWith("Request")) {
            return;
        }
        try {
            Class<?> responseType = Class.forName(name.substring(0, name.length() - "Request".length()) + "Response",
                    true, requestType.getClassLoader());
            if (responseType.getMethod("builder").invoke(null) instanceof SdkPojo builder) {
                loadShape(builder, seen);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no response type for " + name, e);
        }
    }

    /** Loads the builder's type and every type nested in its fields (structures, list members, map values). */
    static void loadShape(SdkPojo builder, Set<Class<?>> seen) {
        if (!seen.add(builder.getClass())) {
            return;
        }
        for (SdkField<?> field : builder.sdkFields()) {
            loadField(field, seen);
        }
    }

    private static void loadField(SdkField<?> field, Set<Class<?>> seen) {
        if (field.marshallingType() == MarshallingType.SDK_POJO) {
            loadShape(field.constructor().get(), seen);
        } else if (field.marshallingType() == MarshallingType.LIST) {
            ListTrait list = field.getTrait(ListTrait.class, TraitType.LIST_TRAIT);
            if (list != null) {
                loadField(list.memberFieldInfo(), seen);
            }
        } else if (field.marshallingType() == MarshallingType.MAP) {
            MapTrait map = field.getTrait(MapTrait.class, TraitType.MAP_TRAIT);
            if (map != null) {
                loadField(map.valueFieldInfo(), seen);
            }
        }
    }

    /** The JDK's StAX parser, which the SDK reads SNS and EC2 (Query protocol) answers with. */
    private static void parseXml() {
        try {
            XMLEventReader reader = XMLInputFactory.newInstance().createXMLEventReader(new StringReader(
                    "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>1</MessageId>"
                            + "</PublishResult></PublishResponse>"));
            while (reader.hasNext()) {
                reader.nextEvent();
            }
            reader.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int attempt(String function, Runnable step) {
        try {
            step.run();
            return 0;
        } catch (RuntimeException | LinkageError e) {
            Log.warn("SnapStart priming step failed", "function", function, "error", e);
            return 1;
        }
    }

    /** One stopped request per call the functions make on this client. */
    static int primeClient(String function, SdkClient client) {
        if (!client.serviceClientConfiguration().overrideConfiguration().executionInterceptors().contains(STOP_PRIMING_REQUESTS)) {
            Log.warn("SnapStart priming skipped a client without the priming interceptor", "function", function,
                    "service", client.serviceName());
            return 1;
        }
        int failures = 0;
        if (client instanceof EcsClient ecs) {
            failures += request(function, () -> ecs.describeTaskDefinition(r -> r.taskDefinition("tidewatch-priming:1")
                    .overrideConfiguration(SnapStartPriming::mark)));
            failures += request(function, () -> ecs.listTasks(r -> r.cluster(CLUSTER).serviceName("priming")
                    .desiredStatus(DesiredStatus.STOPPED).maxResults(100).overrideConfiguration(SnapStartPriming::mark)));
            failures += request(function, () -> ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(TASK).include(TaskField.TAGS)
                    .overrideConfiguration(SnapStartPriming::mark)));
            failures += request(function, () -> ecs.runTask(r -> r.cluster(CLUSTER).taskDefinition("tidewatch-priming:1")
                    .group("family:tidewatch-priming").startedBy("tidewatch").clientToken("tidewatch-priming")
                    .overrides(o -> o.containerOverrides(c -> c.name("app").command("true").environment(e -> e.name("A").value("1"))))
                    .tags(t -> t.key("tidewatch:restart-count").value("1"))
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-00000000").securityGroups("sg-00000000")
                            .assignPublicIp(AssignPublicIp.DISABLED)))
                    .overrideConfiguration(SnapStartPriming::mark)));
        } else if (client instanceof CloudWatchLogsClient logs) {
            failures += request(function, () -> logs.getLogEvents(r -> r.logGroupName("/ecs/tidewatch-priming")
                    .logStreamName("ecs/app/0123456789abcdef").limit(20).startFromHead(false).overrideConfiguration(SnapStartPriming::mark)));
        } else if (client instanceof SnsClient sns) {
            MessageAttributeValue attribute = MessageAttributeValue.builder().dataType("String").stringValue("info").build();
            failures += request(function, () -> sns.publish(r -> r.topicArn(TOPIC).subject("[INFO] priming").message("priming")
                    .messageAttributes(Map.of("severity", attribute, "source", attribute)).overrideConfiguration(SnapStartPriming::mark)));
        } else if (client instanceof SsmClient ssm) {
            failures += request(function, () -> ssm.getParameter(r -> r.name("/tidewatch/priming").withDecryption(true)
                    .overrideConfiguration(SnapStartPriming::mark)));
        } else if (client instanceof SecretsManagerClient secrets) {
            failures += request(function, () -> secrets.getSecretValue(r -> r.secretId("tidewatch/priming")
                    .overrideConfiguration(SnapStartPriming::mark)));
        } else if (client instanceof Ec2Client ec2) {
            failures += request(function, () -> ec2.describeVpnConnections(r -> r.filters(Filter.builder().name("vpn-connection-id")
                    .values(PLACEHOLDER_VPN).build()).overrideConfiguration(SnapStartPriming::mark)));
            failures += request(function, () -> ec2.createTags(r -> r.resources(PLACEHOLDER_VPN)
                    .tags(Tag.builder().key("tidewatch:priming").value("0").build()).overrideConfiguration(SnapStartPriming::mark)));
            failures += request(function, () -> ec2.replaceVpnTunnel(r -> r.vpnConnectionId(PLACEHOLDER_VPN).vpnTunnelOutsideIpAddress("192.0.2.1")
                    .overrideConfiguration(SnapStartPriming::mark)));
        } else if (client instanceof LambdaClient lambda) {
            failures += request(function, () -> lambda.invoke(r -> r.functionName("tidewatch-priming").invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"burst\":1}")).overrideConfiguration(SnapStartPriming::mark)));
        }
        return failures;
    }

    private static void mark(AwsRequestOverrideConfiguration.Builder builder) {
        builder.putExecutionAttribute(PRIMING, Boolean.TRUE);
    }

    /** Runs one marked request, which must end stopped by the interceptor; anything else counts as a failure. */
    private static int request(String function, Runnable call) {
        try {
            call.run();
            Log.error("SnapStart priming request was not stopped", "function", function);
            return 1;
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof PrimingRequestStopped) {
                    return 0;
                }
            }
            Log.warn("SnapStart priming request failed before it could be stopped", "function", function, "error", e);
            return 1;
        } catch (LinkageError e) {
            Log.warn("SnapStart priming request failed before it could be stopped", "function", function, "error", e);
            return 1;
        }
    }

    /** Thrown by the interceptor; carries no stack trace, it is expected. */
    private static final class PrimingRequestStopped extends RuntimeException {
        PrimingRequestStopped() {
            super("SnapStart priming request stopped before transmission", null, false, false);
        }
    }
}

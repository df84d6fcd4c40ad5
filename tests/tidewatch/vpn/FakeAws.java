package tidewatch.vpn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import tidewatch.aws.AwsClients;

/**
 * EC2 (Query protocol, XML answers) and Lambda Invoke on 127.0.0.1, recording every request. Answers are set per
 * test: the DescribeVpnConnections body, and failures for Invoke, CreateTags or ReplaceVpnTunnel.
 */
final class FakeAws implements AutoCloseable {
    record Request(String method, String path, Map<String, String> form, String body, String invocationType) {
        String action() {
            return form.getOrDefault("Action", path.startsWith("/2015-03-31/functions/") ? "Invoke" : "?");
        }
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    volatile String describeXml = vpnConnectionsXml();
    volatile boolean invokeDenied;
    volatile boolean createTagsDenied;
    volatile boolean replaceFails;

    FakeAws() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    AwsClients clients() {
        return new AwsClients(AwsClients.httpClient(Duration.ofSeconds(5)), Region.EU_WEST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test")),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<String> actions() {
        return requests().stream().map(Request::action).toList();
    }

    Request only(String action) {
        List<Request> matching = requests().stream().filter(r -> r.action().equals(action)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + action + ", got " + actions());
        }
        return matching.get(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        Request request = new Request(exchange.getRequestMethod(), path, form(body), body,
                exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"));
        requests.add(request);
        switch (request.action()) {
            case "Invoke" -> {
                if (invokeDenied) {
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "AccessDeniedException");
                    send(exchange, 403, "application/json", "{\"Type\":\"User\",\"message\":\"User is not authorized "
                            + "to perform: lambda:InvokeFunction\"}");
                } else {
                    send(exchange, 202, "application/json", "");
                }
            }
            case "DescribeVpnConnections" -> send(exchange, 200, "text/xml", describeXml);
            case "CreateTags" -> {
                if (createTagsDenied) {
                    send(exchange, 403, "text/xml", ec2Error("UnauthorizedOperation",
                            "You are not authorized to perform this operation."));
                } else {
                    send(exchange, 200, "text/xml", ec2Ok("CreateTagsResponse"));
                }
            }
            case "ReplaceVpnTunnel" -> {
                if (replaceFails) {
                    send(exchange, 400, "text/xml", ec2Error("InvalidParameterValue", "Tunnel replacement in progress"));
                } else {
                    send(exchange, 200, "text/xml", ec2Ok("ReplaceVpnTunnelResponse"));
                }
            }
            default -> send(exchange, 400, "text/xml", ec2Error("InvalidAction", "not faked: " + request.action()));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("x-amzn-RequestId", "8f0e6c1a-test");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty() || body.startsWith("{")) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(key, value);
        }
        return form;
    }

    private static String ec2Ok(String element) {
        return "<" + element + " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>req-1</requestId>"
                + "<return>true</return></" + element + ">";
    }

    private static String ec2Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>req-err</RequestID></Response>";
    }

    /** One tunnel DOWN since 09:31 (47 min before VpnFixtures.NOW), the other UP; tags as given (key, value...). */
    static String vpnConnectionsXml(String... tags) {
        return tunnelsXml("DOWN", "2024-05-01T09:31:00.000Z", "UP", "2024-04-29T14:03:10.000Z", tags);
    }

    static String tunnelsXml(String statusA, String sinceA, String statusB, String sinceB, String... tags) {
        StringBuilder tagSet = new StringBuilder();
        for (int i = 0; i + 1 < tags.length; i += 2) {
            tagSet.append("<item><key>").append(tags[i]).append("</key><value>").append(tags[i + 1]).append("</value></item>");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<DescribeVpnConnectionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId><vpnConnectionSet><item>"
                + "<vpnConnectionId>" + VpnFixtures.VPN + "</vpnConnectionId><state>available</state>"
                + "<customerGatewayId>cgw-0e11f167</customerGatewayId><type>ipsec.1</type>"
                + "<vpnGatewayId>vgw-9a4cacf3</vpnGatewayId>"
                + "<tagSet><item><key>Name</key><value>datacenter</value></item>" + tagSet + "</tagSet>"
                + "<vgwTelemetry>"
                + tunnel(VpnFixtures.TUNNEL_A, statusA, sinceA, "DOWN".equals(statusA) ? "IPSEC IS DOWN" : "2 BGP ROUTES",
                        "DOWN".equals(statusA) ? 0 : 2)
                + tunnel(VpnFixtures.TUNNEL_B, statusB, sinceB, "DOWN".equals(statusB) ? "IPSEC IS DOWN" : "2 BGP ROUTES",
                        "DOWN".equals(statusB) ? 0 : 2)
                + "</vgwTelemetry></item></vpnConnectionSet></DescribeVpnConnectionsResponse>";
    }

    private static String tunnel(String ip, String status, String since, String message, int routes) {
        return "<item><outsideIpAddress>" + ip + "</outsideIpAddress><status>" + status + "</status>"
                + "<lastStatusChange>" + since + "</lastStatusChange><statusMessage>" + message + "</statusMessage>"
                + "<acceptedRouteCount>" + routes + "</acceptedRouteCount></item>";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

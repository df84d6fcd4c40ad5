package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CustomerGateway;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.TunnelOption;
import software.amazon.awssdk.services.ec2.model.VpnConnection;

/** The sandbox's VPN calls as the real SDK clients see them: tunnel options, customer gateways, their repair, tunnel logs. */
class SandboxEc2Test {
    private static final String VPN = "vpn-4f1c0a9e";
    @RegisterExtension
    final SandboxFixture sandboxes = new SandboxFixture();

    /** A world written with the EC2 API's camel-case member names, as the brief's shape has them. */
    private static World world() {
        return World.parse("""
                {"ec2": {"vpnConnections": [{"vpnConnectionId": "vpn-4f1c0a9e", "state": "available", "customerGatewayId": "cgw-1a2b3c4d",
                   "vgwTelemetry": [{"outsideIpAddress": "198.51.100.7", "status": "DOWN"}, {"outsideIpAddress": "198.51.100.9", "status": "UP"}],
                   "options": {"staticRoutesOnly": false, "tunnelOptions": [
                     {"outsideIpAddress": "198.51.100.7", "startupAction": "add", "dpdTimeoutAction": "clear", "dpdTimeoutSeconds": 40,
                      "logOptions": {"cloudWatchLogOptions": {"logEnabled": true, "logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpn/city-datacenter", "logOutputFormat": "json"}},
                      "enableTunnelLifecycleControl": false},
                     {"outsideIpAddress": "198.51.100.9", "startupAction": "add", "dpdTimeoutAction": "none", "dpdTimeoutSeconds": 30,
                      "logOptions": {"cloudWatchLogOptions": {"logEnabled": false}}}]}}],
                  "customerGateways": [
                    {"customerGatewayId": "cgw-1a2b3c4d", "ipAddress": "192.0.2.44", "state": "available", "bgpAsn": "65010", "type": "ipsec.1"},
                    {"customerGatewayId": "cgw-0e9d8c7b6a5f43210", "ipAddress": "10.20.0.1", "state": "available", "bgpAsn": "65020", "type": "ipsec.1"}]},
                 "logs": {"/aws/vpn/city-datacenter/vpn-4f1c0a9e-198.51.100.7": ["first", "DPD timeout", "last"],
                          "/aws/vpn/other/vpn-x": ["elsewhere"]}}
                """);
    }

    private static Ec2Client ec2(Sandbox sandbox) {
        return sandbox.clients(Duration.ofSeconds(2)).ec2();
    }

    private static TunnelOption tunnel(VpnConnection connection, String outsideIp) {
        return connection.options().tunnelOptions().stream().filter(t -> outsideIp.equals(t.outsideIpAddress())).findFirst().orElseThrow();
    }

    @Test
    void describeVpnConnectionsCarriesEachTunnelsOptionsAsTheSdkReadsThem() {
        Sandbox sandbox = sandboxes.start(world());
        VpnConnection connection = ec2(sandbox).describeVpnConnections(r -> r.vpnConnectionIds(VPN)).vpnConnections().get(0);
        assertEquals(2, connection.options().tunnelOptions().size());
        TunnelOption first = tunnel(connection, "198.51.100.7");
        assertEquals("add", first.startupAction());
        assertEquals("clear", first.dpdTimeoutAction());
        assertEquals(40, first.dpdTimeoutSeconds());
        assertEquals(false, first.enableTunnelLifecycleControl());
        assertTrue(first.logOptions().cloudWatchLogOptions().logEnabled());
        assertEquals("arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpn/city-datacenter", first.logOptions().cloudWatchLogOptions().logGroupArn());
        assertEquals("json", first.logOptions().cloudWatchLogOptions().logOutputFormat());
        TunnelOption second = tunnel(connection, "198.51.100.9");
        assertEquals("none", second.dpdTimeoutAction());
        assertFalse(second.logOptions().cloudWatchLogOptions().logEnabled());
        assertNull(second.logOptions().cloudWatchLogOptions().logGroupArn());
    }

    @Test
    void theSampleWorldsOptionsReachTheSdk() {
        Sandbox sandbox = sandboxes.start(World.load(Path.of("events/worlds/vpn-both-tunnels-down-start-restart.json")));
        VpnConnection connection = ec2(sandbox).describeVpnConnections().vpnConnections().get(0);
        assertTrue(connection.options().tunnelOptions().stream().allMatch(t -> "start".equals(t.startupAction()) && "restart".equals(t.dpdTimeoutAction())));
    }

    /** Each sample world holds what the VPN functions read: its gateway, with a public IP, and the logged tunnel's lines. */
    @ParameterizedTest
    @ValueSource(strings = {"vpn-one-tunnel-down-default-options", "vpn-both-tunnels-down-default-options",
            "vpn-both-tunnels-down-start-restart"})
    void eachSampleWorldIsConsistent(String name) {
        Sandbox sandbox = sandboxes.start(World.load(Path.of("events/worlds/" + name + ".json")));
        VpnConnection connection = ec2(sandbox).describeVpnConnections().vpnConnections().get(0);
        CustomerGateway gateway = ec2(sandbox).describeCustomerGateways(r -> r.customerGatewayIds(connection.customerGatewayId()))
                .customerGateways().get(0);
        assertFalse(gateway.ipAddress().startsWith("10."), "the VPN's customer gateway has a public IP address");
        TunnelOption logged = connection.options().tunnelOptions().stream()
                .filter(t -> t.logOptions().cloudWatchLogOptions().logEnabled()).findFirst().orElseThrow();
        List<FilteredLogEvent> lines = sandbox.clients(Duration.ofSeconds(2)).logs().filterLogEvents(r -> r.logGroupIdentifier(
                logged.logOptions().cloudWatchLogOptions().logGroupArn())).events();
        assertFalse(lines.isEmpty());
        assertTrue(lines.stream().allMatch(line -> line.message().contains("\"TunnelOutsideIPAddress\":\"" + logged.outsideIpAddress() + "\"")));
    }

    @Test
    void describeCustomerGatewaysAnswersByIdAndByFilterAndRefusesAnUnknownId() {
        Sandbox sandbox = sandboxes.start(world());
        List<CustomerGateway> byId = ec2(sandbox).describeCustomerGateways(r -> r.customerGatewayIds("cgw-1a2b3c4d")).customerGateways();
        assertEquals(1, byId.size());
        assertEquals("192.0.2.44", byId.get(0).ipAddress());
        assertEquals("65010", byId.get(0).bgpAsn());
        assertEquals("ipsec.1", byId.get(0).type());
        assertEquals("available", byId.get(0).state());
        assertEquals(2, ec2(sandbox).describeCustomerGateways().customerGateways().size());
        List<CustomerGateway> filtered = ec2(sandbox).describeCustomerGateways(r -> r.filters(
                f -> f.name("ip-address").values("10.20.0.1"))).customerGateways();
        assertEquals(List.of("cgw-0e9d8c7b6a5f43210"), filtered.stream().map(CustomerGateway::customerGatewayId).toList());
        assertTrue(ec2(sandbox).describeCustomerGateways(r -> r.filters(f -> f.name("customer-gateway-id").values("cgw-none")))
                .customerGateways().isEmpty());
        Ec2Exception unknown = assertThrows(Ec2Exception.class,
                () -> ec2(sandbox).describeCustomerGateways(r -> r.customerGatewayIds("cgw-00000000")));
        assertEquals("InvalidCustomerGatewayID.NotFound", unknown.awsErrorDetails().errorCode());
    }

    @Test
    void modifyVpnTunnelOptionsIsRecordedUnderTheApiNamesAndTheNextReadSeesIt() {
        Sandbox sandbox = sandboxes.start(world());
        VpnConnection answered = ec2(sandbox).modifyVpnTunnelOptions(r -> r.vpnConnectionId(VPN).vpnTunnelOutsideIpAddress("198.51.100.7")
                .tunnelOptions(o -> o.startupAction("start").dpdTimeoutAction("restart"))).vpnConnection();
        assertEquals("start", tunnel(answered, "198.51.100.7").startupAction());
        Sandbox.Call call = sandbox.calls("ec2", "ModifyVpnTunnelOptions").get(0);
        assertEquals(VPN, call.params().get("VpnConnectionId"));
        assertEquals("198.51.100.7", call.params().get("VpnTunnelOutsideIpAddress"));
        assertEquals(Map.of("StartupAction", "start", "DPDTimeoutAction", "restart"), call.params().get("TunnelOptions"));

        VpnConnection read = ec2(sandbox).describeVpnConnections(r -> r.vpnConnectionIds(VPN)).vpnConnections().get(0);
        TunnelOption modified = tunnel(read, "198.51.100.7");
        assertEquals("start", modified.startupAction());
        assertEquals("restart", modified.dpdTimeoutAction());
        assertEquals(40, modified.dpdTimeoutSeconds(), "options not named stay as they were");
        assertTrue(modified.logOptions().cloudWatchLogOptions().logEnabled());
        TunnelOption untouched = tunnel(read, "198.51.100.9");
        assertEquals("add", untouched.startupAction());
        assertEquals("none", untouched.dpdTimeoutAction());
    }

    @Test
    void modifyVpnTunnelOptionsRefusesAnUnknownVpnOrTunnelAndTakesInjectedFaults() {
        Sandbox sandbox = sandboxes.start(world().fault("ec2.ModifyVpnTunnelOptions", "IncorrectState", 200));
        Ec2Exception refused = assertThrows(Ec2Exception.class, () -> ec2(sandbox).modifyVpnTunnelOptions(r -> r.vpnConnectionId(VPN)
                .vpnTunnelOutsideIpAddress("198.51.100.7").tunnelOptions(o -> o.startupAction("start"))));
        assertEquals("IncorrectState", refused.awsErrorDetails().errorCode());
        assertEquals("add", tunnel(ec2(sandbox).describeVpnConnections().vpnConnections().get(0), "198.51.100.7").startupAction(),
                "a refused modification changes nothing");
        Ec2Exception unknown = assertThrows(Ec2Exception.class, () -> ec2(sandbox).modifyVpnTunnelOptions(r -> r.vpnConnectionId("vpn-0000000000000000a")
                .vpnTunnelOutsideIpAddress("198.51.100.7").tunnelOptions(o -> o.startupAction("start"))));
        assertEquals("InvalidVpnConnectionID.NotFound", unknown.awsErrorDetails().errorCode());
        Ec2Exception wrongTunnel = assertThrows(Ec2Exception.class, () -> ec2(sandbox).modifyVpnTunnelOptions(r -> r.vpnConnectionId(VPN)
                .vpnTunnelOutsideIpAddress("203.0.113.1").tunnelOptions(o -> o.startupAction("start"))));
        assertEquals("InvalidParameterValue", wrongTunnel.awsErrorDetails().errorCode());
    }

    @Test
    void filterLogEventsReadsOneTunnelsLogGroupOldestFirst() {
        Sandbox sandbox = sandboxes.start(world());
        CloudWatchLogsClient logs = sandbox.clients(Duration.ofSeconds(2)).logs();
        List<FilteredLogEvent> events = logs.filterLogEvents(r -> r.logGroupName("/aws/vpn/city-datacenter")).events();
        assertEquals(List.of("first", "DPD timeout", "last"), events.stream().map(FilteredLogEvent::message).toList());
        assertEquals("vpn-4f1c0a9e-198.51.100.7", events.get(0).logStreamName());
        assertTrue(events.get(0).timestamp() < events.get(2).timestamp());
        List<FilteredLogEvent> byArnLimited = logs.filterLogEvents(r -> r.logGroupIdentifier(
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpn/city-datacenter").limit(2)).events();
        assertEquals(List.of("first", "DPD timeout"), byArnLimited.stream().map(FilteredLogEvent::message).toList());
        long lastTimestamp = events.get(2).timestamp();
        assertEquals(List.of("last"), logs.filterLogEvents(r -> r.logGroupName("/aws/vpn/city-datacenter").startTime(lastTimestamp - 500))
                .events().stream().map(FilteredLogEvent::message).toList());
        assertThrows(ResourceNotFoundException.class, () -> logs.filterLogEvents(r -> r.logGroupName("/aws/vpn/missing")));
    }
}

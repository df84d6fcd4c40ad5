package tidewatch.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tidewatch.template.TemplateFixture.TPL;
import static tidewatch.template.TemplateFixture.at;
import static tidewatch.template.TemplateFixture.evaluate;
import static tidewatch.template.TemplateFixture.map;
import static tidewatch.template.TemplateFixture.parameterPattern;
import static tidewatch.template.TemplateFixture.pick;
import static tidewatch.template.TemplateFixture.statement;
import static tidewatch.template.TemplateFixture.statements;
import static tidewatch.template.TemplateFixture.strings;
import static tidewatch.template.TemplateFixture.with;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tidewatch.config.Settings;

/**
 * The VPN alarm function's options repair and tunnel logs in the template (issue 13): opt-in, and then only on the
 * watched connections and the one log group named.
 */
class TunnelOptionsRepairTemplateTest {
    private static final String VPN = "VpnAlarmFunction";
    private static final String VPN1 = "arn:aws:ec2:us-east-1:123456789012:vpn-connection/vpn-0a1b2c3d4e5f67890";
    private static final String VPN2 = "arn:aws:ec2:us-east-1:123456789012:vpn-connection/vpn-0fedcba9876543210";
    private static final String LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpn/city-datacenter";

    @Test
    void repairIsOffByDefaultAndThenHasNoPermission() {
        Map<String, String> defaults = with();
        assertEquals("false", map(TPL.parameters().get("EnableTunnelOptionsRepair"), "EnableTunnelOptionsRepair").get("Default"));
        assertFalse(new Settings(TPL.functionEnvironment(VPN, defaults)).flag("ENABLE_TUNNEL_OPTIONS_REPAIR", true));
        for (String action : List.of("ec2:ModifyVpnTunnelOptions", "ec2:DescribeCustomerGateways")) {
            assertNull(statement(VPN, action, defaults), action + " without repair or replacement");
        }
        // Without repair or replacement, CreateTags writes the keepalive's alarm only, never a cooldown tag.
        assertEquals(List.of("tidewatch:keepalive-unreachable-since"),
                pick(at(statement(VPN, "ec2:CreateTags", defaults), "Condition", "ForAllValues:StringLike", "aws:TagKeys"), defaults));
        assertNull(statement(VPN, "ec2:ModifyVpnTunnelOptions", with("EnableTunnelReplacement", "true")),
                "replacement alone does not modify options");
    }

    @Test
    void repairModifiesAndTagsTheWatchedConnectionsOnly() {
        Map<String, String> one = with("EnableTunnelOptionsRepair", "true");
        assertEquals("true", TPL.functionEnvironment(VPN, one).get("ENABLE_TUNNEL_OPTIONS_REPAIR"));
        assertEquals(VPN1, evaluate(statement(VPN, "ec2:ModifyVpnTunnelOptions", one).get("Resource"), one));
        assertEquals(VPN1, evaluate(statement(VPN, "ec2:CreateTags", one).get("Resource"), one),
                "the repair's cooldown tag needs CreateTags without replacement");
        assertNull(statement(VPN, "ec2:ReplaceVpnTunnel", one), "repair alone replaces nothing");

        Map<String, String> two = with("EnableTunnelOptionsRepair", "true", "VpnConnectionId2", "vpn-0fedcba9876543210");
        assertEquals(VPN1 + "," + VPN2, evaluate(statement(VPN, "ec2:ModifyVpnTunnelOptions", two).get("Resource"), two));
        Map<String, Object> tags = statement(VPN, "ec2:CreateTags", two);
        assertEquals(VPN1 + "," + VPN2, evaluate(tags.get("Resource"), two));
        assertEquals(List.of("tidewatch:*"), at(tags, "Condition", "ForAllValues:StringLike", "aws:TagKeys"));
    }

    @Test
    void tagsAreGrantedOnceForReplacementRepairOrBoth() {
        for (Map<String, String> parameters : List.of(with("EnableTunnelReplacement", "true"),
                with("EnableTunnelOptionsRepair", "true"),
                with("EnableTunnelReplacement", "true", "EnableTunnelOptionsRepair", "true"))) {
            Map<String, Object> tags = statement(VPN, "ec2:CreateTags", parameters);
            assertNotNull(tags, parameters.toString());
            assertEquals(VPN1, evaluate(tags.get("Resource"), parameters), parameters.toString());
        }
        Map<String, String> both = with("EnableTunnelReplacement", "true", "EnableTunnelOptionsRepair", "true");
        assertEquals(VPN1, evaluate(statement(VPN, "ec2:ReplaceVpnTunnel", both).get("Resource"), both));
        assertEquals(VPN1, evaluate(statement(VPN, "ec2:ModifyVpnTunnelOptions", both).get("Resource"), both));
    }

    @Test
    void customerGatewaysAreReadOnlyForTheRepair() {
        Map<String, Object> read = statement(VPN, "ec2:DescribeCustomerGateways", with("EnableTunnelOptionsRepair", "true"));
        assertEquals(List.of("ec2:DescribeCustomerGateways"), strings(read.get("Action")), "alone on its \"*\"");
        assertEquals("*", read.get("Resource"), "EC2 Describe actions take no resource");
        assertNull(statement(VPN, "ec2:DescribeCustomerGateways", with("EnableTunnelReplacement", "true")));
    }

    @Test
    void theRepairCooldownParsesAsTheFunctionParsesDurations() {
        Settings defaults = new Settings(TPL.functionEnvironment(VPN, with()));
        assertEquals(Duration.ofHours(1), defaults.duration("TUNNEL_OPTIONS_REPAIR_COOLDOWN", null));
        Settings changed = new Settings(TPL.functionEnvironment(VPN, with("TunnelOptionsRepairCooldown", "90m")));
        assertEquals(Duration.ofMinutes(90), changed.duration("TUNNEL_OPTIONS_REPAIR_COOLDOWN", null));
        Pattern cooldown = Pattern.compile(parameterPattern("TunnelOptionsRepairCooldown"));
        for (String refused : List.of("", "0", "0h", "PT1H", "1d", "-1h", "1 h")) {
            assertFalse(cooldown.matcher(refused).matches(), refused + " is no duration the function reads");
        }
        String description = (String) map(TPL.parameters().get("TunnelOptionsRepairCooldown"), "TunnelOptionsRepairCooldown")
                .get("Description");
        assertTrue(description.contains("same tunnel"), description);
    }

    @Test
    void tunnelLogsAreReadFromTheNamedLogGroupOnlyAndNotAtAllWithoutOne() {
        Map<String, String> none = with();
        assertEquals("", TPL.functionEnvironment(VPN, none).get("TUNNEL_LOG_GROUP"));
        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents"), logActions(none),
                "without a tunnel log group the function reads no log");

        Map<String, String> named = with("TunnelLogGroupName", "/aws/vpn/city-datacenter");
        assertEquals("/aws/vpn/city-datacenter", TPL.functionEnvironment(VPN, named).get("TUNNEL_LOG_GROUP"));
        Map<String, Object> read = statement(VPN, "logs:FilterLogEvents", named);
        assertEquals(List.of("logs:FilterLogEvents"), strings(read.get("Action")));
        assertEquals(LOG_GROUP + "," + LOG_GROUP + ":*", evaluate(read.get("Resource"), named));
        assertEquals(List.of("logs:CreateLogStream", "logs:FilterLogEvents", "logs:PutLogEvents"), logActions(named));

        Pattern group = Pattern.compile(parameterPattern("TunnelLogGroupName"));
        assertTrue(group.matcher("/aws/vpn/city-datacenter").matches());
        for (String refused : List.of("*", "/aws/vpn/*", "/aws/vpn/x:*", LOG_GROUP, "a b")) {
            assertFalse(group.matcher(refused).matches(), refused + ": one log group name, no pattern or ARN");
        }
    }

    /** Every logs: action the VPN alarm role allows, sorted. */
    private static List<String> logActions(Map<String, String> parameters) {
        return statements(VPN, parameters).stream().flatMap(s -> strings(s.get("Action")).stream())
                .filter(action -> action.startsWith("logs:")).sorted().toList();
    }
}

package tidewatch.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Console links go to the console of the partition the resource's ARN names, with the region read from that ARN. */
class ConsoleLinksTest {
    private record Case(String taskArn, String alarmArn, String consoleHome) {}

    private static final List<Case> PARTITIONS = List.of(
            new Case("arn:aws:ecs:eu-west-1:123456789012:task/web/0123456789abcdef",
                    "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:VPN down", "https://eu-west-1.console.aws.amazon.com/"),
            new Case("arn:aws-cn:ecs:cn-north-1:123456789012:task/web/0123456789abcdef",
                    "arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:VPN down", "https://console.amazonaws.cn/"),
            new Case("arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task/web/0123456789abcdef",
                    "arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:VPN down", "https://console.amazonaws-us-gov.com/"));

    @Test
    void eachPartitionLinksToItsOwnConsole() {
        for (Case c : PARTITIONS) {
            String region = RegionNames.fromArn(c.taskArn());
            assertEquals(region, RegionNames.fromArn(c.alarmArn()));
            String home = c.consoleHome();
            assertEquals(home + "ecs/v2/clusters/web/tasks/0123456789abcdef/configuration?region=" + region,
                    ConsoleLinks.ecsTask(region, "web", "0123456789abcdef"), c.taskArn());
            assertEquals(home + "cloudwatch/home?region=" + region + "#logsV2:log-groups/log-group/$252Fecs$252Fweb/log-events/"
                    + "ecs$252Fapp$252F0123456789abcdef", ConsoleLinks.logStream(region, "/ecs/web", "ecs/app/0123456789abcdef"));
            assertEquals(home + "cloudwatch/home?region=" + region + "#alarmsV2:alarm/VPN%20down",
                    ConsoleLinks.alarm(RegionNames.fromArn(c.alarmArn()), "VPN down"), c.alarmArn());
            assertEquals(home + "vpcconsole/home?region=" + region + "#VpnConnectionDetails:VpnConnectionId=vpn-0a1b2c3d4e5f67890",
                    ConsoleLinks.vpnConnection(region, "vpn-0a1b2c3d4e5f67890"));
        }
    }

    @Test
    void partitionsOfRegionCodes() {
        assertEquals(Partition.AWS, Partition.ofRegion("us-east-1"));
        assertEquals(Partition.AWS, Partition.ofRegion("us-west-2"), "not GovCloud: only us-gov- regions are");
        assertEquals(Partition.CHINA, Partition.ofRegion("cn-northwest-1"));
        assertEquals(Partition.GOV_CLOUD, Partition.ofRegion("us-gov-east-1"));
    }

    @Test
    void regionNamesOfEveryPartitionAsAlarmNotificationsWriteThem() {
        assertEquals("cn-north-1", RegionNames.code("China (Beijing)").orElseThrow());
        assertEquals("cn-northwest-1", RegionNames.code("China (Ningxia)").orElseThrow());
        assertEquals("us-gov-west-1", RegionNames.code("AWS GovCloud (US-West)").orElseThrow());
        assertEquals("https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/a",
                ConsoleLinks.alarm(RegionNames.code("AWS GovCloud (US-West)").orElseThrow(), "a"));
    }
}

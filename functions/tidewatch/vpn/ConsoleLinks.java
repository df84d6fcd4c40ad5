package tidewatch.vpn;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Deep links into the AWS console for the alarm and the VPN connection. */
public final class ConsoleLinks {
    private ConsoleLinks() {}

    public static String alarm(String region, String alarmName) {
        return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                + "#alarmsV2:alarm/" + encode(alarmName);
    }

    public static String vpnConnection(String region, String vpnId) {
        return "https://" + region + ".console.aws.amazon.com/vpcconsole/home?region=" + region
                + "#VpnConnectionDetails:VpnConnectionId=" + encode(vpnId);
    }

    // URLEncoder writes form encoding; a space must be %20 in a URL fragment, not '+'.
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package tidewatch.vpn;

import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;
import tidewatch.text.Text;

/** A Site-to-Site VPN log line as people read it: the JSON format's time, IKE states and detail, or the text. */
final class TunnelLogLine {
    private static final int MAX = 300;

    private TunnelLogLine() {}

    static String readable(String message) {
        String text = message == null ? "" : message.trim();
        if (text.startsWith("{")) {
            try {
                JsonObject line = Json.parseObject(text, "tunnel log line");
                if (line.string("VpnLogDetail") != null) {
                    return Text.truncate(Text.oneLine(orBlank(line.string("VpnLogCreationTimestamp")) + " IKE phase 1 "
                            + orBlank(line.string("TunnelIKEPhase1State")) + ", phase 2 "
                            + orBlank(line.string("TunnelIKEPhase2State")) + ": " + line.string("VpnLogDetail")), MAX);
                }
            } catch (InvalidInputException | IllegalArgumentException e) {
                // not the JSON format after all: shown as text
            }
        }
        return Text.truncate(Text.oneLine(text), MAX);
    }

    private static String orBlank(String value) {
        return value == null ? "?" : value;
    }
}

package tidewatch.vpn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.config.Settings;
import tidewatch.notify.Message;

/** Shared test data: the sample events in events/, tunnels, configs. */
final class VpnFixtures {
    static final String VPN = "vpn-0a1b2c3d4e5f67890";
    static final String TUNNEL_A = "203.0.113.10";
    static final String TUNNEL_B = "203.0.113.20";
    static final String ALARM_NAME = "tidewatch-vpn-tunnel-down";
    static final Instant ALARM_TIME = Instant.parse("2024-05-01T10:17:42.512Z");
    /** When the function runs, a little after the alarm. */
    static final Instant NOW = Instant.parse("2024-05-01T10:18:00Z");
    /** When the function runs against the sample worlds (events/worlds/vpn-*): 45 min after their tunnel went down. */
    static final Instant SAMPLE_WORLDS_NOW = Instant.parse("2026-11-24T09:40:00Z");

    private VpnFixtures() {}

    static String event(String file) {
        try {
            return Files.readString(Path.of("events", file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AlarmEvent alarm(String file) {
        List<ParsedEvent> parsed = AlarmParser.parse(event(file));
        if (parsed.size() != 1 || !(parsed.get(0) instanceof ParsedEvent.Alarm alarm)) {
            throw new AssertionError(file + " did not parse to one alarm: " + parsed);
        }
        return alarm.event();
    }

    /** A message's field by name; fails the test when it is missing. */
    static String field(Message message, String name) {
        return message.fields().stream().filter(f -> f.name().equals(name)).map(Message.Field::value).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " in " + message.fields()));
    }

    /** Settings as environment variables, given as name, value pairs. */
    static VpnAlarmSettings config(String... nameValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            env.put(nameValues[i], nameValues[i + 1]);
        }
        return VpnAlarmSettings.from(new Settings(env));
    }

    /** The deployment's usual settings: the VPN listed, burst on with a function name, replacement off. */
    static VpnAlarmSettings usualConfig(String... extra) {
        String[] base = {"VPN_CONNECTION_IDS", VPN, "KEEPALIVE_FUNCTION_NAME", "tidewatch-keepalive"};
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return config(all);
    }

    static TunnelTelemetry up(String ip, Duration since) {
        return new TunnelTelemetry(ip, TunnelTelemetry.Status.UP, "2 BGP ROUTES", NOW.minus(since), 2);
    }

    static TunnelTelemetry down(String ip, Duration since) {
        return new TunnelTelemetry(ip, TunnelTelemetry.Status.DOWN, "IPSEC IS DOWN", NOW.minus(since), 0);
    }

    static Map<String, VpnTelemetry> telemetry(TunnelTelemetry... tunnels) {
        return telemetryWithTags(Map.of(), tunnels);
    }

    static Map<String, VpnTelemetry> telemetryWithTags(Map<String, String> tags, TunnelTelemetry... tunnels) {
        Map<String, VpnTelemetry> read = new LinkedHashMap<>();
        read.put(VPN, new VpnTelemetry.Available(new VpnConnectionStatus(VPN, "available", List.of(tunnels), tags)));
        return read;
    }

    static AlarmEvent alarmEvent(String namespace, String metric, Map<String, String> dimensions,
                                 AlarmState oldState, AlarmState newState) {
        return new AlarmEvent("some-alarm", "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:some-alarm", "eu-west-1",
                "123456789012", newState, oldState, "Threshold Crossed", ALARM_TIME,
                ALARM_TIME.minus(Duration.ofMinutes(20)), namespace, metric, dimensions, null, null);
    }

    static AlarmEvent tunnelAlarm(AlarmState oldState, AlarmState newState) {
        return alarmEvent("AWS/VPN", "TunnelState", Map.of("VpnId", VPN), oldState, newState);
    }
}

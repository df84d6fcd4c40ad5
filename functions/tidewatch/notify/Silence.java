package tidewatch.notify;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tidewatch.log.EmbeddedMetrics;
import tidewatch.log.Log;

/**
 * A silence kept on the resource itself, no database: the tag {@value #TAG} = an ISO-8601 instant on an ECS service
 * (or its cluster, for all its services) or a VPN connection. Until then Tidewatch's messages about it are not sent,
 * only logged and counted ({@link #record}); automatic actions follow their own settings. A value that is not an
 * instant is no silence, and the message says so ({@link #note}); a tag that could not be read is no silence either.
 *
 * @param resource what carries the tag, in people's words ("service web in prod", "VPN vpn-0abc")
 */
public record Silence(State state, Instant until, String resource, String value) {
    public static final String TAG = "tidewatch:silence-until";
    public static final String METRIC = "SilencedNotifications";
    public static final Silence NONE = new Silence(State.NONE, null, null, null);

    public enum State { NONE, ACTIVE, EXPIRED, UNREADABLE }

    public Silence {
        Objects.requireNonNull(state, "state");
    }

    /** The silence the resource's tags hold at {@code now}. */
    public static Silence of(String resource, Map<String, String> tags, Instant now) {
        String value = tags == null ? null : tags.get(TAG);
        if (value == null) {
            return NONE;
        }
        try {
            Instant until = Instant.parse(value.trim());
            return new Silence(until.isAfter(now) ? State.ACTIVE : State.EXPIRED, until, resource, value);
        } catch (DateTimeParseException e) {
            return new Silence(State.UNREADABLE, null, resource, value);
        }
    }

    /** What decides among several (a service's, then its cluster's): an active one, else an unreadable one, else none. */
    public static Silence first(List<Silence> silences) {
        return silences.stream().filter(Silence::active).findFirst()
                .orElse(silences.stream().filter(s -> s.state == State.UNREADABLE).findFirst().orElse(NONE));
    }

    /**
     * What decides for a message about all of several resources (a keepalive alarm about every listed VPN): silenced
     * only when each of them is, until the soonest end; else an unreadable one, else none.
     */
    public static Silence all(List<Silence> silences) {
        if (!silences.isEmpty() && silences.stream().allMatch(Silence::active)) {
            return silences.stream().min((a, b) -> a.until.compareTo(b.until)).orElseThrow();
        }
        return silences.stream().filter(s -> s.state == State.UNREADABLE).findFirst().orElse(NONE);
    }

    public boolean active() {
        return state == State.ACTIVE;
    }

    /** What a message says of an unreadable silence; null otherwise. */
    public String note() {
        return state == State.UNREADABLE ? "the tag " + TAG + " on " + resource + " holds '" + value
                + "', not an ISO-8601 instant such as 2026-12-05T06:00:00Z: not silenced" : null;
    }

    /** The message with what it must say of the silence: itself, or with the unreadable tag noted. */
    public Message noted(Message message) {
        return note() == null ? message : message.withField(new Message.Field("Silence", note()));
    }

    /**
     * A silenced message: one log line with its key and the silence's end, and the EMF metric {@value #METRIC}
     * (namespace Tidewatch, dimension Source: "ecs", "vpn-alarm").
     */
    public void record(String key, String source) {
        Log.info("notification silenced", "key", key, "until", until.toString(), "by", TAG + " on " + resource);
        EmbeddedMetrics.emit(EmbeddedMetrics.NAMESPACE, Map.of("Source", source),
                List.of(new EmbeddedMetrics.Metric(METRIC, 1, EmbeddedMetrics.Unit.COUNT)), System.currentTimeMillis());
    }
}

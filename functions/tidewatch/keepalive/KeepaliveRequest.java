package tidewatch.keepalive;

import java.math.BigInteger;
import java.util.Map;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/**
 * What an invocation asks for: how many rounds of probes. Three inputs are accepted, and anything else is rejected
 * because there is nothing sensible to act on:
 * <ul>
 *   <li>the EventBridge scheduled event ({@code "source": "aws.events", "detail-type": "Scheduled Event"}): one round;
 *   <li>{@code {}}: one round;
 *   <li>{@code {"burst": N}} from the alarm function: N rounds a second apart, N clamped to 1..10.
 * </ul>
 *
 * @param rounds    how many rounds to run, 1 to {@link #MAX_ROUNDS}
 * @param requested the burst as asked, before clamping; equal to rounds when nothing was clamped
 * @param source    "schedule", "burst" or "empty", for the log
 */
record KeepaliveRequest(int rounds, long requested, String source) {
    public static final int MAX_ROUNDS = 10;

    public static KeepaliveRequest parse(String text) {
        JsonObject event = Json.parseObject(text, "event");
        Map<String, Object> members = event.asMap();
        if (members.isEmpty()) {
            return new KeepaliveRequest(1, 1, "empty");
        }
        if ("aws.events".equals(event.string("source")) && "Scheduled Event".equals(event.string("detail-type"))) {
            return new KeepaliveRequest(1, 1, "schedule");
        }
        if (members.containsKey("burst") && members.size() == 1) {
            long requested = wholeNumber(members.get("burst"));
            return new KeepaliveRequest((int) Math.max(1, Math.min(MAX_ROUNDS, requested)), requested, "burst");
        }
        throw new InvalidInputException("event: expected an EventBridge Scheduled Event, {} or {\"burst\": N}, got an object with "
                + (members.size() > 8 ? members.size() + " members" : "members " + members.keySet()));
    }

    public boolean clamped() {
        return rounds != requested;
    }

    private static long wholeNumber(Object value) {
        // Integral JSON numbers only: 2.5, "3" and null are mistakes in the caller, not requests to round.
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        throw new InvalidInputException("event.burst: expected a whole number of rounds (1 to " + MAX_ROUNDS + "), got "
                + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof Number number) {
            return number.toString();
        }
        return value == null ? "null"
                : value instanceof String ? "a string"
                : value instanceof Boolean ? "a boolean"
                : value instanceof Map ? "an object"
                : "an array";
    }
}

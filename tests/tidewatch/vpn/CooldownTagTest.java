package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tidewatch.vpn.VpnFixtures.NOW;
import static tidewatch.vpn.VpnFixtures.VPN;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cooldown tag, one row per value: whether it holds (and how that reads), or is ignored because it is dated
 * further ahead than the cooldown itself (and how the response says so). Cooldown 6 h; now is 2024-05-01T10:18:00Z.
 */
class CooldownTagTest {
    private static final String KEY = "tidewatch:replaced:203.0.113.10";
    private static final Duration COOLDOWN = Duration.ofHours(6);

    /** {@code holds}: the reason it holds, or null; {@code ignored}: what the response adds, or null. */
    record Row(String name, String value, String holds, String ignored) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("no tag", null, null, null),
                new Row("2 h ago: holds", "2024-05-01T08:18:00Z",
                        "replaced 2 h ago (at 2024-05-01T08:18:00Z), cooldown 6 h", null),
                new Row("7 h ago: over", "2024-05-01T03:18:00Z", null, null),
                new Row("exactly the cooldown ago: over", "2024-05-01T04:18:00Z", null, null),
                new Row("30 s ahead, inside the clocks' tolerance: holds, just now", "2024-05-01T10:18:30Z",
                        "replaced just now (at 2024-05-01T10:18:30Z), cooldown 6 h", null),
                new Row("1 h ahead, within the cooldown: holds, and says the clocks disagree", "2024-05-01T11:18:00Z",
                        "replaced at 2024-05-01T11:18:00Z (in the future: clocks disagree), cooldown 6 h", null),
                new Row("exactly the cooldown ahead: still holds", "2024-05-01T16:18:00Z",
                        "replaced at 2024-05-01T16:18:00Z (in the future: clocks disagree), cooldown 6 h", null),
                new Row("further ahead than the cooldown: ignored", "2024-05-01T16:18:01Z", null,
                        "cooldown tag 2024-05-01T16:18:01Z ignored: further ahead than the cooldown (6 h) itself, clocks disagree"),
                new Row("2099: ignored", "2099-01-01T00:00:00Z", null,
                        "cooldown tag 2099-01-01T00:00:00Z ignored: further ahead than the cooldown (6 h) itself, clocks disagree"),
                new Row("the far end of Instant: ignored", "+1000000000-01-01T00:00:00Z", null,
                        "cooldown tag +1000000000-01-01T00:00:00Z ignored: further ahead than the cooldown (6 h) itself, clocks disagree"),
                new Row("not an instant: holds, the safe reading", "soon",
                        "cooldown tag " + KEY + " holds 'soon', not an ISO-8601 instant", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void reads(Row row) {
        VpnConnectionStatus status = new VpnConnectionStatus(VPN, "available", List.of(),
                row.value() == null ? Map.of() : Map.of(KEY, row.value()));

        assertEquals(row.holds(), CooldownTag.holds(status, KEY, COOLDOWN, "replaced", NOW));
        assertEquals(row.ignored(), CooldownTag.ignored(status, KEY, COOLDOWN, NOW));
    }
}

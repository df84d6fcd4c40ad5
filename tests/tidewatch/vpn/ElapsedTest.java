package tidewatch.vpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tidewatch.vpn.VpnFixtures.NOW;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How times read in a message, one row per case, relative to {@link VpnFixtures#NOW} (2024-05-01T10:18:00Z). */
class ElapsedTest {
    record Row(String name, Instant instant, String since, boolean ahead) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("47 minutes ago", NOW.minus(Duration.ofMinutes(47)), "2024-05-01T09:31:00Z (47 min ago)", false),
                new Row("hours and minutes", NOW.minus(Duration.ofMinutes(125)), "2024-05-01T08:13:00Z (2 h 5 min ago)", false),
                new Row("days and hours", NOW.minus(Duration.ofHours(50)), "2024-04-29T08:18:00Z (2 d 2 h ago)", false),
                new Row("this very moment", NOW, "2024-05-01T10:18:00Z (0 s ago)", false),
                new Row("seconds ahead, inside the tolerance: just now", NOW.plusSeconds(30),
                        "2024-05-01T10:18:30Z (just now)", false),
                new Row("exactly the tolerance ahead: just now", NOW.plus(Elapsed.CLOCK_TOLERANCE),
                        "2024-05-01T10:19:00Z (just now)", false),
                new Row("past the tolerance: clocks disagree, never 0 s", NOW.plus(Duration.ofMinutes(1)).plusSeconds(1),
                        "2024-05-01T10:19:01Z (in the future: clocks disagree)", true),
                new Row("hours ahead", NOW.plus(Duration.ofHours(2)), "2024-05-01T12:18:00Z (in the future: clocks disagree)", true),
                new Row("the year 2099", Instant.parse("2099-01-01T00:00:00Z"),
                        "2099-01-01T00:00:00Z (in the future: clocks disagree)", true),
                new Row("fractions of a second are not shown", NOW.minusMillis(90_500), "2024-05-01T10:16:29Z (1 min ago)", false),
                new Row("unknown", null, "unknown", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void tells(Row row) {
        assertEquals(row.since(), Elapsed.since(row.instant(), NOW));
        assertEquals(row.ahead(), Elapsed.ahead(row.instant(), NOW));
    }
}

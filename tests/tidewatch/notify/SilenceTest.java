package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SilenceTest {
    private static final Instant NOW = Instant.parse("2026-12-04T22:00:00Z");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "unset", value = {
            "unset                  | NONE",
            "2026-12-05T06:00:00Z   | ACTIVE",
            " 2026-12-05T06:00:00Z  | ACTIVE",
            "2026-12-04T22:00:00Z   | EXPIRED",
            "2026-12-04T21:00:00Z   | EXPIRED",
            "2026-12-05             | UNREADABLE",
            "tomorrow               | UNREADABLE",
            "2026-12-05T06:00:00+01:00 | ACTIVE",
    })
    void aTagSilencesUntilItsInstant(String value, Silence.State state) {
        Map<String, String> tags = value == null ? Map.of("Name", "web") : Map.of(Silence.TAG, value);
        assertEquals(state, Silence.of("service web in prod", tags, NOW).state());
    }

    @Test
    void aServicesSilenceThenItsClustersAndForManyResourcesOnlyWhenAllAre() {
        Silence active = Silence.of("service web in prod", Map.of(Silence.TAG, "2026-12-05T06:00:00Z"), NOW);
        Silence later = Silence.of("VPN vpn-2", Map.of(Silence.TAG, "2026-12-06T06:00:00Z"), NOW);
        Silence unreadable = Silence.of("cluster prod", Map.of(Silence.TAG, "soon"), NOW);
        assertEquals(active, Silence.first(List.of(Silence.NONE, active)));
        assertEquals(unreadable, Silence.first(List.of(Silence.NONE, unreadable)));
        assertEquals(active, Silence.first(List.of(unreadable, active)), "an active silence wins over an unreadable one");
        assertEquals(active, Silence.all(List.of(later, active)), "all silenced: until the soonest end");
        assertEquals(Silence.NONE, Silence.all(List.of(active, Silence.NONE)), "one VPN not silenced: told");
        assertEquals(Silence.NONE, Silence.all(List.of()));
        assertEquals("the tag tidewatch:silence-until on cluster prod holds 'soon', not an ISO-8601 instant such as "
                + "2026-12-05T06:00:00Z: not silenced", unreadable.note());
        assertNull(active.note());
    }
}

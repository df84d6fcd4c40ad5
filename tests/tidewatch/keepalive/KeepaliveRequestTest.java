package tidewatch.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tidewatch.json.InvalidInputException;

class KeepaliveRequestTest {

    @Test
    void theSampleScheduledEventRunsOneRound() throws IOException {
        KeepaliveRequest request = KeepaliveRequest.parse(Files.readString(Path.of("events/keepalive-scheduled.json")));

        assertEquals(new KeepaliveRequest(1, 1, "schedule"), request);
    }

    @Test
    void theSampleBurstRunsThreeRounds() throws IOException {
        KeepaliveRequest request = KeepaliveRequest.parse(Files.readString(Path.of("events/keepalive-burst.json")));

        assertEquals(new KeepaliveRequest(3, 3, "burst"), request);
        assertFalse(request.clamped());
    }

    @Test
    void anEmptyObjectRunsOneRound() {
        assertEquals(new KeepaliveRequest(1, 1, "empty"), KeepaliveRequest.parse(" { } "));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "10, 10", "0, 1", "-5, 1", "11, 10", "2147483648, 10", "99999999999999999999999, 10",
                "-99999999999999999999999, 1"})
    void theBurstIsClampedToOneToTen(String burst, int rounds) {
        KeepaliveRequest request = KeepaliveRequest.parse("{\"burst\": " + burst + "}");

        assertEquals(rounds, request.rounds());
        assertEquals(!burst.equals(String.valueOf(rounds)), request.clamped());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5", "3.0", "\"3\"", "true", "null", "[3]", "{\"rounds\": 3}"})
    void aBurstThatIsNotAWholeNumberIsRejected(String burst) {
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> KeepaliveRequest.parse("{\"burst\": " + burst + "}"));

        assertTrue(error.getMessage().contains("event.burst"), error.getMessage());
        assertTrue(error.getMessage().contains("whole number"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"key1\": \"value1\", \"key2\": \"value2\"}",
        "{\"burst\": 2, \"force\": true}",
        "{\"source\": \"aws.events\", \"detail-type\": \"EC2 Instance State-change Notification\", \"detail\": {}}",
        "{\"source\": \"custom.app\", \"detail-type\": \"Scheduled Event\"}"
    })
    void anUnknownShapeIsRejected(String event) {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> KeepaliveRequest.parse(event));

        assertTrue(error.getMessage().contains("expected an EventBridge Scheduled Event, {} or {\"burst\": N}"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "   ", "[]", "null", "42", "\"burst\"", "{\"burst\": 3"})
    void malformedOrNonObjectJsonIsRejected(String text) {
        assertThrows(InvalidInputException.class, () -> KeepaliveRequest.parse(text));
    }
}

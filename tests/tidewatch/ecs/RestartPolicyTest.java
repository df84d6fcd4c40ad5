package tidewatch.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RestartPolicyTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "null, no",
            "'', no",
            "no, no",
            "NO, no",
            "' always ', always",
            "on-failure, on-failure",
            "on-failure:0, on-failure:0",
            "on-failure:5, on-failure:5",
            "On-Failure:12, on-failure:12"})
    void parsesTheDockerGrammar(String tag, String expected) {
        assertEquals(expected, RestartPolicy.parse(tag).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "on-failure:", "on-failure:-1", "on-failure:abc", "on-failure:99999", "unless-stopped", "always:3", "<!channel>"})
    void rejectsAnythingElseSayingWhatIsAllowed(String tag) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RestartPolicy.parse(tag));
        assertEquals("tag tidewatch:restart must be no, on-failure, on-failure:N (N from 0 to 9999) or always",
                error.getMessage(), "a fixed message: the tag value is not echoed");
    }

    @Test
    void onFailureRestartsOnlyAbnormalStops() {
        RestartPolicy policy = RestartPolicy.parse("on-failure");
        assertTrue(policy.wantsRestart(StopCause.CRASH));
        assertTrue(policy.wantsRestart(StopCause.OUT_OF_MEMORY));
        assertTrue(policy.wantsRestart(StopCause.INFRASTRUCTURE));
        assertFalse(policy.wantsRestart(StopCause.COMPLETED));
        assertFalse(policy.wantsRestart(StopCause.USER_STOP));
    }

    @Test
    void alwaysRestartsEverythingButAUserStop() {
        RestartPolicy policy = RestartPolicy.parse("always");
        assertTrue(policy.wantsRestart(StopCause.COMPLETED));
        assertTrue(policy.wantsRestart(StopCause.CRASH));
        assertFalse(policy.wantsRestart(StopCause.USER_STOP));
        assertFalse(policy.exhausted(1_000_000));
    }

    @Test
    void noNeverRestarts() {
        for (StopCause cause : StopCause.values()) {
            assertFalse(RestartPolicy.NO.wantsRestart(cause));
        }
    }

    @Test
    void countsBoundRestarts() {
        RestartPolicy policy = RestartPolicy.parse("on-failure:3");
        assertFalse(policy.exhausted(2));
        assertTrue(policy.exhausted(3));
        assertTrue(RestartPolicy.parse("on-failure:0").exhausted(0));
        assertEquals(0, RestartPolicy.parseCount(null));
        assertEquals(0, RestartPolicy.parseCount("-4"));
        assertEquals(0, RestartPolicy.parseCount("two"));
        assertEquals(7, RestartPolicy.parseCount(" 7 "));
    }
}

package tidewatch.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tidewatch.config.ConfigurationException;
import tidewatch.config.Settings;

class KeepaliveSettingsTest {

    @Test
    void readsTargetsInOrderWithDefaults() {
        KeepaliveSettings config = KeepaliveSettings.from(settings(
                "KEEPALIVE_TARGETS", "db.dc.internal:5432, https://intranet.dc.internal/health ,,10.20.0.5:22"));

        assertEquals(List.of("db.dc.internal:5432", "https://intranet.dc.internal/health", "10.20.0.5:22"),
                config.targets().stream().map(KeepaliveTarget::written).toList());
        assertTrue(config.targets().get(1) instanceof KeepaliveTarget.Http);
        assertEquals(Duration.ofSeconds(3), config.timeout());
        assertEquals("Tidewatch", config.namespace());
    }

    @Test
    void readsTimeoutAndNamespace() {
        KeepaliveSettings config = KeepaliveSettings.from(settings(
                "KEEPALIVE_TARGETS", "db:5432", "KEEPALIVE_TIMEOUT", "5s", "METRICS_NAMESPACE", "Tidewatch/Staging"));

        assertEquals(Duration.ofSeconds(5), config.timeout());
        assertEquals("Tidewatch/Staging", config.namespace());
    }

    @ParameterizedTest
    @ValueSource(strings = {"db", "db:5432,db", "db:5432, ftp://files.dc.internal", "intranet:70000", "https://"})
    void anUnusableItemFailsInitNamingTheSettingAndTheItem(String value) {
        String bad = value.contains(",") ? value.substring(value.lastIndexOf(',') + 1).trim() : value;

        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> KeepaliveSettings.from(settings("KEEPALIVE_TARGETS", value)));

        assertTrue(error.getMessage().contains("KEEPALIVE_TARGETS"), error.getMessage());
        assertTrue(error.getMessage().contains("'" + bad + "'"), error.getMessage());
    }

    @Test
    void anEmptyListFailsInitNamingTheSettingAndTheValue() {
        ConfigurationException commas = assertThrows(ConfigurationException.class,
                () -> KeepaliveSettings.from(settings("KEEPALIVE_TARGETS", " , ,")));
        ConfigurationException unset = assertThrows(ConfigurationException.class,
                () -> KeepaliveSettings.from(settings()));
        ConfigurationException blank = assertThrows(ConfigurationException.class,
                () -> KeepaliveSettings.from(settings("KEEPALIVE_TARGETS", "  ")));

        // Settings trims the value before it is quoted.
        assertTrue(commas.getMessage().contains("KEEPALIVE_TARGETS=', ,'"), commas.getMessage());
        assertTrue(unset.getMessage().contains("KEEPALIVE_TARGETS is not set"), unset.getMessage());
        assertTrue(blank.getMessage().contains("KEEPALIVE_TARGETS is not set"), blank.getMessage());
    }

    @Test
    void tooManyTargetsFailInit() {
        String many = String.join(",", Collections.nCopies(KeepaliveSettings.MAX_TARGETS + 1, "db:5432"));

        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> KeepaliveSettings.from(settings("KEEPALIVE_TARGETS", many)));

        assertTrue(error.getMessage().contains("KEEPALIVE_TARGETS"), error.getMessage());
        assertTrue(error.getMessage().contains("33 targets"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "2m", "90s", "soon", "0s"})
    void anUnusableTimeoutFailsInitNamingTheSettingAndTheValue(String value) {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> KeepaliveSettings.from(settings("KEEPALIVE_TARGETS", "db:5432", "KEEPALIVE_TIMEOUT", value)));

        assertTrue(error.getMessage().contains("KEEPALIVE_TIMEOUT='" + value + "'"), error.getMessage());
    }

    @Test
    void theLambdaConstructorReadsTheEnvironmentAtInit() {
        assumeTrue(System.getenv("KEEPALIVE_TARGETS") == null, "KEEPALIVE_TARGETS is set in this environment");

        ConfigurationException error = assertThrows(ConfigurationException.class, VpnKeepaliveFunction::new);

        assertTrue(error.getMessage().contains("KEEPALIVE_TARGETS"), error.getMessage());
    }

    private static Settings settings(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return new Settings(env);
    }
}

package tidewatch.local;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every sandbox a test starts through the fixture is closed when the test ends, however many it started. */
class SandboxFixtureTest {
    @Test
    void everySandboxStartedIsClosedAfterTheTest() throws Exception {
        SandboxFixture fixture = new SandboxFixture();
        List<URI> endpoints = List.of(fixture.start(World.empty()).endpoint(), fixture.start(World.empty()).endpoint());
        for (URI endpoint : endpoints) {
            assertDoesNotThrow(() -> new Socket(endpoint.getHost(), endpoint.getPort()).close(), "listening while the test runs");
        }

        fixture.afterEach(null);

        for (URI endpoint : endpoints) {
            assertThrows(IOException.class, () -> new Socket(endpoint.getHost(), endpoint.getPort()).close(), "closed after it");
        }
    }
}

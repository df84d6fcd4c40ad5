package tidewatch.local;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sandboxes of one test, each closed when the test ends: register it with {@code @RegisterExtension} and start
 * sandboxes through it instead of closing them in an {@code @AfterEach} of every test class.
 */
public final class SandboxFixture implements AfterEachCallback {
    private final List<Sandbox> started = new ArrayList<>();

    public Sandbox start(World world) {
        Sandbox sandbox = Sandbox.start(world);
        started.add(sandbox);
        return sandbox;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(Sandbox::close);
        started.clear();
    }
}

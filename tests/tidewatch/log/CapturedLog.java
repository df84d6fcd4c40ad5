package tidewatch.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what the code under test logs, at DEBUG, for one test: {@code @RegisterExtension final CapturedLog log =
 * new CapturedLog();}, each test as in a new execution environment (its first invocation is a cold start). Afterwards the log goes back to standard output, and the captured lines are printed there so
 * that Surefire keeps them in the test's report.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @Override
    public void beforeEach(ExtensionContext context) {
        captured.reset();
        Log.newExecutionEnvironment();
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8), Log.Level.DEBUG);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Log.redirect(System.out, Log.Level.INFO);
        System.out.print(text());
    }

    /** Forgets what was captured so far, for a test that runs many cases one after another. */
    public void reset() {
        captured.reset();
    }

    public String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    public List<String> lines() {
        return text().lines().toList();
    }
}

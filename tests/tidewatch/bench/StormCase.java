package tidewatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tidewatch.json.Json;
import tidewatch.local.CrashBatch;
import tidewatch.local.LocalRun;

/**
 * {@code bin/benchmark}'s "storm with SNS hung": one SQS batch of N crashes ({@link CrashBatch}: each of its own
 * service, so each is a message of its own) through the ECS function with SNS hung (the sandbox's {@code "timeout"}
 * fault: every Publish answered after 10 s, past the client's read timeout), run as {@code bin/tidewatch invoke}
 * runs it (a fresh JVM, the template's environment and {@code Timeout} enforced). It reports the invocation's time
 * against the timeout and the messages told on each channel; PASS when the invocation ended inside its timeout
 * with every crash told on Slack and no record returned for a retry. The same row, with its assertions, is
 * {@code DeadlineFaultSuiteTest#fifteenCrashesWhileSnsHangsAreAllToldOnSlack}.
 */
final class StormCase {
    static final int DEFAULT_CRASHES = 15;
    private static final Path WORLD = Path.of("events/worlds/web-crash-loop.json");

    /**
     * @param slackTold  Slack posts the sandbox answered (it answers each at once)
     * @param snsTried   Publish calls the sandbox received (each hung)
     * @param returned   records in {@code batchItemFailures}; -1 when the invocation gave no batch response
     */
    record Result(int crashes, LocalRun run, double wallSeconds, int slackTold, int snsTried, int returned) {
        boolean pass() {
            return run.finishedInsideTimeout() && slackTold == crashes && returned == 0;
        }

        String text() {
            String invocation = run.invocation() == null ? "no REPORT line"
                    : String.format(Locale.ROOT, "%.1f s", run.invocation().toMillis() / 1000.0);
            return String.format(Locale.ROOT, "%s storm with SNS hung: %d crashes in one batch through EcsTaskStateFunction, invocation %s "
                            + "of its %d s timeout (timedOut %s; %.1f s with JVM start and init); told: slack %d of %d, sns none confirmed "
                            + "(%d Publish tried, its answer lost); records returned for a retry: %s",
                    pass() ? "PASS" : "FAIL", crashes, invocation, run.timeout().toSeconds(), run.timedOut(), wallSeconds,
                    slackTold, crashes, snsTried, returned < 0 ? "no batch response (" + run.error() + ")" : returned);
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("crashes", crashes);
            json.put("invocationMs", run.invocation() == null ? null : run.invocation().toMillis());
            json.put("timeoutSeconds", run.timeout().toSeconds());
            json.put("timedOut", run.timedOut());
            json.put("wallSeconds", Math.round(wallSeconds * 10) / 10.0);
            json.put("slackTold", slackTold);
            json.put("snsTold", 0);
            json.put("snsPublishTried", snsTried);
            json.put("recordsReturned", returned);
            json.put("pass", pass());
            return json;
        }
    }

    private StormCase() {}

    static Result run(int crashes, Path out) throws IOException {
        Map<String, Object> world = new LinkedHashMap<>(Json.parseObject(Files.readString(WORLD, StandardCharsets.UTF_8), "world").asMap());
        world.put("faults", Map.of("sns", "timeout"));
        long start = System.nanoTime();
        LocalRun run = LocalRun.invoke("EcsTaskStateFunction", CrashBatch.write(CrashBatch.of(crashes), "storm"),
                CrashBatch.write(world, "storm-world"));
        double wall = (System.nanoTime() - start) / 1e9;
        Files.createDirectories(out);
        Files.writeString(out.resolve("storm-sns-hung.log"), run.log(), StandardCharsets.UTF_8);
        int slack = (int) run.calls("slack", "post").stream().filter(c -> c.get("fault") == null).count();
        int returned = run.output() instanceof Map<?, ?> response && response.get("batchItemFailures") instanceof List<?> failures
                ? failures.size() : -1;
        Result result = new Result(crashes, run, wall, slack, run.calls("sns", "Publish").size(), returned);
        Files.writeString(out.resolve("storm-sns-hung.json"), Json.writePretty(result.toJson()), StandardCharsets.UTF_8);
        return result;
    }
}

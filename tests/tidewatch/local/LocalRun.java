package tidewatch.local;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/tidewatch invoke} from Java, for the fault suite and the benchmark: the command's own code path
 * ({@link LocalInvoke}: the template's environment and {@code Timeout} enforced, a fresh JVM, the sandbox), with
 * the report, the function's log, and the invocation's own time, from its REPORT line as Lambda prints it: the time
 * from the handler's start to its end, which is what Lambda holds against the {@code Timeout} (JVM start and init
 * are apart).
 *
 * @param invocation the REPORT line's Duration; null when the invocation never started (init failed)
 * @param timeout    the function's {@code Timeout} in the template the run used
 */
public record LocalRun(String function, List<Map<String, Object>> calls, Object output, String error, boolean timedOut,
                       Duration invocation, Duration timeout, String log) {
    private static final Pattern REPORT = Pattern.compile("(?m)^REPORT RequestId: \\S+\tDuration: ([0-9.]+) ms");

    /** Runs {@code bin/tidewatch invoke FUNCTION EVENT [--world WORLD] OPTIONS...}; a null world is the empty one. */
    public static LocalRun invoke(String function, Path event, Path world, String... options) {
        List<String> args = new ArrayList<>(List.of("invoke", function, event.toString()));
        if (world != null) {
            args.addAll(List.of("--world", world.toString()));
        }
        args.addAll(List.of(options));
        LocalInvoke.Arguments arguments = LocalInvoke.parse(args.toArray(String[]::new));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalInvoke.Report report = LocalInvoke.run(arguments, new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        Matcher line = REPORT.matcher(text);
        Duration invocation = line.find() ? Duration.ofNanos(Math.round(Double.parseDouble(line.group(1)) * 1e6)) : null;
        Duration timeout = Duration.ofSeconds(FunctionJvm.timeout(CloudFormationTemplate.load(arguments.template()), function));
        return new LocalRun(function, report.calls(), report.output(), report.error(), report.timedOut(), invocation, timeout, text);
    }

    /** The calls to one operation ("sns", "Publish"; "slack", "post"), in the order the sandbox received them. */
    public List<Map<String, Object>> calls(String service, String operation) {
        return calls.stream().filter(c -> service.equals(c.get("service")) && operation.equals(c.get("operation"))).toList();
    }

    /** A call's parameters: the API's request members, or the JSON body of a Slack post. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> params(Map<String, Object> call) {
        return (Map<String, Object>) call.get("params");
    }

    /** Whether the invocation ended by itself before the function's Timeout, as Lambda would let it. */
    public boolean finishedInsideTimeout() {
        return !timedOut && invocation != null && invocation.compareTo(timeout) < 0;
    }
}

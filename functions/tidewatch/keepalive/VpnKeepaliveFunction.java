package tidewatch.keepalive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import tidewatch.config.Settings;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.lambda.Sleeper;
import tidewatch.log.Log;

/**
 * Keeps the site-to-site VPN tunnels from going idle: on a schedule, from private subnets, it sends traffic to the
 * datacenter hosts in {@code KEEPALIVE_TARGETS} and publishes their reachability as metrics that an alarm watches.
 *
 * <p>Lambda cannot send ICMP (there are no raw sockets in its sandbox), so there is no ping: a {@code host:port}
 * target gets a TCP connect and an {@code http(s)://} target a GET. A refused connection counts as reachable,
 * because the refusal came back across the tunnel; only a timeout or an unreachable network counts against a target.
 *
 * <p>Input: the EventBridge scheduled event or {@code {}} runs one round; {@code {"burst": N}} from the alarm function
 * runs N rounds a second apart (N clamped to 1..10). Output: a JSON summary of the last round.
 */
public final class VpnKeepaliveFunction implements RequestStreamHandler, Resource {
    static final Duration PAUSE = Duration.ofSeconds(1);
    /** Kept back from the invocation's remaining time, to write metrics and the response after the probes. */
    static final Duration SAFETY = Duration.ofSeconds(1);
    /** The least a round is given, so that a nearly spent invocation still sends some traffic. */
    static final Duration MIN_BUDGET = Duration.ofMillis(100);

    private final KeepaliveSettings config;
    private final Prober prober;
    private final ReachabilityMetrics metrics;
    private final Clock clock;
    private final Sleeper sleeper;

    public VpnKeepaliveFunction() {
        this(KeepaliveSettings.from(Settings.fromEnvironment()), Clock.systemUTC(), Sleeper.REAL);
        Core.getGlobalContext().register(this);
    }

    VpnKeepaliveFunction(KeepaliveSettings config, Clock clock, Sleeper sleeper) {
        this.config = config;
        this.prober = new Prober(config.timeout(), config.targets().size());
        if (config.targets().stream().anyMatch(target -> target instanceof KeepaliveTarget.Http http && http.tls())) {
            Prober.loadTls();
        }
        this.metrics = new ReachabilityMetrics(config.namespace());
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** SnapStart: warms the function's code paths before the snapshot ({@link KeepalivePriming}); no probe leaves it. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        KeepalivePriming.prime(prober, metrics);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: targets are resolved at each probe
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.startInvocation(context);
        KeepaliveRequest request = read(input);
        List<ProbeResult> last = List.of();
        int rounds = 0;
        try {
            while (rounds < request.rounds() && (rounds == 0 || roomForAnotherRound(context, rounds, request))) {
                if (rounds > 0) {
                    sleeper.sleep(PAUSE);
                }
                last = round(++rounds, request, context);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted after " + rounds + " keepalive rounds");
        }
        output.write(Json.write(summary(rounds, last)).getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    private static KeepaliveRequest read(InputStream input) throws IOException {
        try {
            KeepaliveRequest request = KeepaliveRequest.parse(new String(input.readAllBytes(), StandardCharsets.UTF_8));
            if (request.clamped()) {
                Log.warn("keepalive burst clamped", "requested", request.requested(), "rounds", request.rounds());
            }
            return request;
        } catch (InvalidInputException e) {
            Log.error("keepalive input rejected, no probe sent", "error", e.getMessage());
            throw e;
        }
    }

    private List<ProbeResult> round(int number, KeepaliveRequest request, Context context) throws InterruptedException {
        List<ProbeResult> results = prober.probeAll(config.targets(), budget(context));
        metrics.emit(results, clock.millis());
        List<Map<String, Object>> targets = new ArrayList<>();
        for (ProbeResult result : results) {
            Map<String, Object> member = result.describe();
            if (result.detail() != null) {
                member.put("detail", result.detail());
            }
            targets.add(member);
        }
        long reachable = results.stream().filter(ProbeResult::reachable).count();
        Log.info("keepalive round", "round", number, "rounds", request.rounds(), "source", request.source(),
                "reachable", reachable, "unreachable", results.size() - reachable, "targets", targets);
        return results;
    }

    /** The probes' budget: the timeout, cut to what the invocation has left when it has less. */
    private Duration budget(Context context) {
        if (context == null) {
            return config.timeout();
        }
        Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(SAFETY);
        Duration budget = left.compareTo(config.timeout()) < 0 ? left : config.timeout();
        return budget.compareTo(MIN_BUDGET) < 0 ? MIN_BUDGET : budget;
    }

    /** A burst stops early rather than be cut off by the function's timeout with nothing reported. */
    private boolean roomForAnotherRound(Context context, int done, KeepaliveRequest request) {
        if (context == null) {
            return true;
        }
        Duration needed = PAUSE.plus(config.timeout()).plus(Prober.MARGIN).plus(SAFETY);
        if (context.getRemainingTimeInMillis() >= needed.toMillis()) {
            return true;
        }
        Log.warn("keepalive burst stopped early: too little time left", "rounds", done, "requested", request.rounds(),
                "remainingMs", context.getRemainingTimeInMillis());
        return false;
    }

    private static Map<String, Object> summary(int rounds, List<ProbeResult> last) {
        long reachable = last.stream().filter(ProbeResult::reachable).count();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rounds", rounds);
        summary.put("reachable", reachable);
        summary.put("unreachable", last.size() - reachable);
        summary.put("targets", last.stream().map(ProbeResult::describe).toList());
        return summary;
    }
}

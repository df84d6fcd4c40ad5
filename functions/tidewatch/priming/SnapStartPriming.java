package tidewatch.priming;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpClient;
import tidewatch.log.Log;

/**
 * SnapStart priming: runs a function's code paths once before Lambda takes the snapshot, so that an environment
 * restored from it finds the classes loaded and initialised instead of loading them during its first invocation.
 * Steps are the function's own code without AWS; requests are its adapters' calls, run on a thread marked for
 * {@link PrimingInterceptor}, which stops every SDK request before it is sent. How and why: docs/performance.md,
 * "SnapStart priming". Priming never throws: a failed step costs only its warm-up.
 */
public final class SnapStartPriming {
    /**
     * What priming did: SDK requests run through the pipeline and stopped, steps that failed, the answers' model types
     * loaded, time taken.
     */
    public record Result(int requestsStopped, int failures, int responseTypesLoaded, long nanos) {}

    /** A call of one of the function's adapters; every SDK request it makes is stopped, and it must make one. */
    @FunctionalInterface
    public interface Request {
        void run() throws Exception;
    }

    private final String function;
    private final List<Runnable> steps = new ArrayList<>();
    private final List<Request> requests = new ArrayList<>();

    public SnapStartPriming(String function) {
        this.function = function;
    }

    public SnapStartPriming step(Runnable step) {
        steps.add(step);
        return this;
    }

    public SnapStartPriming request(Request request) {
        requests.add(request);
        return this;
    }

    /**
     * Runs the steps, then, when the function's adapters use the clients of {@code tidewatch.aws.AwsClients} (which
     * all carry the interceptor), the requests and what follows them. Logs one line; never throws.
     *
     * @param http those clients' HTTP client ({@code AwsClients.http()}), or null when the adapters use none of them
     *             (tests' fakes): no request runs then
     */
    public Result run(SdkHttpClient http) {
        long started = System.nanoTime();
        int stoppedBefore = PrimingInterceptor.stopped();
        int answeredBefore = PrimingInterceptor.answered();
        PrimingInterceptor.forgetStoppedRequestTypes();
        int failures = 0;
        int responseTypes = 0;
        for (Runnable step : steps) {
            failures += attempt(step);
        }
        if (http != null) {
            for (Request request : requests) {
                failures += attempt(() -> stopped(request));
            }
            Set<Class<?>> stoppedTypes = PrimingInterceptor.stoppedRequestTypes();
            Set<Class<?>> loaded = new HashSet<>();
            for (Class<?> requestType : stoppedTypes) {
                failures += attempt(() -> ResponseShapes.loadResponseShape(requestType, loaded));
            }
            responseTypes = loaded.size();
            failures += attempt(() -> LoopbackExchange.exchange(http));
            if (stoppedTypes.stream().anyMatch(XmlAnswerParsing::readsXml)) {
                failures += attempt(XmlAnswerParsing::parseSample);
            }
        }
        Result result = new Result(PrimingInterceptor.stopped() - stoppedBefore, failures, responseTypes,
                System.nanoTime() - started);
        Log.info("SnapStart priming done", "function", function, "requestsStopped", result.requestsStopped(),
                "answeredInProcess", PrimingInterceptor.answered() - answeredBefore, "responseTypesLoaded", result.responseTypesLoaded(),
                "failures", result.failures(), "ms", result.nanos() / 1_000_000);
        return result;
    }

    /**
     * Runs the request on a marked thread. What the adapter makes of the stop (an exception, a failed outcome) is
     * expected; a request that made no SDK request at all has drifted from what priming expects, and fails.
     */
    private static void stopped(Request request) {
        int before = PrimingInterceptor.stopped();
        Exception failure = null;
        PrimingInterceptor.markThread(true);
        try {
            request.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        } catch (Exception e) {
            failure = e;
        } finally {
            PrimingInterceptor.markThread(false);
        }
        if (PrimingInterceptor.stopped() == before) {
            throw new IllegalStateException("the priming request made no SDK request", failure);
        }
    }

    private int attempt(Runnable step) {
        try {
            step.run();
            return 0;
        } catch (RuntimeException | LinkageError e) {
            Log.warn("SnapStart priming step failed", "function", function, "error", e);
            return 1;
        }
    }
}

package tidewatch.priming;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Carried by every client {@code tidewatch.aws.AwsClients} builds: a request that starts on a thread
 * {@link SnapStartPriming} has marked goes through the whole SDK pipeline (marshalling, endpoint resolution, signing)
 * and is stopped just before transmission, so AWS never sees it. Requests on unmarked threads pass untouched.
 */
public final class PrimingInterceptor implements ExecutionInterceptor {
    public static final PrimingInterceptor INSTANCE = new PrimingInterceptor();

    /** Set while priming runs a request on this thread. */
    private static final ThreadLocal<Boolean> MARKED = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** The mark, carried by the request itself from its start, whichever thread transmits it. */
    private static final ExecutionAttribute<Boolean> PRIMING = new ExecutionAttribute<>("TidewatchSnapStartPriming");
    private static final AtomicInteger STOPPED = new AtomicInteger();
    /** The request types stopped so far: their answers' shapes are loaded after the requests. */
    private static final Set<Class<?>> STOPPED_REQUEST_TYPES = ConcurrentHashMap.newKeySet();

    private PrimingInterceptor() {}

    static void markThread(boolean marked) {
        MARKED.set(marked);
    }

    static int stopped() {
        return STOPPED.get();
    }

    static Set<Class<?>> stoppedRequestTypes() {
        return Set.copyOf(STOPPED_REQUEST_TYPES);
    }

    static void forgetStoppedRequestTypes() {
        STOPPED_REQUEST_TYPES.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (MARKED.get()) {
            attributes.putAttribute(PRIMING, Boolean.TRUE);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(PRIMING))) {
            STOPPED.incrementAndGet();
            STOPPED_REQUEST_TYPES.add(context.request().getClass());
            throw new PrimingRequestStopped();
        }
    }

    /** Carries no stack trace: it is expected. */
    private static final class PrimingRequestStopped extends RuntimeException {
        PrimingRequestStopped() {
            super("SnapStart priming request stopped before transmission", null, false, false);
        }
    }
}

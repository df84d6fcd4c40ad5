package tidewatch.priming;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Carried by every client {@code tidewatch.aws.AwsClients} builds: a request that starts on a thread
 * {@link SnapStartPriming} has marked goes through the whole SDK pipeline (marshalling, endpoint resolution, signing)
 * and is stopped just before transmission, so AWS never sees it; a read that {@link PrimingAnswers} answers is marked
 * with its header instead, and the HTTP client answers it inside the process (the answer then runs through the SDK's
 * unmarshalling and the adapter, as on a real invocation). Requests on unmarked threads pass untouched.
 */
public final class PrimingInterceptor implements ExecutionInterceptor {
    public static final PrimingInterceptor INSTANCE = new PrimingInterceptor();

    /** Set while priming runs a request on this thread. */
    private static final ThreadLocal<Boolean> MARKED = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** The mark, carried by the request itself from its start, whichever thread transmits it. */
    private static final ExecutionAttribute<Boolean> PRIMING = new ExecutionAttribute<>("TidewatchSnapStartPriming");
    /** Marked requests that never left the process: stopped, or answered inside it. */
    private static final AtomicInteger STOPPED = new AtomicInteger();
    private static final AtomicInteger ANSWERED = new AtomicInteger();
    /** The request types stopped so far: their answers' shapes are loaded after the requests. */
    private static final Set<Class<?>> STOPPED_REQUEST_TYPES = ConcurrentHashMap.newKeySet();

    private PrimingInterceptor() {}

    static void markThread(boolean marked) {
        MARKED.set(marked);
    }

    static int stopped() {
        return STOPPED.get();
    }

    static int answered() {
        return ANSWERED.get();
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
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(PRIMING))) {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if (PrimingAnswers.answer(service, operation) != null) {
                return context.httpRequest().toBuilder().putHeader(PrimingAnswers.HEADER, service + "." + operation).build();
            }
        }
        return context.httpRequest();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(PRIMING))) {
            STOPPED.incrementAndGet();
            if (context.httpRequest().firstMatchingHeader(PrimingAnswers.HEADER).isPresent()) {
                ANSWERED.incrementAndGet();
                return; // answered by the HTTP client, inside the process
            }
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

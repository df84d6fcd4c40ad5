package tidewatch.aws;

import java.net.SocketTimeoutException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Whether a failed AWS call can pass on a retry, by the service's error code.
 * <ul>
 * <li><b>Permanent</b>: the function's role lacks the permission ({@code AccessDenied}, {@code AccessDeniedException},
 * EC2's {@code UnauthorizedOperation}) or the service refuses the request itself ({@code ValidationException},
 * {@code InvalidParameterException}, and ECS's {@code ClientException}, which ECS documents as a request that is
 * wrong for it: an identifier it rejects, or an action the caller may not take). The same request fails the same
 * way on every retry, so a retry only delays telling people.</li>
 * <li><b>Transient</b>: throttling, a 5xx, or no answer at all (network failures, timeouts).</li>
 * </ul>
 * Any other error (a {@code ClusterNotFoundException}, an unknown code) is neither: each caller keeps its own rule.
 */
public final class AwsErrors {
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation");
    private static final Set<String> REFUSED = Set.of("ValidationException", "InvalidParameterException", "ClientException");

    private AwsErrors() {}

    /** A denial or a refused request: no retry of the same request can pass. */
    public static boolean isPermanent(Throwable error) {
        String code = errorCode(error);
        return code != null && (DENIED.contains(code) || REFUSED.contains(code)) && !isThrottling(error);
    }

    /** Throttling, a server error, or no answer: a later attempt may pass. */
    public static boolean isTransient(Throwable error) {
        if (error instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return error instanceof SdkClientException;
    }

    /** The call ran out of time: its own timeout or the invocation's, or a read that got no answer. */
    public static boolean isTimeout(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException
                    || cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A permanent failure in words for people, naming the call:
     * {@code "ecs:DescribeTasks denied (AccessDeniedException: ...)"} or {@code "ecs:DescribeTasks refused (ValidationException: ...)"}.
     *
     * @param action the IAM action of the call, e.g. {@code ecs:DescribeTasks}
     */
    public static String permanentFailure(String action, Exception error) {
        return action + (DENIED.contains(errorCode(error)) ? " denied (" : " refused (") + AwsFailure.describe(error) + ")";
    }

    private static boolean isThrottling(Throwable error) {
        return error instanceof AwsServiceException service && service.isThrottlingException();
    }

    private static String errorCode(Throwable error) {
        if (error instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return null;
    }
}

package tidewatch.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {
    private static AwsServiceException service(String code, int status) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected").sdkHttpResponse(null).build())
                .build();
    }

    @ParameterizedTest(name = "{0} ({1}): permanent {2}, transient {3}")
    @CsvSource({
            "AccessDenied,                403, true,  false",
            "AccessDeniedException,       403, true,  false",
            "UnauthorizedOperation,       403, true,  false",
            "ValidationException,         400, true,  false",
            "InvalidParameterException,   400, true,  false",
            "ClientException,             400, true,  false",
            "ThrottlingException,         400, false, true",
            "TooManyRequestsException,    429, false, true",
            "RequestLimitExceeded,        503, false, true",
            "InternalFailure,             500, false, true",
            "ServiceUnavailableException, 503, false, true",
            "ClusterNotFoundException,    400, false, false",
            "SomethingNew,                400, false, false",
    })
    void eachErrorCodeIsClassified(String code, int status, boolean permanent, boolean transientError) {
        AwsServiceException error = service(code, status);
        assertEquals(permanent, AwsErrors.isPermanent(error), "permanent");
        assertEquals(transientError, AwsErrors.isTransient(error), "transient");
        assertEquals(false, AwsErrors.isTimeout(error), "timeout");
    }

    @Test
    void noAnswerIsTransientAndTimeoutsAreTold() {
        SdkClientException readTimeout = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new SocketTimeoutException("Read timed out")).build();
        ApiCallTimeoutException callTimeout = ApiCallTimeoutException.create(3000);
        SdkClientException refused = SdkClientException.create("Connection refused");
        for (Exception error : new Exception[] {readTimeout, callTimeout, refused}) {
            assertEquals(true, AwsErrors.isTransient(error), error.toString());
            assertEquals(false, AwsErrors.isPermanent(error), error.toString());
        }
        assertEquals(true, AwsErrors.isTimeout(readTimeout));
        assertEquals(true, AwsErrors.isTimeout(callTimeout));
        assertEquals(false, AwsErrors.isTimeout(refused));
    }

    @Test
    void aPermanentFailureNamesTheCallAndWhy() {
        assertEquals("ecs:DescribeTasks denied (AccessDeniedException: injected)",
                AwsErrors.permanentFailure("ecs:DescribeTasks", service("AccessDeniedException", 403)));
        assertEquals("ecs:DescribeTasks refused (ValidationException: injected)",
                AwsErrors.permanentFailure("ecs:DescribeTasks", service("ValidationException", 400)));
    }

    @Test
    void aCallIsNotMadeWithoutTimeLeftSinceTheSdkReadsZeroAsNoTimeout() {
        assertEquals(Duration.ofSeconds(3), AwsClients.callTimeout(Duration.ofSeconds(3)));
        assertEquals(AwsClients.LEAST_CALL_TIME, AwsClients.callTimeout(AwsClients.LEAST_CALL_TIME));
        SdkClientException none = assertThrows(SdkClientException.class, () -> AwsClients.callTimeout(Duration.ZERO));
        assertEquals(AwsClients.NO_TIME_LEFT, none.getMessage());
    }
}

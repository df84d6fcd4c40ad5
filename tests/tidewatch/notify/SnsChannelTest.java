package tidewatch.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which failed Publish the SDK may send again: only one SNS cannot have taken (a standard topic has no dedup). */
class SnsChannelTest {
    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    private static SdkClientException client(IOException cause) {
        return SdkClientException.builder().message("Unable to execute HTTP request").cause(cause).build();
    }

    @Test
    void onlyAPublishSnsDidNotTakeIsRetried() {
        Map<String, Object[]> table = new LinkedHashMap<>();
        table.put("throttled", new Object[] {service(400, "Throttling"), true});
        table.put("internal error", new Object[] {service(500, "InternalError"), true});
        table.put("unavailable", new Object[] {service(503, "ServiceUnavailable"), true});
        table.put("gateway timeout: may have published", new Object[] {service(504, "GatewayTimeout"), false});
        table.put("access denied", new Object[] {service(403, "AuthorizationError"), false});
        table.put("invalid parameter", new Object[] {service(400, "InvalidParameter"), false});
        table.put("connection refused", new Object[] {client(new ConnectException("Connection refused")), true});
        table.put("unknown host", new Object[] {client(new UnknownHostException("sns.example")), true});
        table.put("connect timed out", new Object[] {client(new SocketTimeoutException("Connect timed out")), true});
        table.put("read timed out: sent", new Object[] {client(new SocketTimeoutException("Read timed out")), false});
        table.put("reset: sent", new Object[] {client(new SocketException("Connection reset")), false});
        table.forEach((name, row) -> assertEquals(row[1], SnsChannel.notTaken((Throwable) row[0]), name));
    }
}

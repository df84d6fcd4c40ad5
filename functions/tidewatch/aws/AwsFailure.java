package tidewatch.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import tidewatch.text.Text;

/** A failed AWS call in one line for people: the service's error code and message ("AccessDenied: ..."). */
public final class AwsFailure {
    private static final int MAX = 300;

    private AwsFailure() {}

    public static String describe(Exception error) {
        if (error instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return Text.truncate(Text.oneLine(service.awsErrorDetails().errorCode() + ": "
                    + service.awsErrorDetails().errorMessage()), MAX);
        }
        return Text.truncate(Text.oneLine(error.getClass().getSimpleName() + ": " + error.getMessage()), MAX);
    }
}

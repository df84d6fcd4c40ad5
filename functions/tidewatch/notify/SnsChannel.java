package tidewatch.notify;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.text.Text;

/**
 * Publishes each message to the notification topic, within the invocation's time left. A standard topic has no
 * deduplication, and its email and SMS subscribers see every copy, so a Publish is retried only when SNS did not take
 * it: throttling, a 5xx other than a gateway's 504, or no connection. A Publish sent whose answer was lost (a read
 * timeout, a reset) is not sent again: the message has most likely gone out, and Slack carries it besides.
 */
public final class SnsChannel implements Channel {
    /** The most one Publish with its retries may take; less when the invocation has less left. */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(12);
    /** The least time worth starting a Publish with. */
    static final Duration LEAST_CALL_TIME = Duration.ofMillis(500);

    /** The SDK's standard retry strategy (3 attempts, backoff with jitter), narrowed to requests SNS did not take. */
    static final SdkPlugin RETRY_ONLY_WHEN_NOT_TAKEN = config -> config.overrideConfiguration(c -> c.retryStrategy(
            DefaultRetryStrategy.standardStrategyBuilder()
                    .maxAttempts(3)
                    .retryOnException(SnsChannel::notTaken)
                    .treatAsThrottling(e -> e instanceof SdkServiceException s && s.isThrottlingException())
                    .useClientDefaults(false)
                    .build()));

    private final SnsClient sns;
    private final String topicArn;

    public SnsChannel(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public void deliver(Message message, InvocationDeadline deadline) throws DeliveryException {
        if (!deadline.allows(LEAST_CALL_TIME)) {
            throw new DeliveryException("SNS Publish not attempted: no time left in the invocation");
        }
        SnsMessage rendered = SnsMessage.render(message);
        try {
            sns.publish(request -> request
                    .topicArn(topicArn)
                    .subject(rendered.subject())
                    .message(rendered.body())
                    .messageAttributes(Map.of(
                            "severity", attribute(rendered.severity()),
                            "source", attribute(rendered.source())))
                    .overrideConfiguration(o -> o.apiCallTimeout(deadline.cap(API_CALL_TIMEOUT))
                            .addPlugin(RETRY_ONLY_WHEN_NOT_TAKEN)));
        } catch (SdkException e) {
            String failure = "SNS Publish failed: " + Text.oneLine(e.getMessage());
            // An invalid parameter is about this message (its size, its text); anything else about the topic or SNS.
            throw e instanceof SdkServiceException s && s.statusCode() == 400 && !s.isThrottlingException()
                    ? DeliveryException.refused(failure) : new DeliveryException(failure, e);
        }
    }

    /** Whether SNS cannot have published: it said so (throttling, 5xx but 504), or the request never left. */
    static boolean notTaken(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            return service.isThrottlingException() || (service.statusCode() >= 500 && service.statusCode() != 504);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof NoRouteToHostException) {
                return true;
            }
            if (cause instanceof SocketTimeoutException timeout && timeout.getMessage() != null
                    && timeout.getMessage().toLowerCase(Locale.ROOT).startsWith("connect")) {
                return true;
            }
        }
        return false;
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}

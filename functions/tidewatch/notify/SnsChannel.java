package tidewatch.notify;

import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import tidewatch.text.Text;

/**
 * Publishes each message once to the notification topic. Transient failures (throttling, 5xx, timeouts) are retried
 * by the SDK client's standard retry strategy, configured in {@link tidewatch.aws.AwsClients}.
 */
public final class SnsChannel implements Channel {
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
    public void deliver(Message message) throws DeliveryException {
        SnsMessage rendered = SnsMessage.render(message);
        try {
            sns.publish(request -> request
                    .topicArn(topicArn)
                    .subject(rendered.subject())
                    .message(rendered.body())
                    .messageAttributes(Map.of(
                            "severity", attribute(rendered.severity()),
                            "source", attribute(rendered.source()))));
        } catch (SdkException e) {
            throw new DeliveryException("SNS Publish failed: " + Text.oneLine(e.getMessage()), e);
        }
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}

package tidewatch.notify;

/** Every channel failed for a message: the invocation must fail so that Lambda retries and the event is kept. */
public class NotificationFailedException extends RuntimeException {
    public NotificationFailedException(String message) {
        super(message);
    }
}

package tidewatch.notify;

/**
 * A channel gave up on a message, after its own retries. Whether the failure looked transient does not matter to
 * the caller: when every channel fails, the event is kept for a retry and then the failure queue either way.
 */
public class DeliveryException extends Exception {
    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}

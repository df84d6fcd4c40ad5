package tidewatch.notify;

/**
 * A channel gave up on a message, after its own retries. Whether the failure looked transient does not matter to
 * the caller: when every channel fails, the event is kept for a retry and then the failure queue either way. What
 * matters is {@link #channelDown()}: a channel that is down is not tried again for the rest of the invocation.
 */
public class DeliveryException extends Exception {
    private final boolean channelDown;

    /** The channel is down (unreachable, too slow, its webhook unreadable): the usual case. */
    public DeliveryException(String message) {
        this(message, true);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
        this.channelDown = true;
    }

    public DeliveryException(String message, boolean channelDown) {
        super(message);
        this.channelDown = channelDown;
    }

    /** The channel refused this message only (its content, a rotated webhook): the next message may pass. */
    public static DeliveryException refused(String message) {
        return new DeliveryException(message, false);
    }

    public boolean channelDown() {
        return channelDown;
    }
}

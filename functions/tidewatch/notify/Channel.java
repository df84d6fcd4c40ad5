package tidewatch.notify;

import tidewatch.lambda.InvocationDeadline;

/**
 * One way of reaching people. A channel retries its own transient failures within the deadline and throws when it
 * finally fails; every call it makes has a timeout no longer than the deadline's time left.
 */
public interface Channel {
    String name();

    /** Whether this channel takes the message at all (a channel for one severity); every channel takes every one by default. */
    default boolean accepts(Message message) {
        return true;
    }

    void deliver(Message message, InvocationDeadline deadline) throws DeliveryException, InterruptedException;

    /**
     * Gets what the first delivery needs ahead of it (Slack: its webhook's URL), when a message is about to come; a
     * failure here is the delivery's to report. Nothing by default.
     */
    default void prepare(InvocationDeadline deadline) {}
}

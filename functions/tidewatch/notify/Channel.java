package tidewatch.notify;

import tidewatch.lambda.InvocationDeadline;

/**
 * One way of reaching people. A channel retries its own transient failures within the deadline and throws when it
 * finally fails; every call it makes has a timeout no longer than the deadline's time left.
 */
public interface Channel {
    String name();

    void deliver(Message message, InvocationDeadline deadline) throws DeliveryException, InterruptedException;
}

package tidewatch.notify;

/** One way of reaching people. A channel retries its own transient failures and throws when it finally fails. */
public interface Channel {
    String name();

    void deliver(Message message) throws Exception;
}

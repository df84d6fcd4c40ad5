package tidewatch.vpn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.notify.Channel;
import tidewatch.notify.DeliveryException;
import tidewatch.notify.Message;

/** A notification channel that keeps what it is given, or fails every delivery. */
final class RecordingChannel implements Channel {
    private final String name;
    private final boolean failing;
    private final List<Message> messages = Collections.synchronizedList(new ArrayList<>());

    RecordingChannel(String name, boolean failing) {
        this.name = name;
        this.failing = failing;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Message message, InvocationDeadline deadline) throws DeliveryException {
        if (failing) {
            throw new DeliveryException(name + " is down");
        }
        messages.add(message);
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }
}

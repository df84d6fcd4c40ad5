package tidewatch.vpn;

import java.util.Objects;
import tidewatch.text.Text;

/** What one incoming payload (or one SNS record of it) turned out to be. */
public sealed interface ParsedEvent {
    /** Longest raw text passed on to people when a payload cannot be read. */
    int RAW_TEXT_MAX = 3000;

    record Alarm(AlarmEvent event, AlarmDelivery delivery) implements ParsedEvent {
        public Alarm {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(delivery, "delivery");
        }
    }

    /**
     * The scheduled re-check of the tunnels. Alarms invoke the function only when their state changes, so a tunnel
     * that stays DOWN past the replacement threshold is caught by this schedule rather than by an alarm.
     */
    record TunnelCheck(String rule) implements ParsedEvent {}

    /** A well-formed event that needs no message, such as an alarm configuration change. */
    record Ignored(String what) implements ParsedEvent {}

    /** Not readable as an alarm: still sent to people as raw text, since it may be one we failed to read. */
    record Unrecognised(String rawText, String problem) implements ParsedEvent {
        public Unrecognised {
            rawText = Text.truncate(rawText == null ? "" : rawText, RAW_TEXT_MAX);
            problem = problem == null ? "unreadable" : problem;
        }
    }
}

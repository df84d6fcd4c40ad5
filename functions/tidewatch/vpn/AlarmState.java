package tidewatch.vpn;

import tidewatch.json.InvalidInputException;

/** The three states of a CloudWatch alarm, as every delivery shape spells them. */
public enum AlarmState {
    OK,
    ALARM,
    INSUFFICIENT_DATA;

    /** Reads a state value; anything else is an {@link InvalidInputException} naming where it was found. */
    public static AlarmState parse(String value, String path) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(path + ": required alarm state is missing");
        }
        try {
            return valueOf(value.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(path + ": unknown alarm state '" + value + "'");
        }
    }
}

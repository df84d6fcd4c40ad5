package tidewatch.json;

/** The typed rejection of an event or payload that cannot be understood: the message says what and where. */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}

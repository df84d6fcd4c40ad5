package tidewatch.config;

/** A setting is missing or unreadable; the message names the setting and the bad value. Thrown at init. */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}

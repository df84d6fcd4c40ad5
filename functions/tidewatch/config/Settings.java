package tidewatch.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Environment variables read as typed, validated values. Every error names the variable and the value. */
public final class Settings {
    private final Map<String, String> env;

    public Settings(Map<String, String> env) {
        this.env = env;
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    public String optional(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public boolean flag(String name, boolean fallback) {
        String value = optional(name, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(name + "='" + value + "': expected true or false");
        };
    }

    public int integer(String name, int fallback, int min, int max) {
        String value = optional(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ConfigurationException(name + "='" + value + "': expected a whole number from " + min + " to " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + "='" + value + "': expected a whole number from " + min + " to " + max);
        }
    }

    /** A duration written as a number of minutes ("30") or with a unit: "90s", "30m", "6h". */
    public Duration duration(String name, Duration fallback) {
        String value = optional(name, null);
        if (value == null) {
            return fallback;
        }
        String text = value.toLowerCase(Locale.ROOT);
        try {
            char unit = text.charAt(text.length() - 1);
            if (Character.isDigit(unit)) {
                return positive(name, value, Duration.ofMinutes(Long.parseLong(text)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (unit) {
                case 's' -> positive(name, value, Duration.ofSeconds(amount));
                case 'm' -> positive(name, value, Duration.ofMinutes(amount));
                case 'h' -> positive(name, value, Duration.ofHours(amount));
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + "='" + value + "': expected a duration such as 90s, 30m or 6h");
        }
    }

    /** A comma-separated list with blanks dropped. */
    public List<String> list(String name) {
        String value = optional(name, "");
        return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    private static Duration positive(String name, String value, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new ConfigurationException(name + "='" + value + "': expected a positive duration");
        }
        return duration;
    }
}

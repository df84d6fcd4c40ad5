package tidewatch.notify;

import java.util.regex.Pattern;
import tidewatch.config.ConfigurationException;

/**
 * The Slack mention put first in every critical message (SLACK_MENTION_CRITICAL): {@code <!here>}, {@code <!channel>}
 * or a user group {@code <!subteam^S0123ABCD>}, nothing else. Only this setting can make a mention: text from events
 * stays escaped ({@link SlackMessage}), so a container reason saying {@code <!channel>} never pings anyone.
 */
public record SlackMention(String text) {
    public static final String VARIABLE = "SLACK_MENTION_CRITICAL";
    /** Slack's special mentions, and a user group by its id (upper-case letters and digits, starting with S). */
    private static final Pattern FORMS = Pattern.compile("<!here>|<!channel>|<!subteam\\^S[A-Z0-9]{2,20}>");

    /** The setting's mention, or null when it is empty or unset; anything else fails init naming the variable. */
    public static SlackMention parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String mention = value.trim();
        if (!FORMS.matcher(mention).matches()) {
            throw new ConfigurationException(VARIABLE + "='" + value + "': expected <!here>, <!channel> or a user group "
                    + "<!subteam^S...> (its id, from the group's profile in Slack)");
        }
        return new SlackMention(mention);
    }

    /** The text with the mention first, when the message is critical. */
    String prefix(Severity severity, String text) {
        return severity == Severity.CRITICAL ? this.text + " " + text : text;
    }
}

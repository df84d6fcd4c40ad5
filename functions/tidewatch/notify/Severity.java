package tidewatch.notify;

/** How urgent a message is; subscribers route on {@link #wireName()} (the SNS attribute `severity`). */
public enum Severity {
    CRITICAL("critical", ":rotating_light:"),
    WARNING("warning", ":warning:"),
    INFO("info", ":information_source:"),
    RESOLVED("resolved", ":white_check_mark:");

    private final String wireName;
    private final String slackEmoji;

    Severity(String wireName, String slackEmoji) {
        this.wireName = wireName;
        this.slackEmoji = slackEmoji;
    }

    public String wireName() {
        return wireName;
    }

    public String slackEmoji() {
        return slackEmoji;
    }
}

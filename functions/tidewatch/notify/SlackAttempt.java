package tidewatch.notify;

import java.util.Locale;
import java.util.Set;

/**
 * What one POST to the webhook came to, in the terms that decide a retry: whether Slack can have taken the request.
 * Nothing here holds the server's own text or the URL: a proxy can echo the request line, which holds the secret.
 */
sealed interface SlackAttempt {
    /** Slack's documented webhook error codes: the only part of an error body ever kept. */
    Set<String> SLACK_ERRORS = Set.of("invalid_payload", "user_not_found", "channel_not_found", "channel_is_archived",
            "action_prohibited", "posting_to_general_channel_denied", "too_many_attachments", "no_service",
            "no_service_id", "no_team", "team_disabled", "invalid_token", "no_text",
            "missing_text_or_fallback_or_attachments", "rollup_error");

    /** An HTTP answer: the status, its Retry-After header (or null) and Slack's error code when the body is one. */
    record Answered(int status, String retryAfter, String slackError) implements SlackAttempt {
        static Answered of(int status, String retryAfter, String body) {
            String code = body == null ? "" : body.trim().toLowerCase(Locale.ROOT);
            return new Answered(status, retryAfter, SLACK_ERRORS.contains(code) ? code : null);
        }
    }

    /** The request never reached Slack whole (no connection, or it broke while the body was being sent). */
    record NotSent(String failure) implements SlackAttempt {}

    /** The request was sent and no answer came in time: Slack may have posted the message. */
    record NoAnswer(String failure) implements SlackAttempt {}
}

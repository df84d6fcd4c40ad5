package tidewatch.notify;

import java.util.List;

/** Sample messages for the notification tests. */
final class Messages {
    private Messages() {}

    static Message crash(String reason, List<String> logLines) {
        return new Message(
                "web crashed in prod",
                Severity.WARNING,
                "Essential container app exited with code 1: " + reason,
                List.of(new Message.Field("Cluster", "prod"), new Message.Field("Reason", reason)),
                List.of(new Message.Link("Task in ECS console", "https://console.aws.amazon.com/ecs/v2/clusters/prod/tasks/abc")),
                logLines == null ? null : new Message.Evidence("Last log lines of app", logLines),
                "ecs/prod/service:web/crash",
                "ecs");
    }
}

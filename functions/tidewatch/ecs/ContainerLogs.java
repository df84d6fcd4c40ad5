package tidewatch.ecs;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import tidewatch.aws.AwsClients;
import tidewatch.aws.AwsErrors;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.text.Text;

/**
 * The failed container's last log lines, the evidence of a task-stop message. Evidence is optional: the read has a
 * short timeout of its own, and a read that fails, times out or finds no time left degrades to a message without
 * the lines that says why, with the link to the log stream kept.
 */
final class ContainerLogs {
    /** The most the read may take: the message matters more than its evidence. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

    private final CloudWatchLogsClient logs;

    ContainerLogs(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    /**
     * The last lines of the container's awslogs stream, when the container logs there.
     *
     * @param deadline the read's deadline: the invocation's, keeping the time the message itself needs
     */
    TaskStopMessage.LogEvidence evidence(TaskStopEvent event, String container, TaskDefinitionFacts facts, int lines,
                                         InvocationDeadline deadline) {
        TaskDefinitionFacts.ContainerFacts containerFacts = container == null ? null : facts.container(container);
        if (containerFacts == null || containerFacts.logGroup() == null || containerFacts.logStreamPrefix() == null) {
            return null;
        }
        String group = containerFacts.logGroup();
        String stream = containerFacts.logStreamPrefix() + "/" + container + "/" + event.taskId();
        String region = containerFacts.logRegion();
        if (lines == 0) {
            return new TaskStopMessage.LogEvidence(group, stream, region, List.of(), null);
        }
        Duration timeout = deadline.cap(READ_TIMEOUT);
        if (timeout.compareTo(AwsClients.LEAST_CALL_TIME) < 0) {
            Log.warn("log lines not read: no time left in the invocation", "logGroup", group, "logStream", stream);
            return new TaskStopMessage.LogEvidence(group, stream, region, List.of(), "not read: no time left in the invocation");
        }
        try {
            List<String> last = lastLogLines(group, stream, lines, timeout);
            return new TaskStopMessage.LogEvidence(group, stream, region, last, last.isEmpty() ? "unavailable: the log stream is empty" : null);
        } catch (SdkException e) {
            Log.warn("log lines unreadable", "logGroup", group, "logStream", stream, "error", e);
            return new TaskStopMessage.LogEvidence(group, stream, region, List.of(), AwsErrors.isTimeout(e)
                    ? "not read: timed out after " + timeout.toMillis() + " ms"
                    : "unavailable: " + Text.oneLine(e.getClass().getSimpleName()));
        }
    }

    /** The bare call, which SnapStart priming ({@link EcsPriming}) makes too: so it primes the request made here. */
    List<String> lastLogLines(String group, String stream, int lines, Duration timeout) {
        return logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream).limit(lines).startFromHead(false)
                        .overrideConfiguration(o -> o.apiCallTimeout(AwsClients.callTimeout(timeout))))
                .events().stream().map(OutputLogEvent::message).toList();
    }
}

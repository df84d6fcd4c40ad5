package tidewatch.ecs;

import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import tidewatch.aws.AwsClients;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.text.Text;

/** The failed container's last log lines, the evidence of a task-stop message: optional, so a failed read degrades. */
final class ContainerLogs {
    private final CloudWatchLogsClient logs;

    ContainerLogs(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    /** The last lines of the container's awslogs stream, when the container logs there. */
    TaskStopMessage.LogEvidence evidence(TaskStopEvent event, String container, TaskDefinitionFacts facts, int lines,
                                         InvocationDeadline deadline) {
        TaskDefinitionFacts.ContainerFacts containerFacts = container == null ? null : facts.container(container);
        if (containerFacts == null || containerFacts.logGroup() == null || containerFacts.logStreamPrefix() == null) {
            return null;
        }
        String stream = containerFacts.logStreamPrefix() + "/" + container + "/" + event.taskId();
        if (lines == 0) {
            return new TaskStopMessage.LogEvidence(containerFacts.logGroup(), stream, containerFacts.logRegion(), List.of(), null);
        }
        try {
            List<String> last = lastLogLines(containerFacts.logGroup(), stream, lines, deadline.cap(AwsClients.API_CALL_TIMEOUT));
            return new TaskStopMessage.LogEvidence(containerFacts.logGroup(), stream, containerFacts.logRegion(), last,
                    last.isEmpty() ? "the log stream is empty" : null);
        } catch (SdkException e) {
            Log.warn("log lines unreadable", "logGroup", containerFacts.logGroup(), "logStream", stream, "error", e);
            return new TaskStopMessage.LogEvidence(containerFacts.logGroup(), stream, containerFacts.logRegion(), List.of(),
                    Text.oneLine(e.getClass().getSimpleName()));
        }
    }

    /** The bare call, which SnapStart priming ({@link EcsPriming}) makes too: so it primes the request made here. */
    List<String> lastLogLines(String group, String stream, int lines, java.time.Duration timeout) {
        return logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream).limit(lines).startFromHead(false)
                        .overrideConfiguration(o -> o.apiCallTimeout(AwsClients.callTimeout(timeout))))
                .events().stream().map(OutputLogEvent::message).toList();
    }
}

package tidewatch.ecs;

import java.util.Locale;
import java.util.Optional;

/**
 * Tells why a task stopped, from {@code stopCode}, {@code stoppedReason} and each container's exit code and reason
 * (docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html). Pure: no I/O.
 *
 * <p>Reason-based checks come first: when ECS stops a task for failed health checks or a deployment, the containers
 * are killed and may report exit 137, which must not be mistaken for an out-of-memory kill.
 */
final class TaskStopClassifier {
    private TaskStopClassifier() {}

    public static Diagnosis classify(TaskStopEvent event, TaskDefinitionFacts facts) {
        String code = event.stopCode() == null ? "" : event.stopCode();
        String reason = event.stoppedReason() == null ? "" : event.stoppedReason();
        String lower = reason.toLowerCase(Locale.ROOT);

        if (code.equals("TaskFailedToStart")) {
            return failedToStart(event, reason);
        }
        // A person's stop is final whatever its free-text reason says: it must never read as a lost host and restart.
        if (code.equals("UserInitiated")) {
            return new Diagnosis(StopCause.USER_STOP, "Stopped by a user or an API call (StopTask).", null);
        }
        if (lower.contains("elb health check")) {
            return new Diagnosis(StopCause.ELB_HEALTH_CHECK, "The task failed the load balancer's health checks: "
                    + "check the health check path and port, and the app's start-up time against the grace period.",
                    firstEssential(event, facts));
        }
        if (lower.contains("container health check")) {
            return new Diagnosis(StopCause.CONTAINER_HEALTH_CHECK, "A container failed its HEALTHCHECK command.",
                    unhealthyContainer(event, facts));
        }
        if (code.equals("SpotInterruption") || code.equals("TerminationNotice") || code.equals("InfrastructureHealth")
                || lower.contains("instance") && (lower.contains("stopped") || lower.contains("terminated")
                        || lower.contains("deregistered") || lower.contains("draining"))
                || lower.contains("spot task was interrupted")) {
            return new Diagnosis(StopCause.INFRASTRUCTURE, "The task's host or capacity went away (" + orCode(code)
                    + "); ECS places replacements for service tasks.", null);
        }
        if (code.equals("ServiceSchedulerInitiated") && lower.startsWith("scaling activity initiated by")) {
            boolean deployment = lower.contains("deployment");
            return new Diagnosis(deployment ? StopCause.DEPLOYMENT : StopCause.SCALE_IN,
                    deployment ? "Replaced by a deployment." : "Stopped by service scale-in.", null);
        }
        Optional<TaskStopEvent.Container> oom = event.containers().stream()
                .filter(c -> c.reason() != null && c.reason().contains("OutOfMemory"))
                .findFirst()
                .or(() -> otherEssentialFailure(event, facts) ? Optional.empty() : event.containers().stream()
                        .filter(c -> facts.isEssential(c.name()) && Integer.valueOf(137).equals(c.exitCode()))
                        .findFirst());
        if (oom.isPresent()) {
            TaskStopEvent.Container container = oom.get();
            return new Diagnosis(StopCause.OUT_OF_MEMORY, "Container " + container.name() + " was killed for running out of memory"
                    + memoryLimit(container.name(), facts) + " (exit code " + exit(container) + ").", container.name());
        }
        if (code.equals("EssentialContainerExited") || code.isEmpty() && !event.containers().isEmpty()) {
            // The container that failed first: one killed with 137 is more likely stopped after the others.
            Optional<TaskStopEvent.Container> failed = event.containers().stream()
                    .filter(c -> facts.isEssential(c.name()) && c.exitCode() != null && c.exitCode() != 0)
                    .min(java.util.Comparator.comparing(c -> c.exitCode() == 137));
            if (failed.isPresent()) {
                TaskStopEvent.Container container = failed.get();
                return new Diagnosis(StopCause.CRASH, "Essential container " + container.name() + " exited with code "
                        + container.exitCode() + (container.reason() == null ? "." : ": " + container.reason()), container.name());
            }
            boolean allExitedZero = event.containers().stream()
                    .filter(c -> facts.isEssential(c.name()))
                    .allMatch(c -> Integer.valueOf(0).equals(c.exitCode()));
            if (allExitedZero && !event.isServiceTask()) {
                return new Diagnosis(StopCause.COMPLETED, "Every essential container exited with code 0.", null);
            }
            if (allExitedZero) {
                String container = firstEssential(event, facts);
                return new Diagnosis(StopCause.CRASH, "Essential container " + container + " exited with code 0, but a "
                        + "service task is meant to keep running.", container);
            }
        }
        return new Diagnosis(StopCause.UNKNOWN, "Stop code " + orCode(code) + (reason.isEmpty() ? "" : ", reason: " + reason) + ".",
                firstEssential(event, facts));
    }

    /**
     * Whether an essential container exited with a non-zero code other than 137. Then a bare 137 elsewhere is the
     * SIGKILL that stopped the rest of the task after the crash, not an out-of-memory kill.
     */
    private static boolean otherEssentialFailure(TaskStopEvent event, TaskDefinitionFacts facts) {
        return event.containers().stream().anyMatch(c -> facts.isEssential(c.name()) && c.exitCode() != null
                && c.exitCode() != 0 && c.exitCode() != 137);
    }

    private static Diagnosis failedToStart(TaskStopEvent event, String reason) {
        String all = reason + " " + String.join(" ", event.containers().stream()
                .map(c -> c.reason() == null ? "" : c.reason()).toList());
        String advice;
        if (all.contains("CannotPullContainerError")) {
            advice = "The image could not be pulled: check the image name and tag, the registry permissions of the task "
                    + "execution role, and that the private subnets reach the registry (NAT gateway or ECR VPC endpoints).";
        } else if (all.contains("ResourceInitializationError")) {
            advice = "The task's resources could not be prepared: check the secrets and parameters it references, the "
                    + "execution role's access to them, and that the private subnets reach Secrets Manager, SSM, ECR and "
                    + "CloudWatch Logs (NAT gateway or VPC endpoints).";
        } else if (all.contains("CannotStartContainerError") || all.contains("CannotCreateContainerError")) {
            advice = "The container runtime could not start a container: check the image's entry point and the "
                    + "container's settings (command, mounts, ulimits).";
        } else {
            advice = "Check the image, the secrets and the network.";
        }
        String container = event.containers().stream()
                .filter(c -> c.reason() != null && !c.reason().isBlank())
                .map(TaskStopEvent.Container::name)
                .findFirst().orElse(null);
        return new Diagnosis(StopCause.FAILED_TO_START, "The task failed to start. " + advice, container);
    }

    private static String unhealthyContainer(TaskStopEvent event, TaskDefinitionFacts facts) {
        return event.containers().stream()
                .filter(c -> c.reason() != null && c.reason().toLowerCase(Locale.ROOT).contains("health"))
                .map(TaskStopEvent.Container::name)
                .findFirst()
                .orElseGet(() -> firstEssential(event, facts));
    }

    private static String firstEssential(TaskStopEvent event, TaskDefinitionFacts facts) {
        return event.containers().stream().map(TaskStopEvent.Container::name)
                .filter(facts::isEssential).findFirst().orElse(null);
    }

    private static String memoryLimit(String container, TaskDefinitionFacts facts) {
        TaskDefinitionFacts.ContainerFacts containerFacts = facts.container(container);
        if (containerFacts != null && containerFacts.memoryMiB() != null) {
            return " (its memory limit is " + containerFacts.memoryMiB() + " MiB)";
        }
        if (facts.taskMemoryMiB() != null) {
            return " (the task's memory limit is " + facts.taskMemoryMiB() + " MiB)";
        }
        return "";
    }

    private static String exit(TaskStopEvent.Container container) {
        return container.exitCode() == null ? "none" : container.exitCode().toString();
    }

    private static String orCode(String code) {
        return code.isEmpty() ? "none given" : code;
    }
}

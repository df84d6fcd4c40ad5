package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tidewatch.notify.Severity;

/**
 * The decisions about service, deployment and container-instance events, from ECS's own records: how severe, and
 * whether people hear of it again. Pure.
 *
 * <p>Severity: a service below its desired count with no task running is critical; below it with some running, or
 * state unknown, a warning. ECS repeats {@code SERVICE_TASK_PLACEMENT_FAILURE} while a task cannot be placed; people
 * hear of the 1st failure in a row, then at doubling counts (2, 4, 8, ...), as of crash loops, counted in the
 * service's own event list: the "unable to place a task" events since its last "has reached a steady state".
 * {@code SERVICE_TASK_START_IMPAIRED} and Tidewatch's crash-loop detection are one message, whichever comes first: the
 * impaired event is held back when Tidewatch's count already makes the service crash-looping, and Tidewatch's
 * crash-loop message is held back when ECS's event list shows the service impaired within the loop's window.
 */
final class EcsServiceEventDecision {
    /** ECS's words in a service's event list ("(service web) was unable to place a task because ..."). */
    static final String UNABLE_TO_PLACE = "was unable to place a task";
    static final String STEADY_STATE = "has reached a steady state";
    static final String START_IMPAIRED = "is unable to consistently start tasks successfully";

    private EcsServiceEventDecision() {}

    static Severity severity(ServiceRecord service) {
        if (service == null) {
            return Severity.WARNING;
        }
        return service.desired() != null && service.desired() > 0 && service.running() != null && service.running() == 0
                ? Severity.CRITICAL : Severity.WARNING;
    }

    /** The worst severity of the services a container instance's loss leaves short. */
    static Severity worst(List<ServiceRecord> services) {
        return services.stream().anyMatch(s -> severity(s) == Severity.CRITICAL) ? Severity.CRITICAL : Severity.WARNING;
    }

    /** Whether the service runs fewer tasks than it wants. */
    static boolean belowDesired(ServiceRecord service) {
        return service != null && service.desired() != null && service.running() != null && service.running() < service.desired();
    }

    /** The "unable to place a task" events in a row in the service's event list (newest first), since its last steady state. */
    static int placementFailuresInARow(List<ServiceRecord.Event> newestFirst) {
        int count = 0;
        for (ServiceRecord.Event event : newestFirst) {
            String message = event.message() == null ? "" : event.message();
            if (message.contains(STEADY_STATE)) {
                break;
            }
            if (message.contains(UNABLE_TO_PLACE)) {
                count++;
            }
        }
        return count;
    }

    /**
     * Whether people hear of a group of placement failures: when a milestone (1, 2, 4, 8, ...) falls among the counts
     * the group's events stand for, {@code inARow - inBatch + 1} to {@code inARow}. ECS's list may lag its events, so the
     * count is never taken as below the batch's own.
     */
    static boolean tellPlacementFailure(int inARow, int inBatch) {
        int last = Math.max(inARow, inBatch);
        for (int n = last - inBatch + 1; n <= last; n++) {
            if (n >= 1 && Integer.bitCount(n) == 1) {
                return true;
            }
        }
        return false;
    }

    /** Whether ECS's event list shows the service impaired within the window before {@code now}. */
    static boolean reportedImpaired(List<ServiceRecord.Event> events, Instant now, Duration window) {
        return events.stream().anyMatch(e -> e.message() != null && e.message().toLowerCase(Locale.ROOT).contains(START_IMPAIRED)
                && e.createdAt() != null && !e.createdAt().isBefore(now.minus(window)));
    }

    /** The service's latest event message, or null. */
    static String latestEvent(ServiceRecord service) {
        return service == null || service.events().isEmpty() ? null : service.events().get(0).message();
    }
}

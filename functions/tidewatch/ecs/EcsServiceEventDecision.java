package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import tidewatch.notify.Severity;

/**
 * The decisions about service, deployment and container-instance events, from ECS's own records: how severe, and
 * whether people hear of it again. Pure.
 *
 * <p>Severity: a service below its desired count with no task running is critical; below it with some running, or
 * state unknown, a warning. ECS repeats {@code SERVICE_TASK_PLACEMENT_FAILURE} while a task cannot be placed; people
 * hear of the 1st failure, then at doubling counts (2, 4, 8, ...), as of crash loops (the count is kept by the
 * responder: ECS's event list leaves out a repeated message for six hours, so it cannot count them).
 * {@code SERVICE_TASK_START_IMPAIRED} and Tidewatch's crash-loop detection are one message, whichever comes first, by
 * one rule both sides apply to ECS's record: the impaired event is told when Tidewatch's count of abnormal stops in
 * the window before it is still below the loop's threshold, and then Tidewatch's own crash-loop message is held back
 * ({@link #impairedWasTold}); otherwise the impaired event is held back and the crash-loop message is told.
 */
final class EcsServiceEventDecision {
    /** ECS's words in a service's event list ("(service web) has reached a steady state."). */
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

    /**
     * Whether people hear of a group of placement failures: when a milestone (1, 2, 4, 8, ...) falls among the counts
     * the group's events stand for, {@code inARow - inBatch + 1} to {@code inARow}; the count is never taken as below
     * the batch's own.
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

    /** How far past an impaired event the stops are counted: the event's and its list entry's clocks differ a little. */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(60);

    /** When ECS's event list says the service became impaired, within the window before {@code now}. */
    static List<Instant> impairedAt(List<ServiceRecord.Event> events, Instant now, Duration window) {
        return events.stream().filter(e -> e.message() != null && e.message().toLowerCase(Locale.ROOT).contains(START_IMPAIRED)
                && e.createdAt() != null && !e.createdAt().isBefore(now.minus(window)) && !e.createdAt().isAfter(now))
                .map(ServiceRecord.Event::createdAt).toList();
    }

    /**
     * Whether an impaired event at one of these times was told: Tidewatch's count of abnormal stops in the window up
     * to it was below the threshold (what the impaired event's side decides, {@link CrashLoop#isLooping}). Counted
     * {@link #CLOCK_SLACK} past each time, so that where the two sides' clocks differ the loop is told twice, never
     * not at all.
     */
    static boolean impairedWasTold(List<Instant> impairedAt, Collection<Instant> abnormalStops, CrashLoop crashLoop) {
        for (Instant impaired : impairedAt) {
            Instant at = impaired.plus(CLOCK_SLACK);
            long inWindow = abnormalStops.stream().filter(t -> t != null && !t.isAfter(at) && !t.isBefore(at.minus(crashLoop.window()))).count();
            if (inWindow < crashLoop.threshold()) {
                return true;
            }
        }
        return false;
    }

    /** The latest time ECS said the service reached a steady state, or null. */
    static Instant lastSteadyState(ServiceRecord service) {
        return service == null ? null : service.events().stream().filter(e -> e.message() != null && e.message().contains(STEADY_STATE)
                && e.createdAt() != null).map(ServiceRecord.Event::createdAt).max(Instant::compareTo).orElse(null);
    }

    /** The service's latest event message, or null. */
    static String latestEvent(ServiceRecord service) {
        return service == null || service.events().isEmpty() ? null : service.events().get(0).message();
    }
}

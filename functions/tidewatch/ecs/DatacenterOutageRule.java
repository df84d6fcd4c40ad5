package tidewatch.ecs;

import java.util.Set;
import tidewatch.datacenter.Reachability;
import tidewatch.notify.Severity;

/**
 * Folds the stops the VPN explains under the VPN's own message, as Alertmanager's inhibition folds dependent alerts
 * under their root: the team's apps open their datacenter connections at start-up and exit without them, so while
 * the datacenter is unreachable their crashes and failed health checks are the VPN's doing. Pure.
 *
 * <p>While the datacenter is unreachable ({@link Reachability#unreachable}), a stop of a {@link #EXPLAINED} cause is
 * <em>linked</em>: its crash loop does not make it critical (the VPN message is the critical one), and a service's
 * crash-loop milestones are folded: people hear of the first stop in a row, in the one message that lists every
 * linked service of the invocation ({@link #OUTAGE_KEY}), not again at each doubling. Other causes (out of memory, a
 * lost host, an image that cannot be pulled) are told as ever, saying that the datacenter is unreachable too.
 */
final class DatacenterOutageRule {
    /** The group of every linked service stop of an invocation: one message for the outage. */
    static final String OUTAGE_KEY = "ecs/datacenter-unreachable";
    /** The causes an unreachable datacenter explains: the app exits, or stops answering its health checks. */
    static final Set<StopCause> EXPLAINED = Set.of(StopCause.CRASH, StopCause.ELB_HEALTH_CHECK, StopCause.CONTAINER_HEALTH_CHECK);

    private DatacenterOutageRule() {}

    /** Whether the datacenter's state explains this stop. */
    static boolean linked(Diagnosis diagnosis, Reachability reachability) {
        return reachability.unreachable() && EXPLAINED.contains(diagnosis.cause());
    }

    /** The plan with the outage taken into account; the plan itself when the stop is not linked. */
    static TaskStopPlan apply(TaskStopPlan plan, TaskStopEvent event, Diagnosis diagnosis, Reachability reachability, CrashLoop crashLoop) {
        if (!linked(diagnosis, reachability)) {
            return plan;
        }
        boolean loopAlone = plan.severity() == Severity.CRITICAL && crashLoop.isLooping(plan.crashCount());
        Severity severity = loopAlone ? Severity.WARNING : plan.severity();
        boolean tell = event.isServiceTask() ? plan.crashCount().inARow() <= 1 : plan.tellPeople();
        return new TaskStopPlan(tell, severity, plan.action(), plan.restart(), plan.crashCount());
    }

    /** The group key of a stop: linked service stops share {@link #OUTAGE_KEY}; the others keep theirs. */
    static String key(String ownKey, TaskStopEvent event, Diagnosis diagnosis, Reachability reachability) {
        return event.isServiceTask() && linked(diagnosis, reachability) ? OUTAGE_KEY : ownKey;
    }

    /** What a message about a stop the outage does not explain says of the datacenter; null when nothing. */
    static String datacenterField(Diagnosis diagnosis, Reachability reachability) {
        return switch (reachability.state()) {
            case UNREACHABLE -> linked(diagnosis, reachability) ? null
                    : reachability.describe() + "; this stop's cause is not one the VPN explains";
            case UNKNOWN -> diagnosis.abnormal() ? reachability.describe() : null;
            case REACHABLE, NOT_WATCHED -> null;
        };
    }
}

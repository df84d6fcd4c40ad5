package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import tidewatch.aws.AwsErrors;
import tidewatch.datacenter.Reachability;
import tidewatch.datacenter.ReachabilityReader;
import tidewatch.ecs.BatchResults.Result;
import tidewatch.ecs.TaskStopGroups.Notice;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.lambda.ReadsAhead;
import tidewatch.log.Log;
import tidewatch.notify.Message;
import tidewatch.notify.Notifier;
import tidewatch.notify.Silence;

/**
 * Responds to the task stops of one invocation: diagnoses and decides each stop, restarts where the plan says so,
 * then tells people once per {@link TaskStopGroups group}. An abnormal stop reads the datacenter's reachability once per
 * invocation, and {@link DatacenterOutageRule} folds the stops it explains into one message. The stops are decided within the invocation's deadline
 * less {@link #TIME_TO_TELL}, kept for the messages; a stop left undecided, or a group left untold, when the time runs
 * out fails its records, and only those, so that SQS delivers them again while nothing told is told twice.
 */
final class TaskStopResponder {
    /** Kept back from deciding for telling people: one message on both channels (Slack's 4 s read timeout, and a margin). */
    static final Duration TIME_TO_TELL = Duration.ofSeconds(5);
    /** The least time worth starting to decide a stop with (its reads would otherwise all be cut to nothing). */
    static final Duration LEAST_TIME_TO_DECIDE = Duration.ofSeconds(1);
    /** The least time worth starting a message with. */
    static final Duration LEAST_TIME_TO_SEND = Duration.ofSeconds(1);
    /** The most services of one outage message whose logs are read (each read takes up to 3 s). */
    static final int MAX_OUTAGE_LOG_READS = 5;

    private final EcsSettings settings;
    private final EcsState state;
    private final ContainerLogs logs;
    private final TaskRestarter restarter;
    private final Notifier notifier;
    private final ReachabilityReader datacenter;
    private final SilenceTags silences;
    /** How long a reading of the datacenter is reused by the next invocations of this container. */
    static final Duration READINGS_FRESH_FOR = Duration.ofSeconds(60);
    /** The datacenter's state, read at an invocation's first abnormal stop; null until then, or when it is stale. */
    private Reachability reachability;
    private long reachabilityReadAt;
    /** The datacenter's state being read ahead, from the invocation's first abnormal stop until it is needed; or null. */
    private Future<Reachability> reachabilityAhead;
    /** The datacenter's state and log lines, read while other reads run ({@link ReadsAhead}). */
    private final ReadsAhead reads = new ReadsAhead(2, "ecs-reads");
    /** How much longer than a read's own timeout its result is waited for. */
    private static final Duration JOIN_MARGIN = Duration.ofSeconds(1);

    TaskStopResponder(EcsSettings settings, EcsState state, ContainerLogs logs, TaskRestarter restarter, Notifier notifier,
                      ReachabilityReader datacenter, SilenceTags silences) {
        this.settings = settings;
        this.state = state;
        this.logs = logs;
        this.restarter = restarter;
        this.notifier = notifier;
        this.datacenter = datacenter;
        this.silences = silences;
    }

    /**
     * Forgets the readings of the datacenter and of the silences once they are {@link #READINGS_FRESH_FOR} old (an
     * unknown reading at once): a storm of invocations reads them once a minute, and a change is seen within one.
     */
    void startInvocation() {
        if (reachability != null && (reachability.state() == Reachability.State.UNKNOWN
                || System.nanoTime() - reachabilityReadAt > READINGS_FRESH_FOR.toNanos())) {
            reachability = null;
        }
        silences.startInvocation(READINGS_FRESH_FOR);
        reachabilityAhead = null;
    }

    /** Starts the datacenter's read, unless a fresh reading is kept or the read is under way: its round trip overlaps the crash count's. */
    private void readReachabilityAhead(InvocationDeadline deadline) {
        if (reachability == null && reachabilityAhead == null) {
            reachabilityAhead = reads.start(() -> datacenter.read(deadline));
        }
    }

    private Reachability reachability(InvocationDeadline deadline) {
        if (reachability == null) {
            reachability = reachabilityAhead == null ? datacenter.read(deadline)
                    : ReadsAhead.join(reachabilityAhead, ReachabilityReader.READ_TIMEOUT.plus(JOIN_MARGIN),
                            () -> Reachability.unknown("DescribeVpnConnections did not answer in time"));
            reachabilityAhead = null;
            reachabilityReadAt = System.nanoTime();
            Log.info("datacenter reachability read", "state", reachability.state().name(), "facts", reachability.facts());
        }
        return reachability;
    }

    /**
     * Decides about one event and records its result; returns what is to be told about it, or null.
     *
     * @param seen     the tasks whose stop this invocation already handled
     * @param deadline the deciding's deadline: the invocation's, keeping {@link #TIME_TO_TELL}
     */
    Notice respond(String messageId, TaskStopEvent event, Set<String> seen, BatchResults results, InvocationDeadline deadline) {
        if (!event.isStopped()) {
            Log.debug("ignored: task not stopped", "task", event.taskArn(), "lastStatus", event.lastStatus());
            results.add(messageId, Result.IGNORED);
            return null;
        }
        if (!settings.watches(event.clusterArn())) {
            Log.debug("ignored: cluster not watched", "cluster", event.clusterArn());
            results.add(messageId, Result.IGNORED);
            return null;
        }
        if (!deadline.allows(LEAST_TIME_TO_DECIDE)) {
            Log.warn("task stop not handled: no time left in the invocation; kept for redelivery", "task", event.taskArn(),
                    "eventId", event.eventId());
            results.add(messageId, Result.FAILED);
            return null;
        }
        if (!seen.add(event.taskArn())) { // a task stops once; a second STOPPED event of it is a duplicate
            Log.info("duplicate event ignored", "task", event.taskArn(), "version", event.version(), "eventId", event.eventId());
            results.add(messageId, Result.DUPLICATE);
            return null;
        }
        try {
            return decideAndRestart(messageId, event, results, deadline);
        } catch (RuntimeException e) {
            Log.error("task stop not handled", "task", event.taskArn(), "eventId", event.eventId(), "error", e);
            results.add(messageId, Result.FAILED);
            return null;
        }
    }

    /** Diagnoses the stop, decides and restarts; the message itself is sent later, grouped. */
    private Notice decideAndRestart(String messageId, TaskStopEvent event, BatchResults results, InvocationDeadline deadline) {
        TaskDefinitionFacts facts = state.taskDefinition(event.taskDefinitionArn());
        Diagnosis diagnosis = TaskStopClassifier.classify(event, facts);
        if (diagnosis.abnormal()) {
            readReachabilityAhead(deadline);
            notifier.prepare(); // the webhook's URL, read while this stop is decided
        }
        TaskStopPlan plan;
        if (event.isServiceTask()) {
            plan = TaskStopDecision.forServiceTask(diagnosis, diagnosis.abnormal() ? crashCount(event) : CrashLoop.Count.NONE,
                    settings.crashLoop());
        } else {
            plan = standalonePlan(event, diagnosis);
        }
        Reachability datacenterState = diagnosis.abnormal() ? reachability(deadline) : Reachability.NOT_WATCHED;
        plan = DatacenterOutageRule.apply(plan, event, diagnosis, datacenterState, settings.crashLoop());

        String action = plan.action();
        boolean retryLater = false;
        Boolean restarted = null;
        if (plan.restart() != null) {
            TaskRestarter.Outcome outcome = restarter.restart(plan.restart(), deadline);
            action = TaskStopDecision.restartResult(plan, outcome.startedTaskArn(), outcome.failure());
            retryLater = !outcome.started() && outcome.retryable();
            restarted = outcome.started();
        }
        Log.info("task stop diagnosed", "task", event.taskArn(), "group", event.group(), "cause", diagnosis.cause().name(),
                "abnormal", diagnosis.abnormal(), "tellPeople", plan.tellPeople(),
                "abnormalStopsInWindow", plan.crashCount().inWindow(), "abnormalStopsInARow", plan.crashCount().inARow(), "action", action,
                "datacenter", datacenterState.state().name());
        results.add(messageId, retryLater ? Result.FAILED : !diagnosis.abnormal() && !plan.tellPeople() ? Result.NORMAL
                : plan.tellPeople() ? Result.NOTIFIED : Result.SUPPRESSED);
        return diagnosis.abnormal() || plan.tellPeople()
                ? new Notice(messageId, event, diagnosis, facts, plan, action, DatacenterOutageRule.key(
                        TaskStopGroups.key(event, diagnosis, restarted), event, diagnosis, datacenterState), datacenterState) : null;
    }

    private CrashLoop.Count crashCount(TaskStopEvent event) {
        Map<String, Instant> stops = state.abnormalStops(event);
        Instant at = event.stoppedAt() != null ? event.stoppedAt() : stops.get(event.taskArn()); // ECS's time when the event has none
        return at == null ? settings.crashLoop().countUntimed(stops.values()) : settings.crashLoop().count(stops.values(), at);
    }

    /** The plan for a standalone task, from ECS's record of it and its restart policy. */
    private TaskStopPlan standalonePlan(TaskStopEvent event, Diagnosis diagnosis) {
        EcsTaskRecord record;
        try {
            record = state.task(event.clusterArn(), event.taskArn());
        } catch (RuntimeException e) {
            return unreadableRecord(event, diagnosis, e);
        }
        if (record != null && !record.mismatches(event).isEmpty()) {
            Log.warn("task stop event disagrees with ECS's record; acting on ECS's record only", "task", event.taskArn(),
                    "eventId", event.eventId(), "members", record.mismatches(event));
        }
        return TaskStopDecision.forStandaloneTask(event, diagnosis, record, settings.restartsEnabled(),
                record != null && TaskStopDecision.mayRestart(record.tags(), settings.restartsEnabled()) ? crashCount(event)
                        : CrashLoop.Count.NONE, settings.crashLoop());
    }

    /**
     * ECS's record of the task could not be read. With restarts off it only enriches the message, so the stop is told
     * with the policy "unknown"; with restarts on, a failure a retry may get past (throttling, 5xx, a timeout) keeps
     * the event for a retry, while a permanent one (a denial, a refused request: {@link AwsErrors}) is told at once,
     * saying which call failed, since no retry can read the record either.
     */
    private TaskStopPlan unreadableRecord(TaskStopEvent event, Diagnosis diagnosis, RuntimeException e) {
        if (!settings.restartsEnabled()) {
            Log.warn("task tags unreadable; restarts are off, so the stop is reported without them", "task", event.taskArn(), "error", e);
            return TaskStopDecision.forStandaloneTask(event, diagnosis, null, false, CrashLoop.Count.NONE, settings.crashLoop());
        }
        if (!AwsErrors.isPermanent(e)) {
            throw e;
        }
        String failure = AwsErrors.permanentFailure("ecs:DescribeTasks", e);
        Log.error("task record unreadable and no retry can read it; told without a restart", "task", event.taskArn(),
                "eventId", event.eventId(), "error", failure);
        return TaskStopDecision.forUnreadableRecord(diagnosis, failure);
    }

    /**
     * Sends one message per group: the lead stop speaks for the group, with the count and the other tasks listed.
     * An undelivered message, or one left unsent because the invocation's time ran out, fails its group's records
     * for redelivery. Returns the number of messages sent.
     */
    int tell(List<TaskStopGroups.Group> groups, BatchResults results, InvocationDeadline deadline) {
        int sent = 0;
        for (TaskStopGroups.Group group : groups) {
            if (!group.tellsPeople()) {
                continue;
            }
            Notice lead = group.lead();
            if (!deadline.allows(LEAST_TIME_TO_SEND)) {
                Log.error("task stop message not sent: no time left in the invocation; the events will be retried", "key", lead.key(),
                        "events", group.notices().size());
                results.fail(group.notices().stream().map(Notice::messageId).toList());
                continue;
            }
            boolean outage = group.key().equals(DatacenterOutageRule.OUTAGE_KEY);
            // The lead's log lines are read while the silences are (a silenced group's read is wasted, and rare).
            Future<TaskStopMessage.LogEvidence> evidence = outage ? null : reads.start(() -> evidence(lead, deadline));
            Heard heard = heard(group, results, deadline);
            if (heard == null) {
                if (evidence != null) {
                    evidence.cancel(true);
                }
                continue;
            }
            Message message = heard.silence().noted(outage ? outageMessage(heard.group(), deadline)
                    : stopMessage(heard.group(), ReadsAhead.join(evidence, ContainerLogs.READ_TIMEOUT.plus(JOIN_MARGIN), () -> {
                        Log.warn("log lines not read: the read failed or did not end in time", "key", lead.key());
                        return null;
                    })));
            try {
                notifier.send(message);
                sent++;
            } catch (RuntimeException e) {
                Log.error("task stop message not delivered; the events will be retried", "key", lead.key(), "events", group.notices().size(), "error", e);
                results.fail(group.notices().stream().map(Notice::messageId).toList());
            }
        }
        return sent;
    }

    /** What of a group is told after the silences ({@code silence}: an unreadable one the message notes, or none). */
    private record Heard(TaskStopGroups.Group group, Silence silence) {}

    /**
     * The group without what a silence holds back (recorded as silenced), or null when nothing of it is left to tell.
     * The outage message is silenced service by service; any other group by its lead's service or cluster.
     */
    private Heard heard(TaskStopGroups.Group group, BatchResults results, InvocationDeadline deadline) {
        Instant now = Instant.now();
        InvocationDeadline reading = deadline.keeping(TIME_TO_TELL);
        if (!group.key().equals(DatacenterOutageRule.OUTAGE_KEY)) {
            Silence silence = silences.silence(group.lead().event(), now, reading);
            if (silence.active()) {
                silence.record(group.key(), TaskStopMessage.SOURCE);
                results.silence(group.notices().stream().map(Notice::messageId).toList());
                return null;
            }
            if (ecsToldTheLoop(group.lead(), reading)) {
                results.suppress(group.notices().stream().map(Notice::messageId).toList());
                return null;
            }
            return new Heard(group, silence);
        }
        List<Notice> kept = new ArrayList<>();
        Silence noted = Silence.NONE;
        for (List<Notice> service : OutageMessage.byService(group.notices()).values()) {
            Silence silence = silences.silence(service.get(0).event(), now, reading);
            if (silence.active()) {
                silence.record(group.key() + "/" + service.get(0).event().group(), TaskStopMessage.SOURCE);
                results.silence(service.stream().map(Notice::messageId).toList());
            } else {
                kept.addAll(service);
                noted = silence.note() != null ? silence : noted;
            }
        }
        TaskStopGroups.Group left = new TaskStopGroups.Group(group.key(), kept);
        return kept.isEmpty() || !left.tellsPeople() ? null : new Heard(left, noted);
    }

    /**
     * Whether the crash-loop message about to be sent at the loop's threshold was told already as ECS's
     * SERVICE_TASK_START_IMPAIRED: the service's event list (which comes with the silence's read of the service) shows
     * it impaired within the loop's window at a time Tidewatch's count was still below the threshold, so that its
     * message went out ({@link EcsServiceEventDecision#impairedWasTold}). A record that could not be read tells the loop.
     */
    private boolean ecsToldTheLoop(Notice lead, InvocationDeadline deadline) {
        TaskStopEvent event = lead.event();
        if (!event.isServiceTask() || lead.plan().crashCount().inARow() != settings.crashLoop().threshold()) {
            return false;
        }
        var service = silences.service(event.clusterArn(), event.groupName(), deadline);
        Instant at = event.stoppedAt() != null ? event.stoppedAt() : Instant.now();
        if (service != null && EcsServiceEventDecision.impairedWasTold(EcsServiceEventDecision.impairedAt(service.events(), at,
                settings.crashLoop().window()), state.abnormalStops(event).values(), settings.crashLoop())) {
            Log.info("crash loop already told as ECS's SERVICE_TASK_START_IMPAIRED; not told again", "task", event.taskArn(), "group", event.group());
            return true;
        }
        return false;
    }

    private Message stopMessage(TaskStopGroups.Group group, TaskStopMessage.LogEvidence evidence) {
        Notice lead = group.lead();
        return TaskStopMessage.build(lead.event(), lead.diagnosis(), lead.plan().severity(), lead.action(), lead.plan().crashCount(),
                evidence, group.otherTaskIds(), lead.reachability(), logFinding(evidence));
    }

    /**
     * The one message for the stops an unreachable datacenter explains: one line per service, each with what its lead
     * stop's log shows; the log lines shown are those of the first service whose log shows a failed datacenter
     * connection (else the first service's). Logs are read for the first {@link #MAX_OUTAGE_LOG_READS} services only.
     */
    private Message outageMessage(TaskStopGroups.Group group, InvocationDeadline deadline) {
        List<OutageMessage.ServiceStops> services = new ArrayList<>();
        TaskStopMessage.LogEvidence shown = null;
        String shownContainer = null;
        boolean shownFinding = false;
        for (List<Notice> notices : OutageMessage.byService(group.notices()).values()) {
            Notice lead = new TaskStopGroups.Group(group.key(), notices).lead();
            TaskStopMessage.LogEvidence evidence = services.size() < MAX_OUTAGE_LOG_READS ? evidence(lead, deadline) : null;
            String finding = logFinding(evidence);
            if (evidence != null && evidence.lines() != null && !evidence.lines().isEmpty() && (shown == null || finding != null && !shownFinding)) {
                shown = evidence;
                shownContainer = lead.diagnosis().container();
                shownFinding = finding != null;
            }
            services.add(new OutageMessage.ServiceStops(lead.event(), lead.diagnosis(), lead.plan().crashCount(),
                    notices.stream().map(n -> n.event().taskId()).toList(), finding));
        }
        return OutageMessage.build(group.lead().reachability(), group.lead().plan().severity(), services, shown, shownContainer);
    }

    private TaskStopMessage.LogEvidence evidence(Notice lead, InvocationDeadline deadline) {
        return logs.evidence(lead.event(), lead.diagnosis().container(), lead.facts(), settings.logLines(), deadline.keeping(TIME_TO_TELL));
    }

    private String logFinding(TaskStopMessage.LogEvidence evidence) {
        return evidence == null || evidence.lines() == null ? null : settings.datacenter().connectionFailure(evidence.lines()).orElse(null);
    }
}

package tidewatch.vpn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import tidewatch.aws.AwsClients;
import tidewatch.ecs.OutageStops;
import tidewatch.json.Json;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.notify.Message;
import tidewatch.notify.NotificationFailedException;
import tidewatch.notify.Notifier;
import tidewatch.notify.Silence;

/**
 * Responds to CloudWatch alarms on the datacenter VPN (AWS/VPN TunnelState, and the keepalive's reachability
 * metrics) delivered by SNS, EventBridge or the alarm's Lambda action: reads the tunnels once, decides, runs the
 * automatic responses, notifies. Any other alarm, or an unreadable payload, is still notified.
 *
 * <p>Everything happens inside the invocation's deadline: the reads and responses of an alarm stop early enough to
 * leave the notification its time ({@link CallTimeouts}), so an alarm is told with what could be read even while
 * EC2 or Lambda hang.
 *
 * <p>The invocation fails when a message could not be delivered on any channel, so that Lambda retries it and an
 * alarm is never lost silently.
 */
public final class VpnAlarmFunction implements RequestStreamHandler, Resource {
    static final String OUTAGE_STOPS_FIELD = "Services stopped during the outage";
    private final AwsClients aws; // for SnapStart priming; null when built from hand-made parts (tests)
    private final TunnelTelemetrySource telemetry;
    private final Responder responder;
    private final Notifier notifier;
    private final VpnAlarmSettings config;
    private final Clock clock;
    private final OutageStops outageStops;
    private final KeepaliveUnreachableTag keepaliveTag;

    public VpnAlarmFunction() {
        this(VpnAlarmParts.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    VpnAlarmFunction(VpnAlarmParts parts) {
        this.telemetry = parts.telemetry();
        this.responder = parts.responder();
        this.notifier = parts.notifier();
        this.config = parts.settings();
        this.clock = parts.clock();
        this.aws = parts.aws();
        this.outageStops = parts.outageStops();
        this.keepaliveTag = parts.keepaliveTag();
    }

    /** SnapStart: warms the function's code paths before the snapshot, sending nothing ({@link VpnAlarmPriming}). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        VpnAlarmPriming.prime(aws, telemetry, responder, notifier, config);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: the webhook is read on first use and credentials refresh themselves
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Log.startInvocation(context);
        InvocationDeadline deadline = InvocationDeadline.of(context);
        notifier.beginInvocation(deadline);
        String payload = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        List<Object> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        InvocationLimit limit = new InvocationLimit();
        List<ParsedEvent> events = AlarmParser.parse(payload);
        if (!events.isEmpty()) {
            notifier.prepare(); // most events are told: the webhook's URL is read while they are assessed (once a container)
        }
        for (ParsedEvent event : events) {
            try {
                results.add(handle(event, clock.instant(), CallTimeouts.forWork(deadline), limit));
            } catch (NotificationFailedException e) {
                // Keep going so the other records are still delivered, then fail the invocation below.
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new NotificationFailedException(String.join("; ", failures));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("results", results);
        output.write(Json.write(summary).getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    /** {@code work}: the deadline of the event's reads and responses, before its notification. */
    private Map<String, Object> handle(ParsedEvent event, Instant now, InvocationDeadline work, InvocationLimit limit) {
        if (event instanceof ParsedEvent.Ignored ignored) {
            Log.debug("event ignored", "event", ignored.what());
            return new VpnAlarmPlan.Skip(ignored.what(), "not an alarm state change").summary();
        }
        if (event instanceof ParsedEvent.TunnelCheck check) {
            Log.info("tunnel check", "schedule", check.rule());
            Map<String, VpnTelemetry> telemetry = read(VpnAlarmDecision.vpnsToCheck(config), work);
            return execute(VpnAlarmDecision.tunnelCheck(config, telemetry, now), null, work, limit, silence(telemetry, now));
        }
        if (event instanceof ParsedEvent.Unrecognised unrecognised) {
            Log.warn("unrecognised payload", "problem", unrecognised.problem());
            return execute(VpnAlarmDecision.unrecognised(unrecognised), null, work, limit, Silence.NONE);
        }
        AlarmEvent change = ((ParsedEvent.Alarm) event).event();
        Log.info("alarm received", "alarm", change.alarmName(), "delivery", ((ParsedEvent.Alarm) event).delivery().name(),
                "oldState", String.valueOf(change.oldState()), "newState", change.newState().name());
        String tagged = keepaliveTag != null && AlarmScope.isKeepaliveAlarm(change, config)
                ? keepaliveTag.follow(change, config.vpnConnectionIds(), now, work) : null;
        Planned planned = plan(change, now, work);
        Map<String, Object> result = execute(withOutageStops(planned.plan(), change, now, work), change, work, limit, planned.silence());
        if (tagged != null) {
            result.put("keepaliveTag", tagged);
        }
        return result;
    }

    /**
     * A datacenter alarm ({@link AlarmScope#isDatacenterAlarm}: TunnelState, or the keepalive's metrics) that clears lists the services that stopped abnormally
     * while it was in ALARM, and whether they are back, so people know whether anything still needs them. From the
     * alarm's own times: since it entered ALARM (the last hour when the delivery shape does not say).
     */
    private VpnAlarmPlan withOutageStops(VpnAlarmPlan plan, AlarmEvent change, Instant now, InvocationDeadline work) {
        if (!(plan instanceof VpnAlarmPlan.Notify notify) || !AlarmScope.isDatacenterAlarm(change, config) || change.newState() != AlarmState.OK
                || change.oldState() != AlarmState.ALARM || !outageStops.watchesClusters()) {
            return plan;
        }
        Instant to = change.stateChangeTime() == null ? now : change.stateChangeTime();
        Instant from = change.previousStateTime() == null ? to.minus(Duration.ofHours(1)) : change.previousStateTime();
        return notify.withFact(new Message.Field(OUTAGE_STOPS_FIELD, outageStops.describe(from, to, work)));
    }

    private Map<String, VpnTelemetry> read(List<String> vpnIds, InvocationDeadline work) {
        return vpnIds.isEmpty() ? Map.of() : telemetry.withEvidence(telemetry.read(vpnIds, work), config, work);
    }

    /** An alarm's plan, and the silence its VPN connections' tags hold ({@link Silence#NONE} when unread). */
    private record Planned(VpnAlarmPlan plan, Silence silence) {}

    private Planned plan(AlarmEvent change, Instant now, InvocationDeadline work) {
        try {
            Map<String, VpnTelemetry> telemetry = read(VpnAlarmDecision.vpnsToRead(change, config), work);
            return new Planned(VpnAlarmDecision.decide(change, config, telemetry, now), silence(telemetry, now));
        } catch (RuntimeException e) {
            // A bug here must not cost the alarm: people get it without the assessment.
            Log.error("cannot assess alarm", "alarm", change.alarmName(), "error", e);
            return new Planned(VpnAlarmDecision.unassessed(change, e.getClass().getSimpleName() + ": " + e.getMessage()), Silence.NONE);
        }
    }

    /**
     * The silence on the VPN connections a message is about ({@link Silence#TAG}, in the same DescribeVpnConnections
     * answer): silenced only when every one of them is; a connection that could not be read is not silenced.
     */
    static Silence silence(Map<String, VpnTelemetry> telemetry, Instant now) {
        return Silence.all(telemetry.values().stream()
                .map(read -> read instanceof VpnTelemetry.Available available
                        ? Silence.of("VPN " + read.vpnId(), available.status().tags(), now) : Silence.NONE)
                .toList());
    }

    /** Runs the plan's responses and tells people, unless {@code silence} holds the message back (responses run all the same). */
    private Map<String, Object> execute(VpnAlarmPlan plan, AlarmEvent change, InvocationDeadline work,
            InvocationLimit limit, Silence silence) {
        if (plan instanceof VpnAlarmPlan.Skip skip) {
            Log.info("no notification", "subject", skip.subject(), "reason", skip.reason());
            return skip.summary();
        }
        VpnAlarmPlan.Notify notify = (VpnAlarmPlan.Notify) plan;
        List<ResponseResult> results = new ArrayList<>();
        for (Response response : notify.responses()) {
            results.add(runSafely(limit.admit(response), work));
        }
        Message message = silence.noted(notify.message(results));
        List<String> channels;
        if (silence.active()) {
            silence.record(notify.key(), VpnAlarmPlan.SOURCE);
            channels = List.of();
        } else {
            channels = notifier.send(message);
        }
        Log.info("alarm handled", "alarm", change == null ? null : change.alarmName(), "key", notify.key(),
                "severity", notify.severity().wireName(), "actions", VpnAlarmPlan.Notify.describe(results));
        Map<String, Object> summary = new LinkedHashMap<>();
        if (change != null) {
            summary.put("alarm", change.alarmName());
            summary.put("state", change.newState().name());
        }
        summary.putAll(notify.summary(results, channels));
        if (silence.active()) {
            summary.put("silenced", silence.until().toString());
        }
        return summary;
    }

    private ResponseResult runSafely(Response response, InvocationDeadline work) {
        try {
            return responder.run(response, work);
        } catch (RuntimeException e) {
            Log.error("automatic response threw", "response", response.describe(), "error", e);
            return ResponseResult.failed(response, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}

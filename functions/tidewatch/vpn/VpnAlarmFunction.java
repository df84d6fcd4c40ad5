package tidewatch.vpn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.lambda.LambdaClient;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;
import tidewatch.json.Json;
import tidewatch.log.Log;
import tidewatch.notify.Message;
import tidewatch.notify.NotificationFailedException;
import tidewatch.notify.Notifier;

/**
 * Responds to CloudWatch alarms on the datacenter VPN (AWS/VPN TunnelState, and the keepalive's reachability
 * metrics) delivered by SNS, EventBridge or the alarm's Lambda action: reads the tunnels once, decides, runs the
 * automatic responses, notifies. Any other alarm, or an unreadable payload, is still notified.
 *
 * <p>The invocation fails when a message could not be delivered on any channel, so that Lambda retries it and an
 * alarm is never lost silently.
 */
public final class VpnAlarmFunction implements RequestStreamHandler, Resource {
    private AwsClients aws; // for SnapStart priming; null when built from parts (tests)
    private final TunnelTelemetrySource telemetry;
    private final Responder responder;
    private final Notifier notifier;
    private final VpnAlarmConfig config;
    private final Clock clock;

    public VpnAlarmFunction() {
        this(Settings.fromEnvironment(), AwsClients.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    VpnAlarmFunction(Settings settings, AwsClients aws) {
        this(VpnAlarmConfig.from(settings), aws, settings);
        this.aws = aws;
    }

    // The VPN settings are read before any SDK client is built, so a bad value fails init with its own message.
    private VpnAlarmFunction(VpnAlarmConfig config, AwsClients aws, Settings settings) {
        this(aws.ec2(), aws.lambda(), Notifier.fromSettings(settings, aws), config, Clock.systemUTC());
    }

    VpnAlarmFunction(Ec2Client ec2, LambdaClient lambda, Notifier notifier, VpnAlarmConfig config, Clock clock) {
        this(new Ec2TunnelTelemetry(ec2), new AwsResponder(ec2, lambda), notifier, config, clock);
    }

    VpnAlarmFunction(TunnelTelemetrySource telemetry, Responder responder, Notifier notifier, VpnAlarmConfig config,
                     Clock clock) {
        this.telemetry = telemetry;
        this.responder = responder;
        this.notifier = notifier;
        this.config = config;
        this.clock = clock;
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
        String payload = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        List<Object> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ParsedEvent event : AlarmParser.parse(payload)) {
            try {
                results.add(handle(event, clock.instant()));
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

    private Map<String, Object> handle(ParsedEvent event, Instant now) {
        if (event instanceof ParsedEvent.Ignored ignored) {
            Log.debug("event ignored", "event", ignored.what());
            return new Plan.Skip(ignored.what(), "not an alarm state change").summary();
        }
        if (event instanceof ParsedEvent.TunnelCheck check) {
            Log.info("tunnel check", "schedule", check.rule());
            List<String> vpnIds = VpnAlarmDecision.vpnsToCheck(config);
            Map<String, VpnTelemetry> read = vpnIds.isEmpty() ? Map.of() : telemetry.read(vpnIds);
            return execute(VpnAlarmDecision.tunnelCheck(config, read, now), null);
        }
        if (event instanceof ParsedEvent.Unrecognised unrecognised) {
            Log.warn("unrecognised payload", "problem", unrecognised.problem());
            return execute(VpnAlarmDecision.unrecognised(unrecognised), null);
        }
        AlarmEvent change = ((ParsedEvent.Alarm) event).event();
        Log.info("alarm received", "alarm", change.alarmName(), "delivery", ((ParsedEvent.Alarm) event).delivery().name(),
                "oldState", String.valueOf(change.oldState()), "newState", change.newState().name());
        return execute(plan(change, now), change);
    }

    private Plan plan(AlarmEvent change, Instant now) {
        try {
            List<String> vpnIds = VpnAlarmDecision.vpnsToRead(change, config);
            Map<String, VpnTelemetry> read = vpnIds.isEmpty() ? Map.of() : telemetry.read(vpnIds);
            return VpnAlarmDecision.decide(change, config, read, now);
        } catch (RuntimeException e) {
            // A bug here must not cost the alarm: people get it without the assessment.
            Log.error("cannot assess alarm", "alarm", change.alarmName(), "error", e);
            return VpnAlarmDecision.unassessed(change, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Map<String, Object> execute(Plan plan, AlarmEvent change) {
        if (plan instanceof Plan.Skip skip) {
            Log.info("no notification", "subject", skip.subject(), "reason", skip.reason());
            return skip.summary();
        }
        Plan.Notify notify = (Plan.Notify) plan;
        List<ResponseResult> results = new ArrayList<>();
        for (Response response : notify.responses()) {
            results.add(runSafely(response));
        }
        Message message = notify.message(results);
        List<String> channels = notifier.send(message);
        Log.info("alarm handled", "alarm", change == null ? null : change.alarmName(), "key", notify.key(),
                "severity", notify.severity().wireName(), "actions", Plan.Notify.describe(results));
        Map<String, Object> summary = new LinkedHashMap<>();
        if (change != null) {
            summary.put("alarm", change.alarmName());
            summary.put("state", change.newState().name());
        }
        summary.putAll(notify.summary(results, channels));
        return summary;
    }

    private ResponseResult runSafely(Response response) {
        try {
            return responder.run(response);
        } catch (RuntimeException e) {
            Log.error("automatic response threw", "response", response.describe(), "error", e);
            return ResponseResult.failed(response, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}

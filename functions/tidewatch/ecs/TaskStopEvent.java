package tidewatch.ecs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import tidewatch.json.InvalidInputException;
import tidewatch.json.JsonObject;

/**
 * An EventBridge "ECS Task State Change" event, reduced to what the diagnosis and a restart need. The detail is an
 * ECS Task object (docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
 *
 * @param stoppedAt the stop's time ({@code detail.stoppedAt}, else the envelope's {@code time}), null when unknown
 * @param version   the task's {@code detail.version}: with the task ARN it identifies one state change, so a
 *                  duplicate delivery of the same change is recognised
 */
public record TaskStopEvent(
        String eventId,
        String region,
        String account,
        String taskArn,
        String clusterArn,
        String group,
        String taskDefinitionArn,
        String availabilityZone,
        String lastStatus,
        String stopCode,
        String stoppedReason,
        Instant stoppedAt,
        String launchType,
        String capacityProviderName,
        String platformVersion,
        long version,
        List<Container> containers,
        List<String> subnetIds,
        Map<String, Object> overrides) {

    public static final String DETAIL_TYPE = "ECS Task State Change";

    /** A container of the stopped task as the event reports it. */
    public record Container(String name, Integer exitCode, String reason, String lastStatus) {}

    public boolean isStopped() {
        return "STOPPED".equals(lastStatus);
    }

    public boolean isServiceTask() {
        return group != null && group.startsWith("service:");
    }

    /** "web" for group "service:web", "batch-job" for group "family:batch-job". */
    public String groupName() {
        return group == null ? "" : group.substring(group.indexOf(':') + 1);
    }

    public String taskId() {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    public String clusterName() {
        return clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
    }

    /** "web:42" from the task definition ARN. */
    public String taskDefinitionRevision() {
        return taskDefinitionArn.substring(taskDefinitionArn.lastIndexOf('/') + 1);
    }

    /**
     * "web" from the task definition ARN ".../task-definition/web:42": the family ECS's ListTasks {@code family} filter
     * matches, which is not the RunTask {@code group} (a standalone task may run in any group, "family:X" is only the
     * default).
     */
    public String taskDefinitionFamily() {
        String revision = taskDefinitionRevision();
        int colon = revision.lastIndexOf(':');
        return colon < 0 ? revision : revision.substring(0, colon);
    }

    /** Parses the EventBridge envelope; anything else is an {@link InvalidInputException} naming what is wrong. */
    public static TaskStopEvent fromEventBridge(JsonObject envelope) {
        if (!"aws.ecs".equals(envelope.string("source"))) {
            throw new InvalidInputException(envelope.path() + ".source: expected aws.ecs, got " + quote(envelope.string("source")));
        }
        if (!DETAIL_TYPE.equals(envelope.string("detail-type"))) {
            throw new InvalidInputException(envelope.path() + ".detail-type: expected '" + DETAIL_TYPE + "', got "
                    + quote(envelope.string("detail-type")));
        }
        JsonObject detail = envelope.object("detail");
        List<Container> containers = detail.objects("containers").stream()
                .map(c -> new Container(c.requireString("name"), toInt(c.integer("exitCode")), c.string("reason"), c.string("lastStatus")))
                .toList();
        List<String> subnets = detail.objects("attachments").stream()
                .filter(a -> "eni".equalsIgnoreCase(a.string("type")) || "ElasticNetworkInterface".equals(a.string("type")))
                .flatMap(a -> a.objects("details").stream())
                .filter(d -> "subnetId".equals(d.string("name")) && d.string("value") != null)
                .map(d -> d.string("value"))
                .toList();
        Long version = detail.integer("version");
        return new TaskStopEvent(
                envelope.requireString("id"),
                envelope.string("region"),
                envelope.string("account"),
                arn(detail, "taskArn", ":task/"),
                arn(detail, "clusterArn", ":cluster/"),
                detail.string("group"),
                arn(detail, "taskDefinitionArn", ":task-definition/"),
                detail.string("availabilityZone"),
                detail.requireString("lastStatus"),
                detail.string("stopCode"),
                detail.string("stoppedReason"),
                knownTime(detail.string("stoppedAt")) != null ? knownTime(detail.string("stoppedAt")) : knownTime(envelope.string("time")),
                detail.string("launchType"),
                detail.string("capacityProviderName"),
                detail.string("platformVersion"),
                version == null ? 0 : version,
                containers,
                subnets,
                detail.object("overrides").asMap());
    }

    private static String arn(JsonObject detail, String key, String marker) {
        String value = detail.requireString(key);
        if (!value.startsWith("arn:") || !value.contains(marker)) {
            throw new InvalidInputException(detail.path() + "." + key + ": not an ECS ARN");
        }
        return value;
    }

    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * An ISO-8601 time, or null when it is missing, unreadable or outside 1970..9999 (where time arithmetic and the
     * SDK's epoch times overflow): such a stop is still told, with its time unknown.
     */
    static Instant knownTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            Instant time = Instant.parse(value);
            return time.isBefore(EARLIEST) || time.isAfter(LATEST) ? null : time;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer toInt(Long value) {
        return value == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + (value.length() > 60 ? value.substring(0, 60) + "..." : value) + "'";
    }
}

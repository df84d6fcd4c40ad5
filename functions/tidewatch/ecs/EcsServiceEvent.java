package tidewatch.ecs;

import java.time.Instant;
import java.util.List;
import tidewatch.json.InvalidInputException;
import tidewatch.json.Json;
import tidewatch.json.JsonObject;

/**
 * An EventBridge event about a service, a deployment or a container instance rather than a task: "ECS Service Action"
 * (docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html), "ECS Deployment State Change"
 * (ecs_service_deployment_events.html) or "ECS Container Instance State Change" (ecs_container_instance_events.html).
 * Parsed leniently: a member missing or of the wrong type leaves it null and the event's {@link #kind} says what is
 * wrong, so that the event is told, quoted raw, instead of failing the batch it came in.
 *
 * @param problem what made the event unreadable (then {@link #kind} is UNKNOWN), or null
 * @param raw     the event as it came, compact, for quoting
 */
public record EcsServiceEvent(
        String detailType,
        String eventId,
        String region,
        Instant time,
        String eventType,
        String eventName,
        String clusterArn,
        String serviceArn,
        String reason,
        String deploymentId,
        String containerInstanceArn,
        String ec2InstanceId,
        Boolean agentConnected,
        String status,
        String problem,
        String raw) {

    public static final String SERVICE_ACTION = "ECS Service Action";
    public static final String DEPLOYMENT_STATE_CHANGE = "ECS Deployment State Change";
    public static final String CONTAINER_INSTANCE_STATE_CHANGE = "ECS Container Instance State Change";
    static final List<String> DETAIL_TYPES = List.of(SERVICE_ACTION, DEPLOYMENT_STATE_CHANGE, CONTAINER_INSTANCE_STATE_CHANGE);

    /** Whether this envelope is one of the events parsed here (else it is a task state change, or invalid). */
    static boolean isServiceEvent(JsonObject envelope) {
        Object type = envelope.asMap().get("detail-type");
        return "aws.ecs".equals(envelope.asMap().get("source")) && type instanceof String name && DETAIL_TYPES.contains(name);
    }

    /** Never throws on a member: what cannot be read is named in {@link #problem}. */
    static EcsServiceEvent fromEventBridge(JsonObject envelope) {
        String raw = Json.write(envelope.asMap());
        try {
            String detailType = envelope.requireString("detail-type");
            JsonObject detail = envelope.object("detail");
            String clusterArn = detail.string("clusterArn");
            String serviceArn = null;
            String containerInstanceArn = null;
            List<String> resources = envelope.strings("resources");
            for (String resource : resources) {
                if (resource.contains(":service/")) {
                    serviceArn = resource;
                } else if (resource.contains(":container-instance/")) {
                    containerInstanceArn = resource;
                }
            }
            if (detail.string("containerInstanceArn") != null) {
                containerInstanceArn = detail.string("containerInstanceArn");
            }
            if (clusterArn == null && serviceArn != null) {
                clusterArn = clusterOfService(serviceArn);
            }
            String eventName = detail.string("eventName");
            String problem = null;
            boolean instanceEvent = CONTAINER_INSTANCE_STATE_CHANGE.equals(detailType);
            if (!instanceEvent && eventName == null) {
                problem = "no detail.eventName";
            } else if (!instanceEvent && serviceArn == null) {
                problem = "no service ARN in resources";
            } else if (instanceEvent && containerInstanceArn == null) {
                problem = "no detail.containerInstanceArn";
            } else if (clusterArn == null || !clusterArn.contains(":cluster/")) {
                problem = "no cluster ARN in detail.clusterArn or in the service's ARN";
            }
            return new EcsServiceEvent(detailType, envelope.string("id"), envelope.string("region"),
                    TaskStopEvent.knownTime(envelope.string("time")), detail.string("eventType"), eventName, clusterArn,
                    serviceArn, detail.string("reason"), detail.string("deploymentId"), containerInstanceArn,
                    detail.string("ec2InstanceId"), detail.bool("agentConnected"), detail.string("status"), problem, raw);
        } catch (InvalidInputException e) {
            return new EcsServiceEvent(String.valueOf(envelope.asMap().get("detail-type")), null, null, null, null, null, null, null,
                    null, null, null, null, null, null, e.getMessage(), raw);
        }
    }

    /**
     * "arn:aws:ecs:us-east-1:1:cluster/AppsProd" from "arn:aws:ecs:us-east-1:1:service/AppsProd/registry-certs" (the
     * long ARN format, ECS's only format since 2021); null for a short ARN, which names no cluster.
     */
    static String clusterOfService(String serviceArn) {
        int at = serviceArn.indexOf(":service/");
        String path = serviceArn.substring(at + ":service/".length());
        int slash = path.indexOf('/');
        return slash <= 0 ? null : serviceArn.substring(0, at) + ":cluster/" + path.substring(0, slash);
    }

    public EcsServiceEventKind kind() {
        return EcsServiceEventKind.of(this);
    }

    /** "registry-certs", from the service ARN; null when there is none. */
    public String serviceName() {
        return serviceArn == null ? null : serviceArn.substring(serviceArn.lastIndexOf('/') + 1);
    }

    public String clusterName() {
        return clusterArn == null ? null : clusterArn.substring(clusterArn.lastIndexOf('/') + 1);
    }

    /** The container instance's id, the last part of its ARN. */
    public String containerInstanceId() {
        return containerInstanceArn == null ? null : containerInstanceArn.substring(containerInstanceArn.lastIndexOf('/') + 1);
    }

    /** The region of the event, else of its cluster's ARN. */
    public String regionCode() {
        return tidewatch.console.RegionNames.code(region).orElseGet(() -> clusterArn == null ? null
                : tidewatch.console.RegionNames.fromArn(clusterArn));
    }
}

package tidewatch.ecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import tidewatch.console.ConsoleLinks;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;

/** Builds the message about a group of service, deployment or container-instance events. Pure. */
final class EcsServiceEventMessage {
    /** The longest raw event quoted, in characters; each channel truncates further to its own limits. */
    static final int MAX_RAW = 3000;

    /**
     * What was read about the group's service or instance; any member may be null when it was not read or could not be.
     *
     * @param service         the service's record (DescribeServices), for service events
     * @param capacity        for a placement failure: what the task needs and what the instances have left
     * @param failedTaskDefinition / rolledBackTo: for a failed deployment, from the service's deployments
     * @param stopCauses      for a failed deployment: its stopped tasks' causes, with counts ("crash: 3")
     * @param instanceTasks   for a container instance: the tasks ECS still places on it
     * @param shortServices   for a container instance: the services with a task on it, as ECS records them
     * @param unreadable      the reads that failed, named by their call
     * @param note            what else people should know (a fold, a repeat count), or null
     */
    record Facts(ServiceRecord service, PlacementCapacity capacity, String failedTaskDefinition, String rolledBackTo,
                 Map<String, Integer> stopCauses, Integer instanceTasks, List<ServiceRecord> shortServices, List<String> unreadable,
                 String note) {}

    private EcsServiceEventMessage() {}

    static String key(EcsServiceEvent event) {
        EcsServiceEventKind kind = event.kind();
        String kindName = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (kind == EcsServiceEventKind.UNKNOWN) {
            return "ecs/unknown-event/" + (event.eventName() != null ? event.eventName() : event.detailType());
        }
        if (kind.aboutService()) {
            return "ecs/" + event.clusterName() + "/service:" + event.serviceName() + "/" + kindName;
        }
        return "ecs/" + event.clusterName() + "/instance:" + event.containerInstanceId() + "/" + kindName;
    }

    /**
     * @param lead   the group's latest event, which speaks for it
     * @param events how many events of the group this batch brought
     */
    static Message build(EcsServiceEvent lead, int events, Severity severity, Facts facts) {
        EcsServiceEventKind kind = lead.kind();
        List<Message.Field> fields = new ArrayList<>();
        List<Message.Link> links = new ArrayList<>();
        String region = lead.regionCode();
        String title;
        String summary;
        Message.Evidence evidence = null;
        if (kind == EcsServiceEventKind.UNKNOWN) {
            title = "Unknown ECS event: " + (lead.eventName() != null ? lead.eventName() : lead.detailType());
            summary = "ECS sent an event Tidewatch does not know" + (lead.problem() != null ? " or cannot read (" + lead.problem() + ")" : "")
                    + "; it is quoted raw below. Nothing was done about it.";
            field(fields, "Cluster", lead.clusterName());
            field(fields, "Event name", lead.eventName());
            field(fields, "Event type", lead.eventType());
            evidence = new Message.Evidence("The event as ECS sent it", List.of(lead.raw().length() > MAX_RAW
                    ? lead.raw().substring(0, MAX_RAW) + "... (" + lead.raw().length() + " characters)" : lead.raw()));
        } else if (kind.aboutService()) {
            title = "Service " + lead.serviceName() + " in " + lead.clusterName() + ": " + kind.plainWords();
            summary = serviceSummary(kind, lead, facts);
            field(fields, "Cluster", lead.clusterName());
            field(fields, "Service", lead.serviceName());
            fields.add(new Message.Field("Tasks", tasks(facts.service())));
            field(fields, "Event", lead.eventName());
            field(fields, "Reason", lead.reason());
            if (kind == EcsServiceEventKind.DEPLOYMENT_FAILED) {
                field(fields, "Deployment", lead.deploymentId());
                boolean known = facts.service() != null && facts.service() != ServiceRecord.MISSING;
                fields.add(new Message.Field("Failed task definition", or(facts.failedTaskDefinition(),
                        known ? "unknown: ECS no longer lists the deployment" : "unknown: the service could not be read")));
                fields.add(new Message.Field("Rolled back to", or(facts.rolledBackTo(),
                        known ? "no rollback: the failed deployment is still the service's primary" : "unknown: the service could not be read")));
                if (facts.stopCauses() != null) {
                    fields.add(new Message.Field("Stopped tasks of the deployment", facts.stopCauses().isEmpty() ? "none in ECS's record (kept about an hour)"
                            : facts.stopCauses().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining("; "))));
                }
            }
            if (facts.capacity() != null) {
                PlacementCapacity c = facts.capacity();
                fields.add(new Message.Field("Task needs", (c.needMemoryMiB() == null ? "unknown memory" : c.needMemoryMiB() + " MiB memory")
                        + (c.needCpu() == null ? "" : ", " + c.needCpu() + " CPU units")));
                if (c.instances() != null) {
                    fields.add(new Message.Field("Free on the ACTIVE instances", c.instances().isEmpty() ? "no ACTIVE instance"
                            : c.instances().stream().map(i -> i.name() + (i.agentConnected() ? "" : " (agent disconnected)") + ": "
                                    + (i.freeMemoryMiB() == null ? "?" : i.freeMemoryMiB()) + " MiB, "
                                    + (i.freeCpu() == null ? "?" : i.freeCpu()) + " CPU, " + i.runningTasks() + (i.runningTasks() == 1 ? " task" : " tasks")).collect(Collectors.joining("; "))));
                }
            }
            field(fields, "Latest service event", EcsServiceEventDecision.latestEvent(facts.service()));
            if (region != null) {
                links.add(new Message.Link("Service in the ECS console", ConsoleLinks.ecsService(region, lead.clusterName(), lead.serviceName())));
            }
        } else {
            String instance = lead.ec2InstanceId() != null ? lead.ec2InstanceId() : lead.containerInstanceId();
            title = "Container instance " + instance + " in " + lead.clusterName() + ": "
                    + (kind == EcsServiceEventKind.INSTANCE_DISCONNECTED ? "its ECS agent disconnected" : "draining");
            summary = kind == EcsServiceEventKind.INSTANCE_DISCONNECTED
                    ? "ECS cannot reach the agent on this instance (still disconnected when Tidewatch read ECS's record of it): it places "
                    + "no new task there, and its tasks' state is unknown until the agent reconnects."
                    : "ECS is moving the tasks off this instance, and a service on it runs fewer tasks than it wants. If nobody drained "
                    + "it on purpose (an instance refresh, a scale-in), look at who did; either way, check that the other instances have room.";
            field(fields, "Cluster", lead.clusterName());
            field(fields, "Container instance", lead.containerInstanceId());
            field(fields, "EC2 instance", lead.ec2InstanceId());
            field(fields, "Status", lead.status());
            fields.add(new Message.Field("Tasks on it", facts.instanceTasks() == null ? "unknown" : facts.instanceTasks().toString()));
            if (facts.shortServices() != null) {
                fields.add(new Message.Field("Services losing a copy", facts.shortServices().isEmpty() ? "none"
                        : facts.shortServices().stream().map(s -> s.name() + " (" + tasks(s) + ")").collect(Collectors.joining("; "))));
            }
        }
        if (events > 1) {
            fields.add(new Message.Field("Events of this kind in this batch", Integer.toString(events)));
        }
        field(fields, "Note", facts.note());
        if (facts.unreadable() != null && !facts.unreadable().isEmpty()) {
            fields.add(new Message.Field("Could not read", String.join("; ", facts.unreadable())));
        }
        fields.add(new Message.Field("Tidewatch did", "nothing automatic: told people"));
        return new Message(title, severity, summary, fields, links, evidence, key(lead), TaskStopMessage.SOURCE);
    }

    private static String serviceSummary(EcsServiceEventKind kind, EcsServiceEvent lead, Facts facts) {
        String state = facts.service() == null ? "" : EcsServiceEventDecision.belowDesired(facts.service())
                ? " The service runs " + facts.service().running() + " of its " + facts.service().desired() + " tasks." : "";
        return switch (kind) {
            case PLACEMENT_FAILURE, CONFIGURATION_FAILURE -> "ECS cannot place a new task of this service."
                    + state + " " + or(facts.capacity() == null ? null : facts.capacity().fix(lead.reason()), "ECS's reason: " + or(lead.reason(), "none given") + ".");
            case START_IMPAIRED -> "ECS reports that the service cannot start tasks consistently: its new tasks keep stopping." + state;
            case DEPLOYMENT_FAILED -> "The deployment failed (" + or(lead.reason(), "no reason given") + ")." + state;
            default -> "ECS reports: " + kind.plainWords() + "." + state;
        };
    }

    static String tasks(ServiceRecord service) {
        return service == null || service.desired() == null ? "unknown" : service.running() + " running of " + service.desired() + " desired"
                + (service.pending() != null && service.pending() > 0 ? ", " + service.pending() + " pending" : "");
    }

    private static void field(List<Message.Field> fields, String name, String value) {
        if (value != null) {
            fields.add(new Message.Field(name, value));
        }
    }

    private static String or(String value, String otherwise) {
        return value == null ? otherwise : value;
    }
}

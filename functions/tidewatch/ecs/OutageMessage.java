package tidewatch.ecs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tidewatch.console.ConsoleLinks;
import tidewatch.console.RegionNames;
import tidewatch.datacenter.Reachability;
import tidewatch.notify.Message;
import tidewatch.notify.Severity;

/**
 * The one message for the service stops that an unreachable datacenter explains ({@link DatacenterOutageRule}): the
 * likely cause first, then one line per service, with what its log shows. Pure.
 */
final class OutageMessage {
    /** Services listed by name; the rest are counted. */
    static final int MAX_LISTED_SERVICES = 20;
    /** Services whose lead task gets a console link. */
    static final int MAX_LINKED_SERVICES = 5;

    /**
     * One service's linked stops in this invocation.
     *
     * @param logFinding what its lead stop's log shows ("a connection timeout to 10.20.1.5:1433"), or null
     */
    record ServiceStops(TaskStopEvent lead, Diagnosis diagnosis, CrashLoop.Count crashCount, List<String> taskIds, String logFinding) {}

    private OutageMessage() {}

    /** The linked notices by service (cluster and group), each led by its loudest stop; in the order they came. */
    static Map<String, List<TaskStopGroups.Notice>> byService(List<TaskStopGroups.Notice> notices) {
        Map<String, List<TaskStopGroups.Notice>> services = new LinkedHashMap<>();
        for (TaskStopGroups.Notice notice : notices) {
            services.computeIfAbsent(notice.event().clusterArn() + "|" + notice.event().group(), k -> new ArrayList<>()).add(notice);
        }
        return services;
    }

    static Message build(Reachability reachability, Severity severity, List<ServiceStops> services, TaskStopMessage.LogEvidence evidence,
                         String evidenceContainer) {
        int stops = services.stream().mapToInt(s -> s.taskIds().size()).sum();
        String title = "Datacenter unreachable: " + services.size() + (services.size() == 1 ? " service" : " services")
                + " stopped abnormally (" + stops + (stops == 1 ? " task" : " tasks") + ")";
        String summary = "Likely cause: " + reachability.likelyCause() + ". The apps open their datacenter connections at "
                + "start-up and exit without them, so ECS's replacements fail too until the VPN is back; the VPN alarm's "
                + "message is the critical one. Further crash-loop milestones of these services are not sent while the "
                + "datacenter stays unreachable.";
        List<Message.Field> fields = new ArrayList<>();
        fields.add(new Message.Field("Datacenter", reachability.describe()));
        for (ServiceStops service : services.subList(0, Math.min(services.size(), MAX_LISTED_SERVICES))) {
            fields.add(new Message.Field("Service " + service.lead().groupName() + " in " + service.lead().clusterName(), line(service)));
        }
        if (services.size() > MAX_LISTED_SERVICES) {
            fields.add(new Message.Field("More services", (services.size() - MAX_LISTED_SERVICES) + " more not listed"));
        }
        fields.add(new Message.Field("Tidewatch did", "None: ECS starts replacements for service tasks itself."));
        List<Message.Link> links = new ArrayList<>();
        for (ServiceStops service : services.subList(0, Math.min(services.size(), MAX_LINKED_SERVICES))) {
            String region = TaskStopMessage.region(service.lead());
            if (region != null) {
                links.add(new Message.Link(service.lead().groupName() + " task in the ECS console",
                        ConsoleLinks.ecsTask(region, service.lead().clusterName(), service.lead().taskId())));
            }
        }
        Message.Evidence lines = null;
        if (evidence != null && evidence.lines() != null && !evidence.lines().isEmpty()) {
            lines = new Message.Evidence("Last " + evidence.lines().size() + " log lines of " + evidenceContainer, evidence.lines());
            String logRegion = evidence.region() == null ? null : RegionNames.code(evidence.region()).orElse(null);
            if (logRegion != null) {
                links.add(new Message.Link("Container log stream", ConsoleLinks.logStream(logRegion, evidence.group(), evidence.stream())));
            }
        }
        return new Message(title, severity, summary, fields, links, lines, DatacenterOutageRule.OUTAGE_KEY, TaskStopMessage.SOURCE);
    }

    private static String line(ServiceStops service) {
        StringBuilder line = new StringBuilder(service.diagnosis().cause().plainWords());
        line.append("; ").append(service.taskIds().size()).append(service.taskIds().size() == 1 ? " task" : " tasks")
                .append(" (").append(String.join(", ", service.taskIds().subList(0, Math.min(5, service.taskIds().size()))))
                .append(service.taskIds().size() > 5 ? ", ..." : "").append(")");
        if (service.crashCount().inWindow() > 1) {
            line.append("; ").append(service.crashCount().inWindow()).append(" abnormal stops in the crash-loop window");
        }
        if (service.logFinding() != null) {
            line.append("; the log shows ").append(service.logFinding());
        }
        return line.toString();
    }
}

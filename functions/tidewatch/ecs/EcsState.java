package tidewatch.ecs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.ContainerInstanceStatus;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.ListTasksRequest;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import tidewatch.aws.AwsClients;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;

/**
 * The reads of ECS state that a task-stop diagnosis needs: the task definition (cached per revision, as revisions
 * are immutable), ECS's record of the task with its tags, and the service's recently stopped tasks. Reads that only
 * enrich a message degrade to "unknown"; the tag read that decides a restart does not. Each call's timeout is cut to
 * the time the batch has left ({@link #startBatch}).
 */
final class EcsState {
    private static final int MAX_STOPPED_TASK_PAGES = 3;

    private final EcsClient ecs;
    private final Map<String, TaskDefinitionFacts> taskDefinitions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Instant>> stoppedByService = new HashMap<>();
    private final Map<String, EcsTaskRecord> tasksByArn = new HashMap<>();
    private InvocationDeadline deadline = InvocationDeadline.unbounded();

    public EcsState(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** The timeout of the next call: its own, or what the batch has left; none is made without time left. */
    private Duration timeout() {
        return AwsClients.callTimeout(deadline.cap(AwsClients.API_CALL_TIMEOUT));
    }

    public TaskDefinitionFacts taskDefinition(String arn) {
        TaskDefinitionFacts cached = taskDefinitions.get(arn);
        if (cached != null) {
            return cached;
        }
        try {
            TaskDefinitionFacts facts = facts(describeTaskDefinition(arn));
            taskDefinitions.put(arn, facts);
            return facts;
        } catch (SdkException e) {
            Log.warn("task definition unreadable; treating every container as essential", "taskDefinition", arn, "error", e);
            return TaskDefinitionFacts.UNKNOWN;
        }
    }

    /** The bare call, which SnapStart priming ({@link EcsPriming}) makes too: so it primes the requests made here. */
    TaskDefinition describeTaskDefinition(String arn) {
        return ecs.describeTaskDefinition(r -> r.taskDefinition(arn).overrideConfiguration(o -> o.apiCallTimeout(timeout())))
                .taskDefinition();
    }

    static TaskDefinitionFacts facts(TaskDefinition definition) {
        Map<String, TaskDefinitionFacts.ContainerFacts> containers = new HashMap<>();
        for (ContainerDefinition container : definition.containerDefinitions()) {
            Integer memory = container.memory() != null ? container.memory() : container.memoryReservation();
            String group = null;
            String prefix = null;
            String region = null;
            if (container.logConfiguration() != null && container.logConfiguration().logDriver() == LogDriver.AWSLOGS) {
                Map<String, String> options = container.logConfiguration().options();
                group = options.get("awslogs-group");
                prefix = options.get("awslogs-stream-prefix");
                region = options.get("awslogs-region");
            }
            containers.put(container.name(), new TaskDefinitionFacts.ContainerFacts(
                    container.essential() == null || container.essential(), memory, group, prefix, region));
        }
        Integer taskMemory = null;
        if (definition.memory() != null && definition.memory().matches("[0-9]+")) {
            taskMemory = Integer.parseInt(definition.memory());
        }
        return new TaskDefinitionFacts(containers, taskMemory);
    }

    /**
     * ECS's record of the task, or null when ECS no longer knows it. Read ahead for a whole batch by
     * {@link #readTasks}; a task not read ahead is read alone. Failures propagate: a restart depends on them.
     */
    EcsTaskRecord task(String cluster, String taskArn) {
        if (tasksByArn.containsKey(taskArn)) {
            return tasksByArn.get(taskArn);
        }
        readTasks(cluster, List.of(taskArn));
        return tasksByArn.get(taskArn);
    }

    /** Reads the records and tags of many tasks of one cluster, 100 to a DescribeTasks call (its limit). */
    void readTasks(String cluster, List<String> taskArns) {
        for (int start = 0; start < taskArns.size(); start += 100) {
            List<String> chunk = taskArns.subList(start, Math.min(taskArns.size(), start + 100));
            DescribeTasksResponse response = ecs.describeTasks(r -> r.cluster(cluster).tasks(chunk).include(TaskField.TAGS)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout())));
            chunk.forEach(arn -> tasksByArn.put(arn, null));
            for (Task task : response.tasks()) {
                tasksByArn.put(task.taskArn(), record(task));
            }
        }
    }

    static EcsTaskRecord record(Task task) {
        Map<String, String> tags = new LinkedHashMap<>();
        task.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        List<String> subnets = task.attachments().stream()
                .filter(a -> "ElasticNetworkInterface".equals(a.type()) || "eni".equalsIgnoreCase(a.type()))
                .flatMap(a -> a.details().stream())
                .filter(d -> "subnetId".equals(d.name()) && d.value() != null)
                .map(KeyValuePair::value)
                .toList();
        return new EcsTaskRecord(task.taskArn(), task.clusterArn(), task.lastStatus(), task.stoppedAt(), task.taskDefinitionArn(),
                task.group(), task.launchTypeAsString(), task.capacityProviderName(), task.platformVersion(), subnets,
                overrides(task.overrides()), tags);
    }

    /** The SDK's overrides in the JSON shape of RunTask's TaskOverride, only the members a restart replays. */
    private static Map<String, Object> overrides(TaskOverride overrides) {
        Map<String, Object> map = new LinkedHashMap<>();
        List<Object> containers = new ArrayList<>();
        if (overrides != null) {
            for (ContainerOverride c : overrides.containerOverrides()) {
                Map<String, Object> container = new LinkedHashMap<>();
                container.put("name", c.name());
                if (c.hasCommand()) {
                    container.put("command", c.command());
                }
                if (c.hasEnvironment()) {
                    container.put("environment", c.environment().stream()
                            .map(e -> Map.<String, Object>of("name", e.name(), "value", e.value() == null ? "" : e.value())).toList());
                }
                container.put("cpu", c.cpu());
                container.put("memory", c.memory());
                container.put("memoryReservation", c.memoryReservation());
                containers.add(container);
            }
            map.put("cpu", overrides.cpu());
            map.put("memory", overrides.memory());
            map.put("taskRoleArn", overrides.taskRoleArn());
            map.put("executionRoleArn", overrides.executionRoleArn());
        }
        map.put("containerOverrides", containers);
        return EcsTaskRecord.replayable(map);
    }

    /**
     * Forgets what the last batch read, since each batch reads ECS's record of stopped tasks and tags afresh, and
     * keeps the batch's deadline: no call outlasts it.
     */
    public void startBatch(InvocationDeadline deadline) {
        this.deadline = deadline;
        stoppedByService.clear();
        tasksByArn.clear();
    }

    /**
     * When the recent abnormal stops of the task's group (a service, or a family of standalone tasks) happened, from
     * ECS's record of stopped tasks (kept about an hour), read once per group per batch so that a storm of 500 stops
     * makes a handful of calls, not 500, by task ARN. The stop being handled is included when its time is known. On a
     * read failure only the stops seen in this batch are counted.
     */
    Map<String, Instant> abnormalStops(TaskStopEvent event) {
        Map<String, Instant> stops = stoppedByService.computeIfAbsent(event.clusterArn() + "|" + event.group(), k -> readAbnormalStops(
                event.clusterArn(), event.group(), token -> listStoppedTasks(event, token), event.eventId(), event.region(), event.account()));
        if (event.stoppedAt() != null) { // an unknown time leaves ECS's own time of the stop, if it has one
            stops.put(event.taskArn(), event.stoppedAt());
        }
        return new HashMap<>(stops);
    }

    /**
     * The same for a service named by an ECS service event: the same record, read once per batch, with the stops this
     * batch's task events brought, so that both count alike.
     */
    Map<String, Instant> serviceAbnormalStops(String cluster, String service, String eventId, String region) {
        return new HashMap<>(stoppedByService.computeIfAbsent(cluster + "|service:" + service, k -> readAbnormalStops(cluster,
                "service:" + service, token -> listStoppedServiceTasks(cluster, service, token), eventId, region, null)));
    }

    private Map<String, Instant> readAbnormalStops(String cluster, String group, Function<String, ListTasksResponse> list, String eventId,
                                                   String region, String account) {
        Map<String, Instant> stops = new HashMap<>();
        try {
            for (Task task : stoppedTasks(cluster, list)) {
                TaskStopEvent stopped = fromTask(task, eventId, region, account);
                if (stopped.stoppedAt() != null && group.equals(stopped.group())
                        && TaskStopClassifier.classify(stopped, taskDefinition(stopped.taskDefinitionArn())).abnormal()) {
                    stops.put(stopped.taskArn(), stopped.stoppedAt());
                }
            }
        } catch (SdkException e) {
            Log.warn("stopped tasks unreadable; counting only the stops of this batch", "group", group, "error", e);
        }
        return stops;
    }

    private ListTasksResponse listStoppedServiceTasks(String cluster, String service, String token) {
        return listStopped(cluster, token, r -> r.serviceName(service));
    }

    /**
     * ECS's records of the stopped tasks that {@code list} pages through (ListTasks, by continuation token), at most
     * {@link #MAX_STOPPED_TASK_PAGES} pages of 100, each page read back with one DescribeTasks.
     */
    List<Task> stoppedTasks(String cluster, Function<String, ListTasksResponse> list) {
        List<Task> stopped = new ArrayList<>();
        String token = null;
        int page = 0;
        do {
            ListTasksResponse listed = list.apply(token);
            if (!listed.taskArns().isEmpty()) {
                stopped.addAll(ecs.describeTasks(r -> r.cluster(cluster).tasks(listed.taskArns())
                        .overrideConfiguration(o -> o.apiCallTimeout(timeout()))).tasks());
            }
            token = listed.nextToken();
        } while (token != null && ++page < MAX_STOPPED_TASK_PAGES);
        return stopped;
    }

    /** DescribeServices takes at most this many services a call. */
    static final int MAX_SERVICES_PER_CALL = 10;

    /** ECS's records of up to {@link #MAX_SERVICES_PER_CALL} services of one cluster. */
    List<Service> services(String cluster, List<String> names) {
        return ecs.describeServices(r -> r.cluster(cluster).services(names).overrideConfiguration(o -> o.apiCallTimeout(timeout())))
                .services();
    }

    /** ECS's record of one service with its events and deployments ({@link ServiceRecord#MISSING} when ECS does not know it). */
    ServiceRecord service(String cluster, String name) {
        return serviceRecords(cluster, List.of(name)).stream().findFirst().orElse(ServiceRecord.MISSING);
    }

    /** ECS's records of up to {@link #MAX_SERVICES_PER_CALL} services of one cluster, as {@link ServiceRecord}s. */
    List<ServiceRecord> serviceRecords(String cluster, List<String> names) {
        return services(cluster, names).stream().map(EcsState::serviceRecord).toList();
    }

    static ServiceRecord serviceRecord(Service service) {
        Map<String, String> tags = new LinkedHashMap<>();
        service.tags().forEach(tag -> tags.put(tag.key(), tag.value() == null ? "" : tag.value()));
        return new ServiceRecord(service.serviceName(), service.desiredCount(), service.runningCount(), service.pendingCount(),
                service.taskDefinition(),
                service.events().stream().map(e -> new ServiceRecord.Event(e.createdAt(), e.message())).toList(),
                service.deployments().stream().map(d -> new ServiceRecord.Deployment(d.id(), d.status(), d.taskDefinition())).toList(),
                tags);
    }

    /**
     * What a task of this definition needs to be placed, as ECS's scheduler reserves it: the task-level memory and CPU
     * when set, else each container's {@code memoryReservation} (else its {@code memory}) and {@code cpu}, summed.
     */
    static PlacementCapacity.Needs placementNeeds(TaskDefinition definition) {
        Integer memory = number(definition.memory());
        Integer cpu = number(definition.cpu());
        if (memory == null) {
            memory = definition.containerDefinitions().stream()
                    .mapToInt(c -> c.memoryReservation() != null ? c.memoryReservation() : c.memory() != null ? c.memory() : 0).sum();
        }
        if (cpu == null) {
            int sum = definition.containerDefinitions().stream().mapToInt(c -> c.cpu() == null ? 0 : c.cpu()).sum();
            cpu = sum == 0 ? null : sum;
        }
        return new PlacementCapacity.Needs(memory, cpu);
    }

    private static Integer number(String value) {
        return value != null && value.matches("[0-9]{1,9}") ? Integer.parseInt(value) : null;
    }

    /** The needs of the task definition by ARN (a read, not cached: it is read for a placement failure only). */
    PlacementCapacity.Needs placementNeeds(String taskDefinitionArn) {
        return placementNeeds(describeTaskDefinition(taskDefinitionArn));
    }

    /** The cluster's ACTIVE container instances and what each has left (100 at most: one page, one call). */
    List<PlacementCapacity.Instance> activeContainerInstances(String cluster) {
        List<String> arns = ecs.listContainerInstances(r -> r.cluster(cluster).status(ContainerInstanceStatus.ACTIVE).maxResults(100)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout()))).containerInstanceArns();
        return arns.isEmpty() ? List.of() : ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(arns)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout()))).containerInstances().stream().map(EcsState::room).toList();
    }

    static PlacementCapacity.Instance room(ContainerInstance instance) {
        String arn = instance.containerInstanceArn();
        return new PlacementCapacity.Instance(instance.ec2InstanceId() != null ? instance.ec2InstanceId()
                : arn == null ? "unknown" : arn.substring(arn.lastIndexOf('/') + 1),
                remaining(instance.remainingResources(), "MEMORY"), remaining(instance.remainingResources(), "CPU"),
                instance.runningTasksCount() == null ? 0 : instance.runningTasksCount(),
                !Boolean.FALSE.equals(instance.agentConnected()));
    }

    /** ECS's record of one container instance: whether its agent is connected, and its status; null when ECS does not know it. */
    record InstanceState(boolean agentConnected, String status) {}

    InstanceState containerInstance(String cluster, String containerInstanceArn) {
        return ecs.describeContainerInstances(r -> r.cluster(cluster).containerInstances(containerInstanceArn)
                        .overrideConfiguration(o -> o.apiCallTimeout(timeout()))).containerInstances().stream()
                .map(i -> new InstanceState(!Boolean.FALSE.equals(i.agentConnected()), i.status()))
                .findFirst().orElse(null);
    }

    private static Integer remaining(List<Resource> resources, String name) {
        return resources.stream().filter(r -> name.equals(r.name()) && r.integerValue() != null).map(Resource::integerValue)
                .findFirst().orElse(null);
    }

    /** The groups ("service:web") of the tasks ECS still places on a container instance (100 at most). */
    List<String> taskGroupsOn(String cluster, String containerInstanceArn) {
        List<String> arns = ecs.listTasks(r -> r.cluster(cluster).containerInstance(containerInstanceArn).maxResults(100)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout()))).taskArns();
        return arns.isEmpty() ? List.of() : ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout()))).tasks().stream().map(Task::group).toList();
    }

    /**
     * A service's stopped tasks in the shape of stop events, as ECS keeps them (about an hour), up to
     * {@link #MAX_STOPPED_TASK_PAGES} pages; with {@code startedBy}, only those it started (a deployment's id).
     */
    List<TaskStopEvent> stoppedServiceTasks(String cluster, String service, String startedBy, String eventId, String region) {
        return stoppedTasks(cluster, token -> listStoppedServiceTasks(cluster, service, token))
                .stream().filter(t -> startedBy == null || startedBy.equals(t.startedBy()))
                .map(t -> fromTask(t, eventId, region, null)).toList();
    }

    /** A cluster's stopped tasks, whatever their group. */
    ListTasksResponse listStoppedTasks(String cluster, String token) {
        return listStopped(cluster, token, r -> { });
    }

    /** One page (100) of a cluster's stopped tasks, narrowed by {@code filter}: the one ListTasks of stopped tasks. */
    private ListTasksResponse listStopped(String cluster, String token, Consumer<ListTasksRequest.Builder> filter) {
        return ecs.listTasks(r -> {
            r.cluster(cluster).desiredStatus(DesiredStatus.STOPPED).maxResults(100).nextToken(token)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout()));
            filter.accept(r);
        });
    }

    /** The bare call, primed too. */
    ListTasksResponse listStoppedTasks(TaskStopEvent event, String token) {
        if (event.isServiceTask()) {
            return listStoppedServiceTasks(event.clusterArn(), event.groupName(), token);
        }
        // ListTasks filters "family" by the task definition's family, not by the RunTask group (ECS API reference,
        // ListTasks); the group is checked on each task read back.
        return listStopped(event.clusterArn(), token, r -> r.family(event.taskDefinitionFamily()));
    }

    /** ECS's record of a stopped task in the shape of a stop event, so that it is classified as events are. */
    static TaskStopEvent fromTask(Task task, TaskStopEvent context) {
        return fromTask(task, context.eventId(), context.region(), context.account());
    }

    static TaskStopEvent fromTask(Task task, String eventId, String region, String account) {
        List<TaskStopEvent.Container> containers = task.containers().stream()
                .map(c -> new TaskStopEvent.Container(c.name(), c.exitCode(), c.reason(), c.lastStatus()))
                .toList();
        return new TaskStopEvent(eventId, region, account, task.taskArn(), task.clusterArn(),
                task.group(), task.taskDefinitionArn(), task.availabilityZone(), task.lastStatus(), task.stopCodeAsString(),
                task.stoppedReason(), task.stoppedAt(), task.launchTypeAsString(), task.capacityProviderName(),
                task.platformVersion(), task.version() == null ? 0 : task.version(), containers, List.of(), Map.of());
    }
}

package tidewatch.ecs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskOverride;
import tidewatch.json.InvalidInputException;
import tidewatch.aws.AwsClients;
import tidewatch.aws.AwsErrors;
import tidewatch.aws.AwsFailure;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.json.JsonObject;

/** Makes the RunTask of a {@link RestartRequest} and reports what happened. */
final class TaskRestarter {
    private final EcsClient ecs;

    /** @param startedTaskArn the new task, or null; {@code retryable} when a later attempt may succeed */
    public record Outcome(String startedTaskArn, String failure, boolean retryable) {
        public boolean started() {
            return startedTaskArn != null;
        }
    }

    public TaskRestarter(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** Makes the RunTask within the deadline; without time left it is not made, and a later delivery tries again. */
    public Outcome restart(RestartRequest request, InvocationDeadline deadline) {
        RunTaskRequest runTask;
        try {
            runTask = runTaskRequest(request);
        } catch (InvalidInputException e) {
            // Overrides of the wrong shape: no later attempt can replay them, so this is reported, not retried.
            return new Outcome(null, "the event's overrides cannot be replayed: " + e.getMessage(), false);
        }
        try {
            RunTaskResponse response = ecs.runTask(runTask.toBuilder()
                    .overrideConfiguration(o -> o.apiCallTimeout(AwsClients.callTimeout(deadline.cap(AwsClients.API_CALL_TIMEOUT))))
                    .build());
            if (!response.tasks().isEmpty()) {
                return new Outcome(response.tasks().get(0).taskArn(), null, false);
            }
            String reasons = response.failures().stream().map(f -> f.reason() + (f.detail() == null ? "" : " " + f.detail())).toList().toString();
            return new Outcome(null, "ECS started no task: " + reasons, true);
        } catch (SdkException e) {
            return new Outcome(null, AwsFailure.describe(e), AwsErrors.isTransient(e));
        }
    }

    static RunTaskRequest runTaskRequest(RestartRequest request) {
        RunTaskRequest.Builder builder = RunTaskRequest.builder()
                .cluster(request.cluster())
                .taskDefinition(request.taskDefinition())
                .group(request.group())
                .startedBy("tidewatch")
                .clientToken(request.clientToken())
                .overrides(taskOverride(JsonObject.of(request.overrides(), "overrides")))
                .tags(request.tags().entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList());
        if (request.capacityProvider() != null) {
            builder.capacityProviderStrategy(CapacityProviderStrategyItem.builder().capacityProvider(request.capacityProvider()).build());
        } else if (request.launchType() != null) {
            builder.launchType(request.launchType());
        }
        if (request.platformVersion() != null) {
            builder.platformVersion(request.platformVersion());
        }
        if (!request.subnets().isEmpty()) {
            builder.networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets(request.subnets())
                    .securityGroups(request.securityGroups()).assignPublicIp(AssignPublicIp.DISABLED)));
        }
        return builder.build();
    }

    /** The event's overrides, which have the shape of RunTask's TaskOverride. */
    static TaskOverride taskOverride(JsonObject overrides) {
        List<ContainerOverride> containers = new ArrayList<>();
        for (JsonObject c : overrides.objects("containerOverrides")) {
            ContainerOverride.Builder container = ContainerOverride.builder().name(c.string("name"));
            if (c.has("command")) {
                container.command(c.strings("command"));
            }
            if (c.has("environment")) {
                container.environment(c.objects("environment").stream()
                        .map(e -> KeyValuePair.builder().name(e.string("name")).value(e.string("value")).build()).toList());
            }
            if (c.has("cpu")) {
                container.cpu(c.integer("cpu").intValue());
            }
            if (c.has("memory")) {
                container.memory(c.integer("memory").intValue());
            }
            if (c.has("memoryReservation")) {
                container.memoryReservation(c.integer("memoryReservation").intValue());
            }
            containers.add(container.build());
        }
        TaskOverride.Builder builder = TaskOverride.builder().containerOverrides(containers);
        if (overrides.has("cpu")) {
            builder.cpu(overrides.string("cpu"));
        }
        if (overrides.has("memory")) {
            builder.memory(overrides.string("memory"));
        }
        if (overrides.has("taskRoleArn")) {
            builder.taskRoleArn(overrides.string("taskRoleArn"));
        }
        if (overrides.has("executionRoleArn")) {
            builder.executionRoleArn(overrides.string("executionRoleArn"));
        }
        return builder.build();
    }

}

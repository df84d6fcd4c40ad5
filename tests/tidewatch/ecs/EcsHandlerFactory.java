package tidewatch.ecs;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import tidewatch.aws.AwsClients;
import tidewatch.config.Settings;

/** Builds the handler with given settings and clients, for tests outside this package (the reliability suites). */
public final class EcsHandlerFactory {
    private EcsHandlerFactory() {}

    public static RequestStreamHandler ecsTaskState(Settings settings, AwsClients aws) {
        return new EcsTaskStateFunction(settings, aws);
    }
}

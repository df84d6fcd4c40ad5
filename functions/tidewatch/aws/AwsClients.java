package tidewatch.aws;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import tidewatch.priming.PrimingInterceptor;

/**
 * Builds every SDK client in one place, on one lightweight HTTP client (URLConnection-based: no Apache or Netty on
 * the classpath). Handlers build their clients once, at init; each client is built once per instance and shared (the
 * ECS function's state reader and restarter use one ECS client). The endpoint comes from {@code AWS_ENDPOINT_URL}
 * when set (the SDK reads it itself), which is how the local runner points clients at its sandbox; tests pass it
 * directly. Every client carries {@link PrimingInterceptor}, which stops SnapStart priming's requests before they
 * are sent.
 */
public final class AwsClients {
    /** Connect and read timeouts of every call, AWS API or Slack webhook. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(4);
    /** The most one AWS call may take with its retries; a call inside an invocation takes less when less is left. */
    public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(12);
    /**
     * Runs the SDK's call timeouts for every client. Left to itself the SDK gives each client a scheduled pool of its
     * own (threads and their stacks, per client); one daemon thread is plenty for a function that makes one call at a
     * time, and cancelled timeouts leave its queue at once instead of waiting out their 12 s.
     */
    private static final ScheduledExecutorService TIMEOUTS = timeouts();

    /**
     * For a request that must be sent at most once: a write without an idempotency token (ReplaceVpnTunnel), where a
     * retry after a lost answer could repeat the change. Add it with {@code overrideConfiguration(o -> o.addPlugin(...))}.
     */
    public static final SdkPlugin SEND_ONCE = config -> config.overrideConfiguration(
            c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));

    private final SdkHttpClient http;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final URI endpoint;
    private EcsClient ecs;
    private Ec2Client ec2;
    private SnsClient sns;
    private CloudWatchLogsClient logs;
    private LambdaClient lambda;
    private SecretsManagerClient secretsManager;
    private SsmClient ssm;

    public AwsClients(SdkHttpClient http, Region region, AwsCredentialsProvider credentials, URI endpoint) {
        this.http = http;
        this.region = region;
        this.credentials = credentials;
        this.endpoint = endpoint;
    }

    /**
     * Region, credentials and endpoint from the Lambda environment. The region is {@code AWS_REGION}, which Lambda
     * always sets, without the provider chain (profile files, instance metadata) when it is there. Credentials keep
     * the default chain: with SnapStart, Lambda provides them as container credentials, not as variables.
     */
    public static AwsClients fromEnvironment() {
        String region = System.getenv("AWS_REGION");
        return new AwsClients(httpClient(READ_TIMEOUT),
                region == null || region.isBlank() ? new DefaultAwsRegionProviderChain().getRegion() : Region.of(region.trim()),
                DefaultCredentialsProvider.builder().build(), null);
    }

    public static SdkHttpClient httpClient(Duration readTimeout) {
        return new BufferedBodyHttpClient(UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(readTimeout)
                .build());
    }

    public SdkHttpClient http() {
        return http;
    }

    public Region region() {
        return region;
    }

    public synchronized EcsClient ecs() {
        return ecs != null ? ecs : (ecs = configure(EcsClient.builder()).build());
    }

    public synchronized Ec2Client ec2() {
        return ec2 != null ? ec2 : (ec2 = configure(Ec2Client.builder()).build());
    }

    public synchronized SnsClient sns() {
        return sns != null ? sns : (sns = configure(SnsClient.builder()).build());
    }

    public synchronized CloudWatchLogsClient logs() {
        return logs != null ? logs : (logs = configure(CloudWatchLogsClient.builder()).build());
    }

    public synchronized LambdaClient lambda() {
        return lambda != null ? lambda : (lambda = configure(LambdaClient.builder()).build());
    }

    public synchronized SecretsManagerClient secretsManager() {
        return secretsManager != null ? secretsManager : (secretsManager = configure(SecretsManagerClient.builder()).build());
    }

    public synchronized SsmClient ssm() {
        return ssm != null ? ssm : (ssm = configure(SsmClient.builder()).build());
    }

    private static ScheduledExecutorService timeouts() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sdk-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                // Standard mode: up to 3 attempts with backoff on throttling, 5xx and I/O errors; bounded in time.
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .scheduledExecutorService(TIMEOUTS)
                        .addExecutionInterceptor(PrimingInterceptor.INSTANCE)
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}

package tidewatch.aws;

import java.net.URI;
import java.time.Duration;
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

/**
 * Builds every SDK client in one place, on one lightweight HTTP client (URLConnection-based: no Apache or Netty on
 * the classpath). Handlers build their clients once, at init. The endpoint comes from {@code AWS_ENDPOINT_URL} when
 * set (the SDK reads it itself), which is how the local runner points clients at its sandbox; tests pass it directly.
 */
public final class AwsClients {
    /** Connect and read timeouts of every call, AWS API or Slack webhook. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(12);

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

    public AwsClients(SdkHttpClient http, Region region, AwsCredentialsProvider credentials, URI endpoint) {
        this.http = http;
        this.region = region;
        this.credentials = credentials;
        this.endpoint = endpoint;
    }

    /** Region, credentials and endpoint from the Lambda environment. */
    public static AwsClients fromEnvironment() {
        return new AwsClients(httpClient(READ_TIMEOUT), new DefaultAwsRegionProviderChain().getRegion(),
                DefaultCredentialsProvider.builder().build(), null);
    }

    public static SdkHttpClient httpClient(Duration readTimeout) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(readTimeout)
                .build();
    }

    public SdkHttpClient http() {
        return http;
    }

    public Region region() {
        return region;
    }

    public EcsClient ecs() {
        return configure(EcsClient.builder()).build();
    }

    public Ec2Client ec2() {
        return configure(Ec2Client.builder()).build();
    }

    public SnsClient sns() {
        return configure(SnsClient.builder()).build();
    }

    public CloudWatchLogsClient logs() {
        return configure(CloudWatchLogsClient.builder()).build();
    }

    public LambdaClient lambda() {
        return configure(LambdaClient.builder()).build();
    }

    public SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder()).build();
    }

    public SsmClient ssm() {
        return configure(SsmClient.builder()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                // Standard mode: up to 3 attempts with backoff on throttling, 5xx and I/O errors; bounded in time.
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}

package tidewatch.bench;

import java.nio.file.Path;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The baseline JVM: {@code BaselineProcess RESULT_FILE}. The least a Java Lambda function with the AWS SDK does:
 * build one SDK client on the same URLConnection HTTP client, with the SDK's defaults (region, credentials and
 * endpoint from the environment), and make one call to the sandbox (SNS Publish, the call every notifying
 * function makes). Its time from JVM start to the answer is what each function's init plus first invocation is
 * compared with, so that the targets are ratios that hold on a slow or noisy machine.
 */
public final class BaselineProcess {
    private BaselineProcess() {}

    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        ChildResult result = new ChildResult().put("entered", entered);
        try (SnsClient sns = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            String messageId = sns.publish(request -> request
                    .topicArn(System.getenv("NOTIFY_TOPIC_ARN"))
                    .message("baseline")).messageId();
            result.put("firstDone", System.nanoTime()).put("peakKiB", ChildResult.peakResidentKiB()).put("output", messageId)
                    .put("loadedClasses", java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        } catch (RuntimeException e) {
            result.put("error", e.toString());
        }
        result.write(Path.of(args[0]));
        System.exit(0);
    }
}

package tidewatch.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import tidewatch.priming.PrimingAnswers;

/**
 * The URLConnection client, sending small request bodies buffered instead of streamed; and the one place that answers
 * a SnapStart priming read inside the process ({@link PrimingAnswers}), so that it is never sent.
 *
 * <p>Why: given a Content-Length, the SDK's URLConnection client puts HttpURLConnection in fixed-length streaming
 * mode, and before every streaming POST on a kept-alive connection the JDK checks that the server has not closed it
 * with a blocking read of 1 ms ({@code sun.net.www.http.HttpClient.New}, {@code available()}): at least 1 ms added to
 * every AWS call and Slack post after the first. Without the header HttpURLConnection buffers the body (ours are a
 * few kB) and sends the same Content-Length itself, so the request, and its SigV4 signature, which covers
 * content-length, are unchanged.
 *
 * <p>A buffered POST is one the JDK could resend by itself when reading the answer fails; {@code
 * sun.net.http.retryPost=false} (set here, before the JDK's HTTP client class reads it, and in the template's
 * JAVA_TOOL_OPTIONS) turns that off, so a request is still sent once per SDK attempt and retries stay the SDK's and
 * the Slack channel's decision (a request marked {@link AwsClients#SEND_ONCE} is never repeated). A kept-alive
 * connection the server has closed then fails the attempt instead of being probed before it.
 */
final class BufferedBodyHttpClient implements SdkHttpClient {
    /** Larger bodies keep streaming; Tidewatch sends none this large. */
    static final long MAX_BUFFERED = 1 << 20;
    static final String RETRY_POST = "sun.net.http.retryPost";
    private static final String CONTENT_LENGTH = "Content-Length";

    static {
        if (System.getProperty(RETRY_POST) == null) {
            System.setProperty(RETRY_POST, "false");
        }
    }

    private final SdkHttpClient delegate;

    BufferedBodyHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        PrimingAnswers.Answer answer = PrimingAnswers.named(http.firstMatchingHeader(PrimingAnswers.HEADER).orElse(null));
        if (answer != null) {
            return answered(answer);
        }
        long length = http.firstMatchingHeader(CONTENT_LENGTH).map(BufferedBodyHttpClient::parse).orElse(-1L);
        if (length < 0 || length > MAX_BUFFERED) {
            return delegate.prepareRequest(request);
        }
        HttpExecuteRequest.Builder buffered = HttpExecuteRequest.builder().request(http.toBuilder().removeHeader(CONTENT_LENGTH).build());
        request.contentStreamProvider().ifPresent(buffered::contentStreamProvider);
        request.metricCollector().ifPresent(buffered::metricCollector);
        return delegate.prepareRequest(buffered.build());
    }

    /** A SnapStart priming request's answer, made inside the process: nothing is sent ({@link PrimingAnswers}). */
    private static ExecutableHttpRequest answered(PrimingAnswers.Answer answer) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200).putHeader("Content-Type", answer.contentType())
                                .putHeader(CONTENT_LENGTH, Integer.toString(body.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
                // nothing was sent
            }
        };
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

package tidewatch.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;

/**
 * The Lambda Context of a local invocation: the function's name, memory, and the remaining time, which counts down
 * from the function's timeout measured from the invocation's start (not from init).
 */
public final class LocalContext implements Context {
    private final String functionName;
    private final int memoryMiB;
    private final Instant deadline;
    private final InstantSource clock;
    private final String requestId = UUID.randomUUID().toString();

    /** A context for an invocation that starts now. */
    public LocalContext(String functionName, int memoryMiB, int timeoutSeconds) {
        this(functionName, memoryMiB, Duration.ofSeconds(timeoutSeconds), Instant.now(), InstantSource.system());
    }

    public LocalContext(String functionName, int memoryMiB, Duration timeout, Instant invocationStart, InstantSource clock) {
        this.functionName = functionName;
        this.memoryMiB = memoryMiB;
        this.deadline = invocationStart.plus(timeout);
        this.clock = clock;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/" + requestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + Sandbox.REGION + ":" + Sandbox.ACCOUNT + ":function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadline.toEpochMilli() - clock.millis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMiB;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}

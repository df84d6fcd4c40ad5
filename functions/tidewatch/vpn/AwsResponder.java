package tidewatch.vpn;

import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import tidewatch.aws.AwsClients;
import software.amazon.awssdk.services.ec2.model.ReplaceVpnTunnelResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import tidewatch.json.Json;
import tidewatch.lambda.InvocationDeadline;
import tidewatch.log.Log;
import tidewatch.aws.AwsFailure;

/**
 * Runs responses against AWS: Lambda Invoke for the keepalive burst, EC2 CreateTags, ReplaceVpnTunnel and
 * ModifyVpnTunnelOptions. Each call's timeout is cut to the deadline's time left ({@link CallTimeouts}); a response
 * without the time for its calls is not attempted, and says so.
 */
final class AwsResponder implements Responder {
    private final Ec2Client ec2;
    private final LambdaClient lambda;

    AwsResponder(Ec2Client ec2, LambdaClient lambda) {
        this.ec2 = ec2;
        this.lambda = lambda;
    }

    @Override
    public ResponseResult run(Response response, InvocationDeadline deadline) {
        ResponseResult result;
        // A replacement and a repair make two calls: both must fit, or the cooldown tag would hold for nothing.
        int calls = response instanceof Response.ReplaceTunnel || response instanceof Response.RepairTunnelOptions ? 2 : 1;
        if (!(response instanceof Response.NotRun) && !deadline.allows(CallTimeouts.LEAST_CALL_TIME.multipliedBy(calls))) {
            result = ResponseResult.notAttempted(response, "no time left in the invocation");
        } else if (response instanceof Response.KeepaliveBurst burst) {
            result = burst(burst, deadline);
        } else if (response instanceof Response.ReplaceTunnel replace) {
            result = replace(replace, deadline);
        } else if (response instanceof Response.RepairTunnelOptions repair) {
            result = repair(repair, deadline);
        } else if (response instanceof Response.TagPosture posture) {
            result = tag(posture, posture.vpnId(), posture.tagKey(), posture.value(), deadline);
        } else {
            result = ResponseResult.done(response);
        }
        if (result.outcome() == ResponseResult.Outcome.FAILED) {
            Log.warn("automatic response failed", "response", response.describe(), "detail", result.description());
        } else if (result.outcome() == ResponseResult.Outcome.DONE) {
            Log.info("automatic response done", "response", response.describe(), "detail", result.description());
        }
        return result;
    }

    private ResponseResult burst(Response.KeepaliveBurst burst, InvocationDeadline deadline) {
        try {
            // Event: queued and acknowledged at once, so the alarm message is not held up by the keepalive's run.
            InvokeResponse answer = invoke(burst, deadline);
            Integer status = answer.statusCode();
            if (status != null && (status < 200 || status >= 300)) {
                return ResponseResult.failed(burst, "Lambda answered HTTP " + status);
            }
            return ResponseResult.done(burst);
        } catch (RuntimeException e) {
            return ResponseResult.failed(burst, AwsFailure.describe(e));
        }
    }

    private ResponseResult replace(Response.ReplaceTunnel replace, InvocationDeadline deadline) {
        // The cooldown tag is written first: if it cannot be, the cooldown could not hold, so nothing is replaced.
        try {
            tagCooldown(replace, deadline);
        } catch (RuntimeException e) {
            return ResponseResult.notAttempted(replace, "the cooldown tag could not be written ("
                    + AwsFailure.describe(e) + ")");
        }
        if (!deadline.allows(CallTimeouts.LEAST_CALL_TIME)) {
            return ResponseResult.notAttempted(replace, "no time left in the invocation after the cooldown tag "
                    + "(the tag stays, so it is not tried before the cooldown ends)");
        }
        try {
            ReplaceVpnTunnelResponse answer = replaceTunnel(replace, deadline);
            if (Boolean.FALSE.equals(answer.returnValue())) {
                return ResponseResult.failed(replace, "EC2 did not confirm the replacement");
            }
            return ResponseResult.done(replace);
        } catch (RuntimeException e) {
            return ResponseResult.failed(replace, AwsFailure.describe(e)
                    + " (the cooldown tag stays, so it is not retried before the cooldown ends)");
        }
    }

    /**
     * The modification is sent once (no SDK retry). Its cooldown tag is written after AWS answered: on success, and on
     * a refusal no retry could pass (UnauthorizedOperation...); a retryable refusal (IncorrectState, throttling) leaves
     * the cooldown free, so the next alarm or tunnel check may try again.
     */
    private ResponseResult repair(Response.RepairTunnelOptions repair, InvocationDeadline deadline) {
        try {
            ec2.modifyVpnTunnelOptions(request -> request
                    .vpnConnectionId(repair.vpnId())
                    .vpnTunnelOutsideIpAddress(repair.outsideIp())
                    .tunnelOptions(options -> options.startupAction(TunnelOptions.START).dpdTimeoutAction(TunnelOptions.RESTART))
                    .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))
                            .addPlugin(AwsClients.SEND_ONCE)));
        } catch (RuntimeException e) {
            boolean retryable = retryable(e);
            if (!retryable) {
                tag(repair, repair.vpnId(), repair.cooldownTagKey(), repair.claimedAt().toString(), deadline);
            }
            return ResponseResult.failed(repair, "refused, " + AwsFailure.describe(e) + (retryable
                    ? " (a later try may pass: the cooldown is not used, and nothing retries it now)"
                    : " (not retried before the cooldown ends)"));
        }
        ResponseResult tagged = tag(repair, repair.vpnId(), repair.cooldownTagKey(), repair.claimedAt().toString(), deadline);
        if (tagged.outcome() == ResponseResult.Outcome.FAILED) {
            Log.warn("options repaired but the cooldown tag could not be written", "vpnId", repair.vpnId(),
                    "detail", tagged.description());
        }
        return ResponseResult.done(repair);
    }

    /** Throttling, a server error or a connection in the wrong state for now: a later try may pass. */
    static boolean retryable(RuntimeException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.isThrottlingException() || service.statusCode() >= 500
                    || "IncorrectState".equals(code) || "ConcurrentModification".equals(code);
        }
        return true; // a network fault: nothing was refused
    }

    private ResponseResult tag(Response response, String vpnId, String key, String value, InvocationDeadline deadline) {
        if (!deadline.allows(CallTimeouts.LEAST_CALL_TIME)) {
            return ResponseResult.notAttempted(response, "CreateTags: no time left in the invocation");
        }
        try {
            ec2.createTags(request -> request.resources(vpnId).tags(Tag.builder().key(key).value(value).build())
                    .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))));
            return ResponseResult.done(response);
        } catch (RuntimeException e) {
            return ResponseResult.failed(response, "CreateTags: " + AwsFailure.describe(e));
        }
    }

    // The bare calls, which SnapStart priming (VpnAlarmPriming) makes too: so it primes the requests made here.
    InvokeResponse invoke(Response.KeepaliveBurst burst, InvocationDeadline deadline) {
        return lambda.invoke(request -> request
                .functionName(burst.functionName())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(Json.write(Map.of("burst", burst.rounds()))))
                .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))));
    }

    void tagCooldown(Response.ReplaceTunnel replace, InvocationDeadline deadline) {
        ec2.createTags(request -> request
                .resources(replace.vpnId())
                .tags(Tag.builder().key(replace.cooldownTagKey()).value(replace.claimedAt().toString()).build())
                .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))));
    }

    ReplaceVpnTunnelResponse replaceTunnel(Response.ReplaceTunnel replace, InvocationDeadline deadline) {
        return ec2.replaceVpnTunnel(request -> request
                .vpnConnectionId(replace.vpnId())
                .vpnTunnelOutsideIpAddress(replace.outsideIp())
                .overrideConfiguration(o -> o.apiCallTimeout(CallTimeouts.apiCall(deadline))
                        .addPlugin(AwsClients.SEND_ONCE)));
    }
}

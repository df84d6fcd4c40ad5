package tidewatch.vpn;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** How an automatic response went, in the words the notification uses. */
record ResponseResult(Response response, Outcome outcome, String description) {
    public enum Outcome { DONE, FAILED, SKIPPED }

    public ResponseResult {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(description, "description");
    }

    /** A response that ran, or a {@link Response.NotRun} reported as skipped; with the response's note, if any. */
    public static ResponseResult done(Response response) {
        ResponseResult done = doneAsSuch(response);
        return response.note() == null ? done
                : new ResponseResult(response, done.outcome(), done.description() + "; " + response.note());
    }

    private static ResponseResult doneAsSuch(Response response) {
        if (response instanceof Response.KeepaliveBurst burst) {
            return new ResponseResult(response, Outcome.DONE, burst.describe() + " requested");
        }
        if (response instanceof Response.ReplaceTunnel replace) {
            return new ResponseResult(response, Outcome.DONE, replace.describe() + ": requested (down "
                    + Elapsed.describe(replace.downFor()) + ")");
        }
        if (response instanceof Response.RepairTunnelOptions repair) {
            return new ResponseResult(response, Outcome.DONE, repair.describe() + ": requested; the tunnel is "
                    + "unavailable for some minutes while AWS applies it, then AWS starts IKE itself");
        }
        if (response instanceof Response.TagPosture) {
            return new ResponseResult(response, Outcome.DONE, response.describe());
        }
        return new ResponseResult(response, Outcome.SKIPPED, response.describe());
    }

    public static ResponseResult failed(Response response, String error) {
        return new ResponseResult(response, Outcome.FAILED, response.describe() + ": failed, " + error + noted(response));
    }

    /** A response that was not attempted because a step before it failed. */
    public static ResponseResult notAttempted(Response response, String why) {
        return new ResponseResult(response, Outcome.FAILED, response.describe() + ": not attempted, " + why + noted(response));
    }

    private static String noted(Response response) {
        return response.note() == null ? "" : "; " + response.note();
    }

    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("action", response instanceof Response.KeepaliveBurst ? "keepalive-burst"
                : response instanceof Response.ReplaceTunnel ? "replace-vpn-tunnel"
                : response instanceof Response.RepairTunnelOptions ? "modify-vpn-tunnel-options"
                : response instanceof Response.TagPosture ? "tag-recovery-posture" : "none");
        summary.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
        summary.put("detail", description);
        return summary;
    }
}

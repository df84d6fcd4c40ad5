package tidewatch.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import tidewatch.vpn.VpnAlarmFunction;

/**
 * The VPN alarm function blind to its deadline, for the runner's own test of the template's timeout: given no
 * Context, every call keeps its own 12 s bound, so hung services take it past any short timeout (the function itself
 * always ends inside its own: VpnAlarmDeadlineTest).
 */
public final class DeadlineBlindHandler implements RequestStreamHandler {
    private final VpnAlarmFunction function = new VpnAlarmFunction();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        function.handleRequest(input, output, null);
    }
}

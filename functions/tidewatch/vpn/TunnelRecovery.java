package tidewatch.vpn;

import java.util.Set;

/**
 * Who brings a DOWN tunnel back, from its initiation options: AWS itself (startup action {@code start}, or DPD
 * timeout action {@code restart}), or only the datacenter's device (the defaults, {@code add} with {@code clear} or
 * {@code none}). Missing options are {@link Kind#UNKNOWN}; values AWS did not document are {@link Kind#UNRECOGNISED}.
 */
record TunnelRecovery(Kind kind, TunnelOptions options) {
    enum Kind { AWS, DATACENTER_ONLY, UNKNOWN, UNRECOGNISED }

    private static final Set<String> STARTUP_ACTIONS = Set.of("add", "start");
    private static final Set<String> DPD_ACTIONS = Set.of("clear", "none", "restart");

    static TunnelRecovery of(TunnelOptions options) {
        if (options == null || options.startupAction() == null || options.dpdTimeoutAction() == null) {
            return new TunnelRecovery(Kind.UNKNOWN, options);
        }
        if (!STARTUP_ACTIONS.contains(options.startupAction()) || !DPD_ACTIONS.contains(options.dpdTimeoutAction())) {
            return new TunnelRecovery(Kind.UNRECOGNISED, options);
        }
        boolean aws = TunnelOptions.START.equals(options.startupAction())
                || TunnelOptions.RESTART.equals(options.dpdTimeoutAction());
        return new TunnelRecovery(aws ? Kind.AWS : Kind.DATACENTER_ONLY, options);
    }

    /** The options as a person reads them: startup action 'add', DPD timeout action 'clear'. */
    String quoted() {
        return "startup action '" + options.startupAction() + "', DPD timeout action '" + options.dpdTimeoutAction() + "'";
    }

    /** One line per DOWN tunnel: who brings it back. */
    String describe() {
        return switch (kind) {
            case AWS -> "AWS brings it back itself (" + quoted() + ")";
            case DATACENTER_ONLY -> "only the datacenter's device can bring it back (" + quoted()
                    + ": AWS waits for the datacenter to start IKE)";
            case UNKNOWN -> "unknown: DescribeVpnConnections did not report this tunnel's options";
            case UNRECOGNISED -> "unknown: options Tidewatch does not recognise (" + quoted() + "), so it does nothing";
        };
    }
}

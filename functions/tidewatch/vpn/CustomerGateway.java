package tidewatch.vpn;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The datacenter side of a VPN connection as DescribeCustomerGateways reports it. {@code problem} is set, and the
 * address null, when it could not be read. AWS can start IKE only towards a public address.
 */
record CustomerGateway(String id, String ipAddress, String problem) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    static CustomerGateway unreadable(String id, String problem) {
        return new CustomerGateway(id, null, problem);
    }

    /** A public IPv4 address: not private (RFC 1918), shared (100.64/10), link-local, loopback or unspecified. */
    boolean hasPublicIp() {
        if (ipAddress == null || !IPV4.matcher(ipAddress).matches()) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(ipAddress); // a literal: no DNS lookup
            byte[] octets = address.getAddress();
            boolean shared = (octets[0] & 0xff) == 100 && (octets[1] & 0xc0) == 64;
            return !(address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isLoopbackAddress()
                    || address.isAnyLocalAddress() || shared);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

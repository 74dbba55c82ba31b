package io.swarmgate.proxy.policy;

import java.util.List;

/**
 * {@code allowedIps} / {@code deniedIps}: a client whose address lies outside the allowed blocks, or inside a denied
 * one, gets 403. The address is the connection's, or the PROXY protocol's on {@code accept-proxy} ports, or the one
 * a trusted proxy's {@code X-Forwarded-For} names ({@code TRUSTED_PROXIES}): never a header an untrusted client could
 * write. One it cannot read is refused, so that a list never fails open.
 */
public final class IpAccess implements RoutePolicy {
    private static final LocalResponse FORBIDDEN =
            LocalResponse.of(403, "Your address is not allowed to use this service.");

    private final IpRange[] allowed;
    private final IpRange[] denied;

    /** Either list may be empty: no allowed blocks means every address not denied is allowed. */
    public IpAccess(List<IpRange> allowed, List<IpRange> denied) {
        this.allowed = allowed.toArray(IpRange[]::new);
        this.denied = denied.toArray(IpRange[]::new);
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        String client = request.clientAddress();
        byte[] address = client == null ? null : IpRange.address(client);
        if (address == null || (allowed.length > 0 && !anyContains(allowed, address))
                || anyContains(denied, address)) {
            return FORBIDDEN;
        }
        return PolicyResult.PROCEED;
    }

    private static boolean anyContains(IpRange[] ranges, byte[] address) {
        for (IpRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}

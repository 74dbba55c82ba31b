package io.swarmgate.proxy;

import io.swarmgate.proxy.policy.IpRange;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code TRUSTED_PROXIES}: the load balancers and proxies in front whose {@code X-Forwarded-For} is believed. When a
 * request's peer (the connection's, or the PROXY protocol's address) is one of them, its client is found by walking
 * {@code X-Forwarded-For} from right to left past the entries that are trusted proxies too: the first that is not is
 * the client (Traefik's {@code forwardedHeaders.trustedIPs} with the {@code excludedIPs} strategy, nginx's
 * {@code real_ip_recursive}). Every field of the header counts, in order. An entry that is no address ends the walk at
 * the trusted hop to its right, and when every entry is trusted the leftmost is the client. From a peer that is not
 * trusted the header is never read: the peer is the client.
 */
public final class TrustedProxies {
    /** No proxy is trusted: the peer is always the client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final IpRange[] ranges;

    private TrustedProxies(List<IpRange> ranges) {
        this.ranges = ranges.toArray(IpRange[]::new);
    }

    public static TrustedProxies of(List<IpRange> ranges) {
        return ranges.isEmpty() ? NONE : new TrustedProxies(ranges);
    }

    /**
     * CIDR blocks or addresses, comma-separated ({@code 10.0.0.0/8,192.0.2.7}); empty for none.
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static TrustedProxies parse(String list) {
        List<IpRange> ranges = new ArrayList<>();
        for (String entry : list.split(",")) {
            if (!entry.isBlank()) {
                ranges.add(IpRange.parse(entry));
            }
        }
        return of(ranges);
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    /** Whether the address (text, as a connection's peer) is a trusted proxy's. */
    public boolean trusts(String address) {
        return ranges.length > 0 && contains(IpRange.address(address));
    }

    /**
     * The client of a request whose peer is trusted.
     *
     * @param peer         the trusted peer's address, the answer when the header names nothing usable
     * @param forwardedFor every {@code X-Forwarded-For} field's value, joined by commas, or {@code null}
     */
    public String client(String peer, String forwardedFor) {
        if (forwardedFor == null) {
            return peer;
        }
        String client = peer;
        int end = forwardedFor.length();
        while (end > 0) {
            int comma = forwardedFor.lastIndexOf(',', end - 1);
            String entry = forwardedFor.substring(comma + 1, end).strip();
            end = comma < 0 ? 0 : comma;
            byte[] address = IpRange.address(entry);
            if (address == null) {
                return client;
            }
            client = entry;
            if (!contains(address)) {
                return client;
            }
        }
        return client;
    }

    private boolean contains(byte[] address) {
        if (address == null) {
            return false;
        }
        for (IpRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return List.of(ranges).toString();
    }
}

package io.swarmgate.proxy.policy;

import io.netty.util.NetUtil;

/**
 * An IPv4 or IPv6 block in CIDR form ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or a single address. An IPv4 client
 * that reaches an IPv6 socket ({@code ::ffff:10.1.2.3}) is matched as the IPv4 address it is.
 */
public final class IpRange {
    private final byte[] network;
    private final int prefix;

    private IpRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** @throws IllegalArgumentException when {@code cidr} is not an address with an optional {@code /prefix} */
    public static IpRange parse(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        byte[] address = address(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                throw new IllegalArgumentException("not a prefix length of 0-" + bits + ": " + text);
            }
            prefix = Integer.parseInt(length);
        }
        return new IpRange(masked(address, prefix), prefix);
    }

    /** The address's bytes (4 for IPv4, mapped IPv6 included; 16 for IPv6), or {@code null} when it is none. */
    public static byte[] address(String text) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
            byte[] ipv4 = new byte[4];
            System.arraycopy(bytes, 12, ipv4, 0, 4);
            return ipv4;
        }
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] network = address.clone();
        for (int i = 0; i < network.length; i++) {
            network[i] &= (byte) mask(prefix - i * 8);
        }
        return network;
    }

    /** The mask of a byte of which {@code bits} (any number) are in the prefix. */
    private static int mask(int bits) {
        return bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    }

    /** Whether the address, as {@link #address} gives it, lies in this block. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        for (int i = 0; i < network.length; i++) {
            if ((address[i] & mask(prefix - i * 8)) != (network[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return NetUtil.bytesToIpAddress(network) + "/" + prefix;
    }
}

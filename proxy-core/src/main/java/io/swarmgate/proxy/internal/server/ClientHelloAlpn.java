package io.swarmgate.proxy.internal.server;

import io.netty.buffer.ByteBuf;

/**
 * Reads the ALPN offer of a TLS ClientHello body (RFC 5246 7.4.1.2, RFC 7301), as Netty's SNI handler reads the
 * server name from the same bytes, to tell an ACME TLS-ALPN-01 validation from an ordinary handshake before a
 * certificate is chosen. Malformed input is no offer: the handshake then fails or succeeds as it would anyway.
 */
final class ClientHelloAlpn {
    private static final int ALPN_EXTENSION = 16;
    /** Protocol version and random. */
    private static final int FIXED_PREFIX = 34;

    private ClientHelloAlpn() {
    }

    /** Whether the hello offers exactly one protocol, {@code protocol} (ASCII). */
    static boolean offersOnly(ByteBuf hello, String protocol) {
        int offset = hello.readerIndex() + FIXED_PREFIX;
        int end = hello.writerIndex();
        if (end - offset < 1) {
            return false;
        }
        offset += 1 + hello.getUnsignedByte(offset); // session id
        if (end - offset < 2) {
            return false;
        }
        offset += 2 + hello.getUnsignedShort(offset); // cipher suites
        if (end - offset < 1) {
            return false;
        }
        offset += 1 + hello.getUnsignedByte(offset); // compression methods
        if (end - offset < 2) {
            return false;
        }
        int limit = offset + 2 + hello.getUnsignedShort(offset);
        offset += 2;
        if (limit > end) {
            return false;
        }
        while (limit - offset >= 4) {
            int type = hello.getUnsignedShort(offset);
            int length = hello.getUnsignedShort(offset + 2);
            offset += 4;
            if (limit - offset < length) {
                return false;
            }
            if (type == ALPN_EXTENSION) {
                return onlyProtocol(hello, offset, length, protocol);
            }
            offset += length;
        }
        return false;
    }

    /** The extension's list (a 2-byte length, then names each with a 1-byte length) holds {@code protocol} alone. */
    private static boolean onlyProtocol(ByteBuf hello, int offset, int length, String protocol) {
        if (length < 3 || hello.getUnsignedShort(offset) != length - 2) {
            return false;
        }
        int nameLength = hello.getUnsignedByte(offset + 2);
        if (nameLength != length - 3 || nameLength != protocol.length()) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (hello.getByte(offset + 3 + i) != protocol.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

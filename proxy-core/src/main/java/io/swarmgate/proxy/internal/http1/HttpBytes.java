package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/** Character classes of RFC 9110 as {@link ByteProcessor}s, which Netty runs over a buffer without bounds checks. */
final class HttpBytes {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';
    /** CR LF as one big-endian short, for {@link ByteBuf#writeShort}. */
    static final int CRLF = (CR << 8) | LF;

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    /** Continues while the byte is a token character (field names, methods). */
    static final ByteProcessor IS_TCHAR = HttpBytes::isTokenChar;

    /** Continues while the byte may appear in a field value: anything but control characters other than HTAB. */
    static final ByteProcessor IS_FIELD_CHAR = HttpBytes::isFieldChar;

    /** Continues while the byte may appear in a request target: visible US-ASCII. */
    static final ByteProcessor IS_TARGET_CHAR = b -> b > 0x20 && b < 0x7f;

    private HttpBytes() {
    }

    static boolean isTokenChar(byte b) {
        return TCHAR[b & 0xff];
    }

    static boolean isFieldChar(byte b) {
        return (b >= 0x20 || b < 0 || b == HTAB) && b != 0x7f;
    }

    static boolean isWhitespace(byte b) {
        return b == SP || b == HTAB;
    }

    /** Whether the bytes at {@code index} spell {@code lowerCase}, ignoring the case of ASCII letters. */
    static boolean equalsIgnoreCase(ByteBuf buf, int index, int length, byte[] lowerCase) {
        if (length != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = buf.getByte(index + i);
            if (b != lowerCase[i] && (b < 'A' || b > 'Z' || b + 32 != lowerCase[i])) {
                return false;
            }
        }
        return true;
    }

    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }
}

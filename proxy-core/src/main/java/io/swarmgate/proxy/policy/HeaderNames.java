package io.swarmgate.proxy.policy;

import java.nio.charset.StandardCharsets;

/** Checks of header names and values given by configuration, so that no edit can break a message's framing. */
public final class HeaderNames {
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HeaderNames() {
    }

    /** Whether {@code name} is a field name: one or more token characters (RFC 9110 §5.1). */
    public static boolean isName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} can be sent as a field value: Latin-1 without control characters other than HTAB. */
    static boolean isValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                return false;
            }
        }
        return true;
    }

    static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        if (!isName(name)) {
            throw new IllegalArgumentException("invalid header name: " + name);
        }
        return name;
    }

    static byte[] line(String name, String value) {
        check(name);
        if (!isValue(value)) {
            throw new IllegalArgumentException("invalid character in the value of header " + name);
        }
        return (name + ": " + value.strip() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}

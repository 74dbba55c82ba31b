package io.swarmgate.proxy.filter;

import java.nio.charset.StandardCharsets;

/** Checks of header names and values given by configuration, so that no edit can break a message's framing. */
final class HeaderNames {
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HeaderNames() {
    }

    static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && TOKEN_SYMBOLS.indexOf(c) < 0) {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
        }
        return name;
    }

    static byte[] line(String name, String value) {
        check(name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("invalid character in the value of header " + name);
            }
        }
        return (name + ": " + value.strip() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}

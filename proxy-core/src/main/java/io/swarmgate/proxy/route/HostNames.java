package io.swarmgate.proxy.route;

/** Checks and folds host names without allocating. */
final class HostNames {
    private HostNames() {
    }

    /** True for a DNS name of letters, digits, hyphens and underscores in dot-separated labels (no port). */
    static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        int labelLength = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++labelLength > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return labelLength > 0;
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /**
     * The end of the host part of a Host header value: before a port, and before the trailing dot of a fully
     * qualified name ({@code example.com.} is {@code example.com}). IPv6 literals keep their brackets.
     */
    static int hostEnd(CharSequence hostHeader) {
        int end = hostHeader.length();
        for (int i = end - 1; i >= 0; i--) {
            char c = hostHeader.charAt(i);
            if (c == ':') {
                end = i;
                break;
            }
            if (c < '0' || c > '9') {
                break;
            }
        }
        if (end > 0 && hostHeader.charAt(end - 1) == '.') {
            return end - 1;
        }
        return end;
    }
}

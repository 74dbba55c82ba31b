package io.swarmgate.proxy.internal.exchange;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.NetUtil;

/** Reduces request targets to the origin form ({@code /path?query}) that routes match on, and the host they name. */
final class RequestTargets {
    /** The characters of a reg-name (RFC 3986 §3.2.2): unreserved and sub-delims; percent signs are checked apart. */
    private static final boolean[] NAME_CHARACTERS = new boolean[128];

    static {
        for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=".toCharArray()) {
            NAME_CHARACTERS[c] = true;
        }
    }

    private RequestTargets() {
    }

    /**
     * Whether a Host value, {@code :authority} or absolute-form authority is {@code uri-host [":" port]} (RFC 9110
     * §7.2, RFC 3986 §3.2.2): a name, an IPv4 address or a bracketed IPv6 address, then digits for a port. RFC 9112
     * §3.2 answers any other value with 400: a route picked for a name no client could mean is how a proxy and its
     * backends come to disagree on the host.
     */
    static boolean validAuthority(String authority) {
        int length = authority.length();
        int hostEnd = 0;
        if (length > 0 && authority.charAt(0) == '[') {
            hostEnd = authority.indexOf(']') + 1;
            if (hostEnd == 0 || !NetUtil.isValidIpV6Address(authority.substring(1, hostEnd - 1))) {
                return false;
            }
        } else {
            while (hostEnd < length) {
                char c = authority.charAt(hostEnd);
                if (c < 128 && NAME_CHARACTERS[c]) {
                    hostEnd++;
                } else if (c == '%' && hostEnd + 2 < length && isHex(authority.charAt(hostEnd + 1))
                        && isHex(authority.charAt(hostEnd + 2))) {
                    hostEnd += 3;
                } else {
                    break;
                }
            }
        }
        if (hostEnd == length) {
            return true;
        }
        if (authority.charAt(hostEnd) != ':') {
            return false;
        }
        for (int i = hostEnd + 1; i < length; i++) {
            char c = authority.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /**
     * The origin form of a request target, or {@code null} when it has none: origin form is kept as it is, the
     * absolute form ({@code http://host/path}) loses its scheme and authority, and {@code *} matches as {@code /} for
     * OPTIONS, the one method whose target it may be (RFC 9112 §3.2.4; for any other a proxy that routes it as
     * {@code /} and a backend that refuses it disagree). An
     * absolute form without a host, or with user information ({@code http://user@host/}, which RFC 9110 §4.2.4 forbids
     * and which serves to disguise the host), has none; nor has a target with a fragment ({@code #}, which no request
     * target has, RFC 9112 §3.2: a proxy that routes {@code /index.html#.png} by its end as an image and a backend
     * that serves {@code /index.html} disagree, as in HAProxy's CVE-2023-45539).
     */
    static String originForm(HttpMethod method, String target) {
        if (target.indexOf('#') >= 0) {
            return null;
        }
        if (target.startsWith("/")) {
            return target;
        }
        if (target.equals("*")) {
            return method == HttpMethod.OPTIONS ? "/" : null;
        }
        int authorityStart = authorityStart(target);
        if (authorityStart < 0) {
            return null;
        }
        int pathStart = authorityEnd(target, authorityStart);
        if (pathStart == authorityStart || target.lastIndexOf('@', pathStart - 1) >= authorityStart) {
            return null;
        }
        if (pathStart == target.length()) {
            return "/";
        }
        return target.charAt(pathStart) == '/' ? target.substring(pathStart) : "/" + target.substring(pathStart);
    }

    /**
     * The authority ({@code host[:port]}) of an absolute-form target that has an {@link #originForm}, or {@code null}
     * for the other forms. RFC 9112 §3.2.2: it takes the place of the Host field.
     */
    static String authority(String target) {
        int authorityStart = target.startsWith("/") ? -1 : authorityStart(target);
        return authorityStart < 0 ? null : target.substring(authorityStart, authorityEnd(target, authorityStart));
    }

    /** Where the authority of an {@code http} or {@code https} absolute-form target begins, or -1. */
    private static int authorityStart(String target) {
        int schemeEnd = target.indexOf("://");
        if (schemeEnd <= 0) {
            return -1;
        }
        String scheme = target.substring(0, schemeEnd);
        return scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https") ? schemeEnd + 3 : -1;
    }

    private static int authorityEnd(String target, int authorityStart) {
        int end = authorityStart;
        while (end < target.length() && "/?#".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        return end;
    }
}

package io.swarmgate.proxy.internal.exchange;

/** Reduces request targets to the origin form ({@code /path?query}) that routes match on, and the host they name. */
final class RequestTargets {
    private RequestTargets() {
    }

    /**
     * The origin form of a request target, or {@code null} when it has none: origin form is kept as it is, the
     * absolute form ({@code http://host/path}) loses its scheme and authority, and {@code *} matches as {@code /}. An
     * absolute form without a host, or with user information ({@code http://user@host/}, which RFC 9110 §4.2.4 forbids
     * and which serves to disguise the host), has none.
     */
    static String originForm(String target) {
        if (target.startsWith("/")) {
            return target;
        }
        if (target.equals("*")) {
            return "/";
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

package io.swarmgate.proxy.internal;

/** Reduces request targets to the origin form ({@code /path?query}) that routes match on. */
final class RequestTargets {
    private RequestTargets() {
    }

    /**
     * The origin form of a request target, or {@code null} when it has none: origin form is kept as it is, the
     * absolute form ({@code http://host/path}) loses its scheme and authority, and {@code *} matches as {@code /}.
     */
    static String originForm(String target) {
        if (target.startsWith("/")) {
            return target;
        }
        if (target.equals("*")) {
            return "/";
        }
        int schemeEnd = target.indexOf("://");
        if (schemeEnd <= 0) {
            return null;
        }
        String scheme = target.substring(0, schemeEnd);
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            return null;
        }
        int pathStart = schemeEnd + 3;
        while (pathStart < target.length() && "/?#".indexOf(target.charAt(pathStart)) < 0) {
            pathStart++;
        }
        if (pathStart == target.length()) {
            return "/";
        }
        return target.charAt(pathStart) == '/' ? target.substring(pathStart) : "/" + target.substring(pathStart);
    }
}

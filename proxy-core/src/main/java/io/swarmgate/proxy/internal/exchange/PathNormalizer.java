package io.swarmgate.proxy.internal.exchange;

import io.swarmgate.proxy.route.RequestHeaders;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;

/**
 * Puts the path of a request target into the one form routes match and backends receive (RFC 3986 §6.2.2): percent
 * encodings of unreserved characters decoded ({@code %2e} is {@code .}), other encodings in upper case, runs of
 * slashes merged, {@code .} and {@code ..} segments removed. So {@code /demo/../admin} and {@code /demo/%2e%2e/admin}
 * match as, and are forwarded as, {@code /admin}.
 *
 * <p>Encoded slashes and backslashes ({@code %2F}, {@code %5C}, {@code \}) stay as they are, but a path whose meaning
 * would change if a backend decoded them ({@code /public/..%2Fadmin}) is refused: the proxy cannot know which of the
 * two paths the backend will serve.
 */
final class PathNormalizer {
    private PathNormalizer() {
    }

    /**
     * The normal form of an origin-form target ({@code /path?query}, the query untouched), or null if refused; the
     * target itself when its path holds nothing to normalise (no percent sign, backslash, dot segment or double slash).
     */
    static String normalizeTarget(String target) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        if (!needsWork(path)) {
            return target;
        }
        String normal = normalizePath(path);
        if (normal == null) {
            return null;
        }
        return question < 0 ? normal : normal + target.substring(question);
    }

    /** Most paths hold nothing to normalise: one scan tells, without allocating. */
    private static boolean needsWork(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '\\' || (previous == '/' && (c == '/' || c == '.'))) {
                return true;
            }
            previous = c;
        }
        return false;
    }

    static String normalizePath(String path) {
        String decoded = decodeUnreserved(path);
        if (decoded == null) {
            return null;
        }
        String normal = removeDotSegments(decoded);
        if (hasEncodedSeparator(normal)) {
            // What a backend that decodes separators would serve must be the same path.
            String asBackendMaySee = removeDotSegments(decodeSeparators(normal));
            if (!asBackendMaySee.equals(decodeSeparators(normal))) {
                return null;
            }
        }
        return normal;
    }

    /** Decodes %XX of unreserved characters, upper-cases the rest; null for a malformed or control encoding. */
    private static String decodeUnreserved(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= path.length()) {
                return null;
            }
            int high = Character.digit(path.charAt(i + 1), 16);
            int low = Character.digit(path.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            char decoded = (char) (high * 16 + low);
            if (decoded < 0x20 || decoded == 0x7f) {
                return null; // an encoded control character (%00, %0d, %0a) is never a legitimate path
            }
            if (isUnreserved(decoded)) {
                out.append(decoded);
            } else {
                out.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                        .append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /**
     * Whether {@code route}, chosen for the normal target {@code uri}, would not be chosen for it read as a backend
     * that takes {@code %2F}, {@code %5C} or {@code \} for {@code /} reads it: {@code /site\admin} sent to
     * {@code /site}'s backend would be its {@code /site/admin}, past the rules of a route of its own.
     */
    static boolean routedElsewhere(RouteTable table, Route route, String host, String uri, int localPort,
                                   RequestHeaders headers) {
        String decoded = separatorsDecoded(uri);
        return decoded != null && table.find(host, decoded, localPort, headers) != route;
    }

    /**
     * The target of a normal path with its encoded separators ({@code %2F}, {@code %5C}, {@code \}) read as
     * {@code /}, as some backends read them, or {@code null} when its path has none.
     */
    private static String separatorsDecoded(String target) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        if (!hasEncodedSeparator(path)) {
            return null;
        }
        return question < 0 ? decodeSeparators(path) : decodeSeparators(path) + target.substring(question);
    }

    private static boolean hasEncodedSeparator(String path) {
        return path.contains("%2F") || path.contains("%5C") || path.indexOf('\\') >= 0;
    }

    private static String decodeSeparators(String path) {
        return path.replace("%2F", "/").replace("%5C", "/").replace('\\', '/');
    }

    /** Merges slashes and resolves {@code .} and {@code ..} segments; the result starts with {@code /}. */
    static String removeDotSegments(String path) {
        String[] segments = path.split("/", -1);
        String[] kept = new String[segments.length];
        int count = 0;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("..")) {
                if (count > 0) {
                    count--;
                }
                if (last) {
                    kept[count++] = "";
                }
            } else if (segment.equals(".")) {
                if (last) {
                    kept[count++] = "";
                }
            } else if (!segment.isEmpty() || last) {
                kept[count++] = segment;
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < count; i++) {
            out.append('/').append(kept[i]);
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}

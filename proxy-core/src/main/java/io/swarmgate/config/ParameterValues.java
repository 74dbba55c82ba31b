package io.swarmgate.config;

import java.util.ArrayList;
import java.util.List;

/** Converts raw parameter values, failing with a 400 that names the parameter and the expected form. */
final class ParameterValues {
    static final int MAX_PORT = 65535;

    private ParameterValues() {
    }

    /** Go's {@code strconv.ParseBool}: the forms DFP's labels and queries use. An empty value is false. */
    static boolean bool(String name, String raw) {
        Boolean value = GoBooleans.parse(raw);
        if (value != null) {
            return value;
        }
        if (raw.isEmpty()) {
            return false;
        }
        throw invalid(name, raw, "true or false");
    }

    /** A TCP port, or 0 when the value is empty. */
    static int port(String name, String raw) {
        if (raw.isEmpty()) {
            return 0;
        }
        int port = isDigits(raw, 5) ? Integer.parseInt(raw) : 0;
        if (port < 1 || port > MAX_PORT) {
            throw invalid(name, raw, "1-65535");
        }
        return port;
    }

    static int nonNegative(String name, String raw) {
        if (!isDigits(raw, 9)) {
            throw invalid(name, raw, "a whole number, 0 or more");
        }
        return Integer.parseInt(raw);
    }

    /** Splits on the separator as Go's {@code strings.Split} does (empty parts kept); empty input gives no items. */
    static List<String> list(String raw, String separator) {
        if (raw.isEmpty()) {
            return List.of();
        }
        // By hand: String.split with a quoted separator compiled a regex for every list of every reconfigure.
        List<String> items = new ArrayList<>();
        int start = 0;
        int at;
        while ((at = raw.indexOf(separator, start)) >= 0) {
            items.add(raw.substring(start, at));
            start = at + separator.length();
        }
        items.add(raw.substring(start));
        return items;
    }

    /** Letters, digits, hyphens and underscores in dot-separated labels of at most 63, at most 253 in all. */
    static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                int length = i - labelStart;
                if (length == 0 || length > 63) {
                    return false;
                }
                labelStart = i + 1;
            } else if (!isHostNameChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A size in bytes, or with the suffix {@code k}, {@code m} or {@code g} (KiB, MiB, GiB, any case); 0 when empty.
     */
    static long byteSize(String name, String raw) {
        if (raw.isEmpty()) {
            return 0;
        }
        char suffix = Character.toLowerCase(raw.charAt(raw.length() - 1));
        int shift = switch (suffix) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? raw : raw.substring(0, raw.length() - 1);
        if (!isDigits(digits, 12) || Long.parseLong(digits) == 0) {
            throw invalid(name, raw, "a size in bytes, or with k, m or g, e.g. 10m");
        }
        return Long.parseLong(digits) << shift;
    }

    static InvalidServiceException invalid(String name, String raw, String expected) {
        return InvalidServiceException.badRequest(name + ": '" + raw + "' (expected: " + expected + ")");
    }

    static InvalidServiceException unsupported(String name, String raw, String supported) {
        return InvalidServiceException.badRequest(
                name + ": '" + raw + "' is not supported yet (supported: " + supported + ")");
    }

    private static boolean isHostNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** ASCII digits only: Java's parseInt would also take other scripts' digits. */
    private static boolean isDigits(String raw, int maxLength) {
        return !raw.isEmpty() && raw.length() <= maxLength && raw.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}

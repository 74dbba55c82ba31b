package io.swarmgate.proxy.policy;

import java.util.List;
import java.util.Locale;

/**
 * Which answers of a route are compressed, and how: Docker Flow Proxy's {@code compressionAlgo} and
 * {@code compressionType}, per service (DFP applies them to the whole frontend).
 *
 * @param algorithms   {@code gzip} and/or {@code deflate}, in the order of preference
 * @param contentTypes media types compressed; others pass as they are
 */
public record Compression(List<String> algorithms, List<String> contentTypes) {
    /** What is compressed when no type is given: text that compresses well. */
    public static final List<String> TEXT_TYPES = List.of("text/html", "text/plain", "text/css", "text/xml",
            "text/javascript", "application/javascript", "application/json", "application/xml", "image/svg+xml");

    public Compression {
        algorithms = algorithms.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        for (String algorithm : algorithms) {
            if (!algorithm.equals("gzip") && !algorithm.equals("deflate")) {
                throw new IllegalArgumentException("compressionAlgo: '" + algorithm + "' (expected: gzip or deflate)");
            }
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("compressionAlgo: empty (expected: gzip or deflate)");
        }
        contentTypes = contentTypes.isEmpty() ? TEXT_TYPES
                : contentTypes.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    }

    /** The algorithm to use for a request with this Accept-Encoding, or {@code null} when it takes none of ours. */
    public String negotiate(String acceptEncoding) {
        if (acceptEncoding == null) {
            return null;
        }
        String accepted = acceptEncoding.toLowerCase(Locale.ROOT);
        for (String algorithm : algorithms) {
            for (String token : accepted.split(",")) {
                String[] parts = token.strip().split(";");
                if (parts[0].strip().equals(algorithm) && !refused(parts)) {
                    return algorithm;
                }
            }
        }
        return null;
    }

    private static boolean refused(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2)) == 0;
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether an answer of this Content-Type (parameters ignored) is compressed. */
    public boolean compresses(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        return contentTypes.contains(type);
    }
}

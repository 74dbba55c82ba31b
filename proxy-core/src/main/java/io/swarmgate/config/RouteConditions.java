package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import com.google.re2j.Pattern;
import io.swarmgate.proxy.route.RouteCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a destination's matching parameters into its route's condition: {@code pathType} other than
 * {@code path_beg}, {@code servicePathExclude}, {@code serviceHeader}, {@code userAgent} and a
 * {@code serviceDomainAlgo} other than exact matching. All must hold.
 */
final class RouteConditions {
    /** How the route's paths are indexed: the values themselves as prefixes, or every path. */
    enum Indexing { BY_PREFIX, EVERY_PATH }

    private RouteConditions() {
    }

    /** Whether the destination's paths can be indexed as prefixes, so the condition only narrows them. */
    static Indexing indexing(DestinationSpec destination) {
        return matchesByPrefix(pathType(destination)) ? Indexing.BY_PREFIX : Indexing.EVERY_PATH;
    }

    /**
     * Whether a {@code pathType}'s values are path prefixes (and start with {@code /}): {@code path_beg}, {@code path}
     * and {@code path_dir}; suffixes, substrings and regular expressions are not. Empty means {@code path_beg}.
     */
    static boolean matchesByPrefix(String pathType) {
        return switch (pathType) {
            case "path_end", "path_sub", "path_reg" -> false;
            default -> true;
        };
    }

    /** Whether its domains are matched by the table's exact and wildcard index. */
    static boolean indexesDomains(ServiceSpec service) {
        return hostMatch(service) == null;
    }

    /** The condition, or {@code null} when the destination has none. */
    static RouteCondition compile(ServiceSpec service, DestinationSpec destination) {
        List<RouteCondition> all = new ArrayList<>();
        PathMatch paths = pathMatch("servicePath", pathType(destination), destination.servicePath());
        if (paths != null) {
            all.add((uri, end, host, headers) -> paths.test(uri, end));
        }
        if (!destination.servicePathExclude().isEmpty()) {
            PathMatch excluded = pathMatch("servicePathExclude", pathType(destination),
                    destination.servicePathExclude());
            PathMatch exclusion = excluded != null ? excluded : prefixes(destination.servicePathExclude());
            all.add((uri, end, host, headers) -> !exclusion.test(uri, end));
        }
        Map<String, String> required = destination.serviceHeader();
        if (!required.isEmpty()) {
            all.add((uri, end, host, headers) -> required.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(headers.header(e.getKey()))));
        }
        if (!destination.userAgent().isEmpty()) {
            List<String> agents = destination.userAgent().stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
            all.add((uri, end, host, headers) -> {
                String agent = headers.header("User-Agent");
                if (agent == null) {
                    return false;
                }
                String lower = agent.toLowerCase(Locale.ROOT);
                return agents.stream().anyMatch(lower::contains);
            });
        }
        HostMatch hosts = hostMatch(service);
        if (hosts != null && !destination.serviceDomain().isEmpty()) {
            boolean suffixes = hasSuffixDomain(service);
            List<String> domains = destination.serviceDomain().stream()
                    .map(d -> (suffixes ? stripLeadingStars(d) : d).toLowerCase(Locale.ROOT)).toList();
            all.add((uri, end, host, headers) -> host != null && hosts.test(hostName(host), domains));
        }
        if (all.isEmpty()) {
            return null;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        RouteCondition[] conditions = all.toArray(RouteCondition[]::new);
        return (uri, end, host, headers) -> {
            for (RouteCondition condition : conditions) {
                if (!condition.test(uri, end, host, headers)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static String pathType(DestinationSpec destination) {
        return destination.pathType().isEmpty() ? DestinationSpec.PATH_BEG : destination.pathType();
    }

    /** A test of the path against the values; {@code null} for {@code path_beg}, which the prefix index does alone. */
    @FunctionalInterface
    private interface PathMatch {
        boolean test(CharSequence uri, int pathEnd);
    }

    private static PathMatch pathMatch(String parameter, String pathType, List<String> values) {
        return switch (pathType) {
            case "path_beg" -> null;
            case "path" -> (uri, end) -> values.stream().anyMatch(v -> regionEquals(uri, end, v));
            case "path_dir" -> (uri, end) -> values.stream().anyMatch(v -> isDirectory(uri, end, v));
            case "path_end" -> (uri, end) -> {
                String path = uri.subSequence(0, end).toString();
                return values.stream().anyMatch(path::endsWith);
            };
            case "path_sub" -> (uri, end) -> {
                String path = uri.subSequence(0, end).toString();
                return values.stream().anyMatch(path::contains);
            };
            case "path_reg" -> {
                List<Pattern> patterns = new ArrayList<>();
                for (String value : values) {
                    patterns.add(UserPatterns.compile(parameter, value));
                }
                yield (uri, end) -> {
                    CharSequence path = uri.subSequence(0, end);
                    return patterns.stream().anyMatch(p -> p.matcher(path).find());
                };
            }
            default -> throw invalid("pathType", pathType, "path_beg, path, path_dir, path_end, path_sub or path_reg");
        };
    }

    private static PathMatch prefixes(List<String> values) {
        return (uri, end) -> {
            String path = uri.subSequence(0, end).toString();
            return values.stream().anyMatch(path::startsWith);
        };
    }

    private static boolean regionEquals(CharSequence uri, int end, String value) {
        if (end != value.length()) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            if (uri.charAt(i) != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** HAProxy's path_dir: the value is a whole run of segments of the path. */
    private static boolean isDirectory(CharSequence uri, int end, String value) {
        String path = uri.subSequence(0, end).toString();
        if (!path.startsWith(value)) {
            return false;
        }
        return path.length() == value.length() || value.endsWith("/") || path.charAt(value.length()) == '/';
    }

    /** How a Host header is compared with a domain, when not exactly. */
    @FunctionalInterface
    private interface HostMatch {
        boolean test(String host, List<String> domains);
    }

    /**
     * As in DFP, a domain written {@code *example.com} (a star and no dot) turns the service's domain matching into
     * {@code hdr_end(host)}: every domain of the service, its stars removed, is a suffix of the host, so
     * {@code *example.com} matches {@code example.com}, {@code www.example.com} and {@code notexample.com}. Unlike
     * DFP, which removes the star of the first such domain only, every domain loses its stars, and the port of the
     * Host header is not part of the comparison.
     */
    private static boolean hasSuffixDomain(ServiceSpec service) {
        return service.destinations().stream().flatMap(d -> d.serviceDomain().stream())
                .anyMatch(d -> d.startsWith("*") && !d.startsWith("*."));
    }

    private static String stripLeadingStars(String domain) {
        int first = 0;
        while (first < domain.length() && domain.charAt(first) == '*') {
            first++;
        }
        return domain.substring(first);
    }

    private static HostMatch hostMatch(ServiceSpec service) {
        String algo = service.serviceDomainAlgo();
        if (hasSuffixDomain(service)) {
            if (!algo.isEmpty() && !algo.equals("hdr_end(host)")) {
                throw invalid("serviceDomainAlgo", algo, "empty or hdr_end(host) with a serviceDomain such as "
                        + "*example.com, which matches by suffix");
            }
            algo = "hdr_end(host)";
        }
        return switch (algo) {
            case "", "hdr(host)" -> null;
            case "hdr_beg(host)" -> (host, domains) -> domains.stream().anyMatch(host::startsWith);
            case "hdr_end(host)" -> (host, domains) -> domains.stream().anyMatch(host::endsWith);
            case "hdr_dom(host)" -> (host, domains) -> domains.stream().anyMatch(d -> host.equals(d)
                    || host.endsWith("." + d) || host.startsWith(d + ".") || host.contains("." + d + "."));
            default -> throw invalid("serviceDomainAlgo", algo, "hdr(host), hdr_beg(host), hdr_end(host) or "
                    + "hdr_dom(host)");
        };
    }

    /** The Host header without its port, in lower case. */
    private static String hostName(CharSequence host) {
        String text = host.toString().toLowerCase(Locale.ROOT);
        int colon = text.lastIndexOf(':');
        return colon > 0 && text.indexOf(']') < colon ? text.substring(0, colon) : text;
    }
}

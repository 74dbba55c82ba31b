package io.swarmgate.proxy.policy;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * {@code reqPathSearchReplace}: each rule replaces the first match of its regular expression in the path (the query is
 * untouched), in order. When the rewritten path is the end of the original, the part cut off is sent as
 * {@code X-Forwarded-Prefix}, so a backend can build its own links.
 */
public final class PathRewrite implements RoutePolicy {
    /** One search and its replacement, with {@code $1}-style group references. */
    public record Rule(Pattern search, String replacement) {
    }

    private final List<Rule> rules;

    public PathRewrite(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        String original = request.path();
        String path = original;
        for (Rule rule : rules) {
            path = rule.search().matcher(path).replaceFirst(rule.replacement());
        }
        if (!path.equals(original)) {
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            request.path(path);
            if (original.endsWith(path) && original.length() > path.length()) {
                request.removeHeader("X-Forwarded-Prefix");
                request.addHeader("X-Forwarded-Prefix", original.substring(0, original.length() - path.length()));
            }
        }
        return PolicyResult.PROCEED;
    }
}

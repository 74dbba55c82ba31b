package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.swarmgate.proxy.policy.BasicAuth;
import io.swarmgate.proxy.policy.BodyLimit;
import io.swarmgate.proxy.policy.CircuitBreaker;
import io.swarmgate.proxy.policy.ClientCertificateRequired;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.ConcurrencyLimit;
import io.swarmgate.proxy.policy.Cors;
import io.swarmgate.proxy.policy.DomainRedirect;
import io.swarmgate.proxy.policy.ForwardAuth;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.HeaderNames;
import io.swarmgate.proxy.policy.HeaderTemplate;
import io.swarmgate.proxy.policy.HttpsRedirect;
import io.swarmgate.proxy.policy.IpAccess;
import io.swarmgate.proxy.policy.MethodRule;
import io.swarmgate.proxy.policy.Mirror;
import io.swarmgate.proxy.policy.PathRewrite;
import io.swarmgate.proxy.policy.PlainHttpDenial;
import io.swarmgate.proxy.policy.RateLimit;
import io.swarmgate.proxy.policy.RoutePolicy;
import io.swarmgate.proxy.policy.RequestHeaderRule;
import io.swarmgate.proxy.policy.RequestHeaderRule.Action;
import io.swarmgate.proxy.policy.ResponseCompression;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.policy.RouteTimeouts;
import io.swarmgate.proxy.policy.SecurityHeaders;
import io.swarmgate.proxy.policy.TlsCondition;
import io.swarmgate.proxy.upstream.Backend;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.commons.codec.digest.Crypt;

/**
 * Turns a destination's DFP routing rules into its route's policies, in the order they apply: the client address
 * lists, the rate limit, the circuit breaker, the concurrency limit, CORS preflights, the body limit, the timeouts,
 * compression, access (methods, {@code denyHttp}), basic auth, forward auth, redirects, path rewrites, request
 * headers, the canary's split, the mirror, the retry budget's count; then the response header edits, and the retries.
 * A value the data plane cannot honour is refused here, with a 400 naming its parameter.
 */
final class RouteRules {
    private static final int DEFAULT_REDIRECT_CODE = 302;

    private RouteRules() {
    }

    /** @param backend the route's backend, which a canary's is like */
    static RoutePolicies compile(ServiceSpec service, DestinationSpec destination, GlobalRules global,
                                 Backend backend) {
        List<RoutePolicy> policies = new ArrayList<>();
        if (!destination.allowedIps().isEmpty() || !destination.deniedIps().isEmpty()) {
            // First: a client refused by address costs no other policy any work.
            policies.add(new IpAccess(ServiceValidation.ipRanges("allowedIps", destination.allowedIps()),
                    ServiceValidation.ipRanges("deniedIps", destination.deniedIps())));
        }
        RateLimits.Settings rateLimit = RateLimits.parse(destination, true, UnaryOperator.identity());
        if (rateLimit != null) {
            policies.add(new RateLimit(rateLimit.interval(), rateLimit.burst(), rateLimit.header()));
        }
        CircuitBreaker.Settings breaker = BreakerRules.parse(destination.guards(), destination.reqMode(), true,
                UnaryOperator.identity());
        if (breaker != null) {
            // Before CORS, access rules and auth: an open breaker answers at once, asking no auth service.
            policies.add(new CircuitBreaker(breaker));
        }
        ConcurrencyLimit concurrency = ConcurrencyRules.parse(destination.guards(), destination.reqMode(), true,
                UnaryOperator.identity());
        if (concurrency != null) {
            policies.add(concurrency); // a request refused by address, rate or breaker takes no permit
        }
        Cors cors = CorsRules.parse(destination, true, UnaryOperator.identity());
        if (cors != null) {
            // Before the access rules and basic auth: a browser's preflight carries no credentials.
            policies.add(cors);
        }
        if (service.maxRequestBodyBytes() > 0) {
            policies.add(new BodyLimit(service.maxRequestBodyBytes()));
        }
        Duration backendTimeout = serverTimeout(destination);
        Duration tunnelTimeout = tunnelTimeout(destination);
        if (backendTimeout != null || tunnelTimeout != null) {
            policies.add(new RouteTimeouts(backendTimeout, tunnelTimeout));
        }
        Compression compression = RouteCompiler.compression(service, global);
        if (compression != null) {
            policies.add(new ResponseCompression(compression));
        }
        if (!destination.allowedMethods().isEmpty() || !destination.deniedMethods().isEmpty()) {
            policies.add(new MethodRule(new HashSet<>(destination.allowedMethods()),
                    new HashSet<>(destination.deniedMethods())));
        }
        if (destination.denyHttp()) {
            policies.add(new PlainHttpDenial());
        }
        if (destination.verifyClientSsl()) {
            policies.add(new ClientCertificateRequired());
        }
        if (!destination.ignoreAuthorization()) {
            BasicAuth auth = basicAuth(service, global);
            if (auth != null) {
                policies.add(auth);
            }
        }
        ForwardAuth forwardAuth = ForwardAuths.parse(destination.guards(), destination.reqMode(), true,
                UnaryOperator.identity());
        if (forwardAuth != null) {
            policies.add(forwardAuth);
        }
        redirects(service, destination, policies);
        PathRewrite rewrite = pathRewrite(service, destination);
        if (rewrite != null) {
            policies.add(rewrite);
        }
        List<RequestHeaderRule.Edit> headerEdits = requestHeaderEdits(service);
        if (!headerEdits.isEmpty()) {
            policies.add(new RequestHeaderRule(headerEdits));
        }
        CanaryRules.Settings canary = CanaryRules.parse(destination, true, UnaryOperator.identity());
        if (canary != null) {
            // After the policies that answer: a request refused or redirected goes to neither variant.
            policies.add(CanaryRules.policy(canary, backend));
        }
        Mirror mirror = MirrorRules.parse(destination, true, UnaryOperator.identity(), backend);
        if (mirror != null) {
            policies.add(mirror);
        }
        RetryRules.Settings retries = RetryRules.parse(destination.guards(), destination.reqMode(), true,
                UnaryOperator.identity());
        if (retries != null && retries.budget() != null) {
            policies.add(retries.budget()); // last: it counts the requests that go to the backend
        }
        HeaderEdits[] answerEdits = responseEdits(service,
                SecurityHeaderRules.parse(destination, true, UnaryOperator.identity()), cors);
        RoutePolicies composed = RoutePolicies.of(policies, answerEdits[0], answerEdits[1]);
        return retries == null ? composed : composed.withRetries(retries.policy());
    }

    /** {@code timeoutServer} in seconds, or {@code null} for the server's setting. */
    static Duration serverTimeout(DestinationSpec destination) {
        return seconds("timeoutServer", destination.timeoutServer());
    }

    /** {@code timeoutClient} in seconds, or {@code null} when not given. */
    static Duration clientTimeout(DestinationSpec destination) {
        return seconds("timeoutClient", destination.timeoutClient());
    }

    /** {@code timeoutTunnel} in seconds, or {@code null} for the default. */
    static Duration tunnelTimeout(DestinationSpec destination) {
        return seconds("timeoutTunnel", destination.timeoutTunnel());
    }

    private static Duration seconds(String parameter, String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        int seconds = ParameterValues.nonNegative(parameter, raw);
        if (seconds == 0) {
            throw invalid(parameter, raw, "a number of seconds above 0");
        }
        return Duration.ofSeconds(seconds);
    }

    private static void redirects(ServiceSpec service, DestinationSpec destination, List<RoutePolicy> policies) {
        int code = redirectCode(destination.httpsRedirectCode());
        if (destination.httpsOnly()) {
            policies.add(new HttpsRedirect(HttpsRedirect.When.NOT_SECURE, code));
        }
        if (service.redirectWhenHttpProto()) {
            policies.add(new HttpsRedirect(HttpsRedirect.When.FORWARDED_PROTO_HTTP, code));
        }
        if (service.redirectUnlessHttpsProto()) {
            policies.add(new HttpsRedirect(HttpsRedirect.When.FORWARDED_PROTO_NOT_HTTPS, code));
        }
        if (!destination.redirectFromDomain().isEmpty()) {
            String target = destination.serviceDomain().stream().filter(d -> !d.startsWith("*")).findFirst()
                    .orElseThrow(() -> invalid("redirectFromDomain", String.join(",", destination.redirectFromDomain()),
                            "a serviceDomain (not a wildcard) to redirect to"));
            policies.add(new DomainRedirect(new HashSet<>(destination.redirectFromDomain()), target));
        }
    }

    private static int redirectCode(String raw) {
        if (raw.isEmpty()) {
            return DEFAULT_REDIRECT_CODE;
        }
        int code = ParameterValues.nonNegative("httpsRedirectCode", raw);
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
            throw invalid("httpsRedirectCode", raw, "301, 302, 303, 307 or 308");
        }
        return code;
    }

    /** The deprecated {@code reqPathSearch}/{@code reqPathReplace} pair first, then {@code reqPathSearchReplace}. */
    private static PathRewrite pathRewrite(ServiceSpec service, DestinationSpec destination) {
        List<PathRewrite.Rule> rules = new ArrayList<>();
        if (!service.reqPathSearch().isEmpty()) {
            rules.add(rule("reqPathSearch", service.reqPathSearch(), service.reqPathReplace()));
        }
        String pairs = destination.reqPathSearchReplace();
        if (!pairs.isEmpty()) {
            for (String pair : pairs.split(":")) {
                int comma = pair.indexOf(',');
                if (comma < 0) {
                    throw invalid("reqPathSearchReplace", pairs, "search,replace pairs separated by ':'");
                }
                rules.add(rule("reqPathSearchReplace", pair.substring(0, comma), pair.substring(comma + 1)));
            }
        }
        return rules.isEmpty() ? null : new PathRewrite(rules);
    }

    /** HAProxy's regsub: a regular expression, and a replacement where {@code \1} names a group. */
    private static PathRewrite.Rule rule(String parameter, String search, String replace) {
        String replacement = Matcher.quoteReplacement(replace).replaceAll("\\\\\\\\(\\d)", "\\$$1");
        return new PathRewrite.Rule(UserPatterns.compile(parameter, search), replacement);
    }

    private static List<RequestHeaderRule.Edit> requestHeaderEdits(ServiceSpec service) {
        List<RequestHeaderRule.Edit> edits = new ArrayList<>();
        for (String raw : service.delReqHeader()) {
            Conditional rule = Conditional.parse("delReqHeader", raw);
            edits.add(new RequestHeaderRule.Edit(Action.DELETE, headerName("delReqHeader", rule.text()), null,
                    rule.condition()));
        }
        for (String raw : service.setReqHeader()) {
            edits.add(requestEdit("setReqHeader", Action.SET, raw));
        }
        for (String raw : service.addReqHeader()) {
            edits.add(requestEdit("addReqHeader", Action.ADD, raw));
        }
        return edits;
    }

    private static RequestHeaderRule.Edit requestEdit(String parameter, Action action, String raw) {
        Conditional rule = Conditional.parse(parameter, raw);
        String[] nameAndValue = nameAndValue(parameter, rule.text());
        try {
            return new RequestHeaderRule.Edit(action, nameAndValue[0], HeaderTemplate.parse(nameAndValue[1]),
                    rule.condition());
        } catch (IllegalArgumentException e) {
            throw invalid(parameter, raw, "'Name value' with a literal value or %[src], %[dst_port], %[req.hdr(Name)] ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * The answer's header edits over TLS, then over plain HTTP: they differ when a rule has a condition, and for HSTS.
     * The security preset's come first, so that a rule can change one of its fields; CORS' come last, so that they
     * replace an {@code Access-Control-Allow-Origin} that a rule set.
     */
    private static HeaderEdits[] responseEdits(ServiceSpec service, SecurityHeaders preset, Cors cors) {
        HeaderEdits.Builder overTls = HeaderEdits.builder();
        HeaderEdits.Builder overPlain = HeaderEdits.builder();
        if (preset != null) {
            preset.addTo(overTls, overPlain);
        }
        for (String raw : service.delResHeader()) {
            Conditional rule = Conditional.parse("delResHeader", raw);
            String name = headerName("delResHeader", rule.text());
            rule.to(overTls, overPlain, edits -> edits.remove(name));
        }
        for (String raw : service.setResHeader()) {
            Conditional rule = Conditional.parse("setResHeader", raw);
            String[] nameAndValue = nameAndValue("setResHeader", rule.text());
            String value = literal("setResHeader", raw, nameAndValue[1]);
            rule.to(overTls, overPlain, edits -> edits.set(nameAndValue[0], value));
        }
        for (String raw : service.addResHeader()) {
            Conditional rule = Conditional.parse("addResHeader", raw);
            String[] nameAndValue = nameAndValue("addResHeader", rule.text());
            String value = literal("addResHeader", raw, nameAndValue[1]);
            rule.to(overTls, overPlain, edits -> edits.add(nameAndValue[0], value));
        }
        if (cors != null) {
            cors.addTo(overTls);
            cors.addTo(overPlain);
        }
        return new HeaderEdits[] {overTls.build(), overPlain.build()};
    }

    private static String literal(String parameter, String raw, String value) {
        try {
            HeaderTemplate template = HeaderTemplate.parse(value);
            if (!template.isLiteral()) {
                throw invalid(parameter, raw, "a literal value (samples such as %[src] apply to request headers only)");
            }
            return template.literal();
        } catch (IllegalArgumentException e) {
            throw invalid(parameter, raw, "a literal value (" + e.getMessage() + ")");
        }
    }

    /**
     * A header rule and its HAProxy condition, of those DFP's documentation shows: {@code if { ssl_fc }},
     * {@code if !{ ssl_fc }} and their {@code unless} forms. A quoted value may contain {@code if}.
     */
    private record Conditional(String text, TlsCondition condition) {
        private static final Pattern KEYWORD = Pattern.compile("(?:^|\\s+)(if|unless)(?:\\s+|$)");

        static Conditional parse(String parameter, String raw) {
            String text = raw.strip();
            int quote = text.indexOf('"');
            int searchFrom = quote < 0 ? 0 : Math.max(text.indexOf('"', quote + 1), quote);
            Matcher keyword = KEYWORD.matcher(text);
            if (!keyword.find(searchFrom)) {
                return new Conditional(text, TlsCondition.ALWAYS);
            }
            String condition = text.substring(keyword.end()).replaceAll("\\s+", "");
            boolean unless = keyword.group(1).equals("unless");
            TlsCondition when = switch (condition) {
                case "{ssl_fc}" -> unless ? TlsCondition.PLAIN : TlsCondition.TLS;
                case "!{ssl_fc}" -> unless ? TlsCondition.TLS : TlsCondition.PLAIN;
                default -> throw invalid(parameter, raw, "no condition, or 'if { ssl_fc }' or 'if !{ ssl_fc }' "
                        + "(HAProxy's other conditions are not supported)");
            };
            return new Conditional(text.substring(0, keyword.start()).strip(), when);
        }

        /** Makes the edit in the edits of the connections where the condition holds. */
        void to(HeaderEdits.Builder overTls, HeaderEdits.Builder overPlain, Consumer<HeaderEdits.Builder> edit) {
            if (condition.holds(true)) {
                edit.accept(overTls);
            }
            if (condition.holds(false)) {
                edit.accept(overPlain);
            }
        }
    }

    /** HAProxy's {@code <name> <value>}; a colon after the name is tolerated. */
    private static String[] nameAndValue(String parameter, String raw) {
        String text = raw.strip();
        int space = 0;
        while (space < text.length() && !Character.isWhitespace(text.charAt(space))) {
            space++;
        }
        String name = text.substring(0, space);
        if (name.endsWith(":")) {
            name = name.substring(0, name.length() - 1);
        }
        return new String[] {headerName(parameter, name), text.substring(space).strip()};
    }

    private static String headerName(String parameter, String name) {
        if (!HeaderNames.isName(name)) {
            throw invalid(parameter, name, "a header name");
        }
        return name;
    }

    /**
     * The service's users ({@code users} and the {@code usersSecret} file, realm {@code <serviceName>Realm}), else the
     * global ones (realm {@code defaultRealm}), else none. A service user without a password takes it from the global
     * list.
     */
    private static BasicAuth basicAuth(ServiceSpec service, GlobalRules global) {
        List<User> users = new ArrayList<>(service.users());
        boolean encrypted = service.users().stream().anyMatch(User::passEncrypted);
        users.addAll(global.secretUsers(service.usersSecret(), encrypted));
        if (!users.isEmpty()) {
            return new BasicAuth(service.serviceName() + "Realm", passwords(users, global.users()));
        }
        if (!global.users().isEmpty()) {
            return new BasicAuth("defaultRealm", passwords(global.users(), List.of()));
        }
        return null;
    }

    /** Per user, a constant-time check of a plain password or a check against its crypt(3) hash. */
    private static Map<String, Predicate<String>> passwords(List<User> listed, List<User> fallback) {
        Map<String, Predicate<String>> checks = new LinkedHashMap<>();
        for (User named : listed) {
            User user = named.password().isEmpty()
                    ? fallback.stream().filter(u -> u.username().equals(named.username())).findFirst().orElse(named)
                    : named;
            byte[] expected = user.password().getBytes(StandardCharsets.UTF_8);
            if (user.password().isEmpty()) {
                // Its password was to come from a global list that does not name it: nobody may log in as it.
                checks.put(user.username(), given -> false);
            } else if (user.passEncrypted()) {
                String hash = user.password();
                if (!hash.startsWith("$1$") && !hash.startsWith("$5$") && !hash.startsWith("$6$")) {
                    throw invalid("users", user.username() + ":***", "crypt(3) hashes ($6$, $5$ or $1$) with "
                            + "usersPassEncrypted");
                }
                checks.put(user.username(), given -> MessageDigest.isEqual(
                        Crypt.crypt(given.getBytes(StandardCharsets.UTF_8), hash).getBytes(StandardCharsets.UTF_8),
                        expected));
            } else {
                checks.put(user.username(), given -> MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), expected));
            }
        }
        return checks;
    }
}

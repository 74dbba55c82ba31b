package io.swarmgate.proxy.policy;

import io.swarmgate.proxy.upstream.Backend;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code canaryService} and its companions: a share of the route's requests goes to a variant of its service. Each
 * request draws its variant by weight on its own thread (no counter shared between connections, nothing to lock);
 * over many requests the share is the weight's. A request may force its variant by a header ({@code canary} or
 * {@code stable}), or by the route's cookie, which, when the route has one, also keeps a client on the variant it
 * drew: an answer whose request did not carry it sets it. A change of weight is a new route, taken by the next request
 * of every connection.
 */
public final class CanarySplit implements RoutePolicy {
    public static final String CANARY = "canary";
    public static final String STABLE = "stable";
    /** The weight's unit: a hundredth of a percent. */
    public static final int ALL = 10_000;

    private final Backend canary;
    private final int weight;
    private final String header;
    private final String cookie;
    private final HeaderEdits pinCanary;
    private final HeaderEdits pinStable;

    /**
     * @param canary the variant's backend
     * @param weight the variant's share of the requests, in hundredths of a percent (0 to {@link #ALL})
     * @param header the header forcing a variant, or {@code null}
     * @param cookie the cookie that forces a variant and keeps a client on the one it drew, or {@code null}
     */
    public CanarySplit(Backend canary, int weight, String header, String cookie) {
        if (weight < 0 || weight > ALL) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0-" + ALL + ")");
        }
        this.canary = canary;
        this.weight = weight;
        this.header = header;
        this.cookie = cookie;
        this.pinCanary = cookie == null ? HeaderEdits.NONE : pin(cookie, CANARY);
        this.pinStable = cookie == null ? HeaderEdits.NONE : pin(cookie, STABLE);
    }

    private static HeaderEdits pin(String cookie, String variant) {
        return HeaderEdits.builder().add("Set-Cookie", cookie + "=" + variant + "; Path=/; HttpOnly").build();
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        String forced = header == null ? null : request.header(header);
        String pinned = cookie == null ? null : pinnedVariant(request.header("Cookie"));
        boolean toCanary;
        if (CANARY.equals(forced) || STABLE.equals(forced)) {
            toCanary = CANARY.equals(forced);
        } else if (CANARY.equals(pinned) || STABLE.equals(pinned)) {
            toCanary = CANARY.equals(pinned);
        } else {
            toCanary = weight > 0 && ThreadLocalRandom.current().nextInt(ALL) < weight;
            if (cookie != null) {
                request.editAnswer(toCanary ? pinCanary : pinStable);
            }
        }
        if (toCanary) {
            request.backend(canary);
        }
        return PolicyResult.PROCEED;
    }

    /**
     * The variant the route's cookie names among the request's cookies ({@link #CANARY}, {@link #STABLE}), or
     * {@code null}: read in place, without splitting the header into cookies.
     */
    private String pinnedVariant(String cookies) {
        if (cookies == null) {
            return null;
        }
        int at = 0;
        while (at < cookies.length()) {
            int end = cookies.indexOf(';', at);
            if (end < 0) {
                end = cookies.length();
            }
            while (at < end && cookies.charAt(at) == ' ') {
                at++;
            }
            int value = at + cookie.length() + 1;
            if (value <= end && cookies.startsWith(cookie, at) && cookies.charAt(value - 1) == '=') {
                return isValue(cookies, value, end, CANARY) ? CANARY : isValue(cookies, value, end, STABLE) ? STABLE
                        : null;
            }
            at = end + 1;
        }
        return null;
    }

    private static boolean isValue(String cookies, int from, int end, String value) {
        if (end - from < value.length() || !cookies.startsWith(value, from)) {
            return false;
        }
        for (int i = from + value.length(); i < end; i++) {
            if (cookies.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }
}

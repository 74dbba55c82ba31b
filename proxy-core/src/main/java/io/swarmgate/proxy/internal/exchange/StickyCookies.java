package io.swarmgate.proxy.internal.exchange;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.swarmgate.proxy.internal.upstream.Endpoint;
import io.swarmgate.proxy.route.RequestHeaders;
import java.nio.charset.StandardCharsets;

/**
 * The cookie of sticky sessions ({@code sessionType=sticky-server}): {@code swarmgate-<service>} holds the id of the
 * task a client is pinned to. Netty's cookie codec reads and writes it.
 */
final class StickyCookies {
    private StickyCookies() {
    }

    /** The task id the request's cookie names for this service, or {@code null}. */
    static String read(RequestHeaders head, String service) {
        String header = head.header("Cookie");
        if (header == null) {
            return null;
        }
        String name = name(service);
        for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
            if (cookie.name().equals(name)) {
                return cookie.value();
            }
        }
        return null;
    }

    /**
     * The Set-Cookie line pinning the client to {@code task}, or {@code null} when its cookie names that task already.
     */
    static byte[] update(String service, Endpoint task, String current) {
        if (task.stickyId().equals(current)) {
            return null;
        }
        DefaultCookie cookie = new DefaultCookie(name(service), task.stickyId());
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        return ("Set-Cookie: " + ServerCookieEncoder.STRICT.encode(cookie) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String name(String service) {
        return "swarmgate-" + service;
    }
}

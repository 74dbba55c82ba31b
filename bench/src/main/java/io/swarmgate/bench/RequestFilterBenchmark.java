package io.swarmgate.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.proxy.RequestPreview;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.Queries;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a request head costs once its route is found: the route's policies run over it and the head for the backend
 * is encoded with their changes, through {@link RequestPreview#forward}, which runs the code an exchange runs. The
 * routes come from reconfigure parameters through the config model, the head from request bytes through the proxy's
 * own parser, both in setup. Run it with {@code -prof gc} for the bytes allocated per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RequestFilterBenchmark {
    private static final String SERVICE = "serviceName=go-demo&servicePath=/demo&port=8080";

    /** The route's rules, as reconfigure parameters. */
    public enum Rules {
        /** No rules: the head goes through unfiltered, the baseline. */
        NONE(""),
        /** Request header edits only: one removed, one set, two added (one with the client's address). */
        HEADERS("&delReqHeader=X-Debug&setReqHeader=X-Service go-demo&addReqHeader=X-Client-Ip %[src],X-Via swarmgate"),
        /** What a typical DFP service behind a login has: basic auth, the path prefix stripped, the header edits. */
        TYPICAL("&users=admin:s3cret-Pa55&reqPathSearchReplace=/demo/,/" + HEADERS.parameters),
        /** The header edits behind client address lists: an IPv4 and an IPv6 block allowed, a block denied. */
        IP_LISTS("&allowedIps=10.0.0.0/8,2001:db8::/32&deniedIps=10.9.0.0/16" + HEADERS.parameters),
        /** The header edits behind a rate limit per client that this loop never reaches: its bucket's CAS each time. */
        RATE_LIMIT("&rateLimit=999999999/s&rateLimitBurst=999999999" + HEADERS.parameters),
        /** The header edits behind CORS: a GET without {@code Origin}, let through. */
        CORS("&corsAllowOrigins=https://app.example.com" + HEADERS.parameters),
        /** The header edits behind CORS with two origins: a GET without {@code Origin}, its answer edit set. */
        CORS_ORIGINS("&corsAllowOrigins=https://app.example.com,https://admin.example.com" + HEADERS.parameters),
        /** The header edits and the strict security preset, which adds to the route's answer edits only. */
        SECURITY_HEADERS("&securityHeaders=strict" + HEADERS.parameters),
        /** The header edits behind a 5 % canary with a cookie: the draw, and the cookie's answer edit. */
        CANARY("&canaryService=go-demo-v2&canaryWeight=5&canaryCookie=variant" + HEADERS.parameters),
        /** The header edits behind a mirror of every request: the decision only (the copy is the exchange's). */
        MIRROR("&mirrorService=go-demo-shadow" + HEADERS.parameters),
        /** The header edits behind a closed circuit breaker: one volatile read per request. */
        BREAKER("&breakerErrorRatio=50" + HEADERS.parameters),
        /** The header edits behind concurrency limits per route and per client: permits taken and given back. */
        CONCURRENCY("&concurrencyLimit=1000&concurrencyLimitPerClient=100" + HEADERS.parameters),
        /** The header edits behind a retry budget: each request counted in its sliding window. */
        RETRY_BUDGET("&retryOn=connect,503&retryBudget=20" + HEADERS.parameters);

        final String parameters;

        Rules(String parameters) {
            this.parameters = parameters;
        }
    }

    @Param({"NONE", "HEADERS", "TYPICAL", "IP_LISTS", "RATE_LIMIT", "CORS", "CORS_ORIGINS", "SECURITY_HEADERS", "CANARY",
        "MIRROR", "BREAKER", "CONCURRENCY", "RETRY_BUDGET"})
    Rules rules;

    /** The data plane's allocator. */
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private RequestPreview request;
    private Route route;

    @Setup
    public void setUp() {
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        registry.apply(Queries.service(SERVICE + rules.parameters));
        // A client connection from a Swarm overlay address to port 80, as the proxy sees one.
        request = RequestPreview.of(requestBytes(), new InetSocketAddress("10.0.7.21", 51234),
                new InetSocketAddress("10.0.7.2", 80), false);
        route = request.route(registry.routes());
        if (route == null || route.policies().appliesToRequests() != (rules != Rules.NONE)) {
            throw new IllegalStateException("expected the route of " + rules + ", found " + route);
        }
        checkForwardedHead();
    }

    @TearDown
    public void tearDown() {
        request.close();
    }

    /** The head to forward, released at once: its size keeps the work from being optimised away. */
    @Benchmark
    public int filterAndEncode() {
        ByteBuf forwarded = forwardedHead();
        int size = forwarded.readableBytes();
        forwarded.release();
        return size;
    }

    private ByteBuf forwardedHead() {
        ByteBuf head = request.forward(route, alloc);
        if (head == null) {
            throw new IllegalStateException("the policies answered the request themselves: " + request.answer());
        }
        return head;
    }

    /** A benchmark of the wrong thing is worse than none: the forwarded head must show every rule's effect. */
    private void checkForwardedHead() {
        ByteBuf forwarded = forwardedHead();
        String text = forwarded.toString(StandardCharsets.ISO_8859_1);
        forwarded.release();
        List<String> expected = new ArrayList<>(List.of("X-Forwarded-For: 10.0.7.21\r\n", "Cookie: "));
        List<String> absent = new ArrayList<>();
        if (rules != Rules.NONE) {
            expected.addAll(List.of("X-Client-Ip: 10.0.7.21\r\n", "X-Via: swarmgate\r\n", "X-Service: go-demo\r\n"));
            absent.add("X-Debug");
        }
        if (rules == Rules.TYPICAL) {
            expected.addAll(List.of("GET /items/42?page=2 HTTP/1.1\r\n", "X-Forwarded-Prefix: /demo\r\n"));
            absent.add("Authorization");
        } else {
            expected.addAll(List.of("GET /demo/items/42?page=2 HTTP/1.1\r\n", "Authorization: Basic "));
        }
        for (String line : expected) {
            if (!text.contains(line)) {
                throw new IllegalStateException(rules + ": no '" + line.strip() + "' in\n" + text);
            }
        }
        for (String name : absent) {
            if (text.contains(name + ":")) {
                throw new IllegalStateException(rules + ": '" + name + "' still in\n" + text);
            }
        }
    }

    /** A browser's request with a session cookie and credentials, as a client sends it. */
    private static byte[] requestBytes() {
        String credentials = Base64.getEncoder().encodeToString("admin:s3cret-Pa55".getBytes(StandardCharsets.UTF_8));
        String request = "GET /demo/items/42?page=2 HTTP/1.1\r\n"
                + "Host: go-demo.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
                + "Accept-Language: en-US,en;q=0.5\r\n"
                + "Accept-Encoding: gzip, deflate, br\r\n"
                + "Authorization: Basic " + credentials + "\r\n"
                + "Cookie: session=6f1c2a9e44b04d0f8e1f3c5b7a9d2e40; theme=dark\r\n"
                + "X-Debug: 1\r\n"
                + "Connection: keep-alive\r\n"
                + "\r\n";
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }
}

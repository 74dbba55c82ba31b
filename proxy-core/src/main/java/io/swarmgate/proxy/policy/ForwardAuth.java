package io.swarmgate.proxy.policy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * {@code authUrl}: before a request is forwarded, an authentication service is asked whether it may go, as Traefik's
 * ForwardAuth does: a GET to the URL carrying the request's method, host, scheme and URI in {@code X-Forwarded-*}
 * fields and the request's fields named in {@code authRequestHeaders}. A 2xx answer lets the request through with the
 * answer's fields named in {@code authResponseHeaders} (a field of that name the client sent is removed, so that it
 * cannot claim an identity); any other answer goes back to the client as the service sent it. A service that cannot be
 * reached answers 503, one that stays silent past {@code authTimeout} 504, one that answers what is not HTTP or more
 * than {@link #MAX_ANSWER_BYTES} 502: the request never passes without a 2xx.
 *
 * <p>The question goes out on a new connection of the request's own I/O thread ({@link PolicyRequest#connector}), so
 * that nothing blocks and the decision comes back on that thread.
 */
public final class ForwardAuth implements RoutePolicy, PolicyStats {
    /** Its name in metrics and the access log. */
    public static final String NAME = "auth";
    /** The largest answer relayed: a denial page, not a download. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** Fields of an answer that describe its connection or framing: the proxy writes its own. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "upgrade", "te", "trailer", "proxy-connection", "proxy-authenticate");

    private final URI url;
    private final String hostHeader;
    private final String target;
    private final List<String> requestHeaders;
    private final List<String> answerHeaders;
    private final long timeoutNanos;
    private final LongAdder refused = new LongAdder();
    private final LongAdder unavailable = new LongAdder();

    /**
     * @param url            an {@code http} URL: host, optional port, path and query
     * @param requestHeaders the request's fields sent to the service
     * @param answerHeaders  the fields of a 2xx answer set on the request
     */
    public ForwardAuth(URI url, List<String> requestHeaders, List<String> answerHeaders, Duration timeout) {
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("url: " + url + " (expected: http://host[:port]/path)");
        }
        this.url = url;
        this.hostHeader = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        this.requestHeaders = requestHeaders.stream().map(HeaderNames::check).toList();
        this.answerHeaders = answerHeaders.stream().map(HeaderNames::check).toList();
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        CompletableFuture<PolicyResult> decision = new CompletableFuture<>();
        Bootstrap connector = request.connector();
        Question question = new Question(request, decision);
        ChannelFuture connecting = connector.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER_BYTES),
                        question);
            }
        }).connect(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
        // The whole question is bounded, the connection included: a service that never accepts is as late as one
        // that never answers.
        ScheduledFuture<?> timeout = connector.config().group().next().schedule(() -> {
            if (question.decide(() -> failed(504, "did not answer in time"))) {
                connecting.channel().close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
        decision.whenComplete((decided, error) -> timeout.cancel(false));
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                question.decide(() -> failed(503, "could not be reached"));
            }
        });
        return PolicyResult.later(decision);
    }

    @Override
    public String policy() {
        return NAME;
    }

    /** Requests not let through: the service refused them, or failed, could not be reached or timed out. */
    @Override
    public long refused() {
        return refused.sum() + unavailable.sum();
    }

    /** Requests answered 502, 503 or 504 because the service failed, could not be reached or timed out. */
    public long unavailable() {
        return unavailable.sum();
    }

    private FullHttpRequest question(PolicyRequest request) {
        FullHttpRequest question = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target);
        var headers = question.headers();
        headers.set(HttpHeaderNames.HOST, hostHeader);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        for (String name : requestHeaders) {
            String value = request.header(name);
            if (value != null) {
                headers.set(name, value);
            }
        }
        headers.set("X-Forwarded-Method", request.method().name());
        headers.set("X-Forwarded-Proto", request.secure() ? "https" : "http");
        if (request.host() != null) {
            headers.set("X-Forwarded-Host", request.host());
        }
        headers.set("X-Forwarded-Uri", request.query() == null ? request.path()
                : request.path() + "?" + request.query());
        headers.set("X-Forwarded-For", request.clientAddress());
        return question;
    }

    private PolicyResult decide(PolicyRequest request, FullHttpResponse answer) {
        int status = answer.status().code();
        if (status >= 200 && status < 300) {
            for (String name : answerHeaders) {
                request.removeHeader(name);
                for (String value : answer.headers().getAll(name)) {
                    request.addHeader(name, value);
                }
            }
            return PolicyResult.PROCEED;
        }
        refused.increment();
        List<String[]> headers = new ArrayList<>();
        for (Map.Entry<String, String> header : answer.headers()) {
            if (!NOT_RELAYED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(new String[] {header.getKey(), header.getValue()});
            }
        }
        return LocalResponse.relay(status, headers, ByteBufUtil.getBytes(answer.content())).by(NAME);
    }

    private LocalResponse failed(int status, String why) {
        unavailable.increment();
        return LocalResponse.of(status, "The authentication service " + why + ".").by(NAME);
    }

    /** One request's question to the service, on its own connection: the first outcome decides. */
    private final class Question extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final PolicyRequest request;
        private final CompletableFuture<PolicyResult> decision;

        Question(PolicyRequest request, CompletableFuture<PolicyResult> decision) {
            this.request = request;
            this.decision = decision;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(question(request));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
            decide(() -> answer.decoderResult().isSuccess() ? ForwardAuth.this.decide(request, answer) : broken());
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            decide(this::broken);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            decide(this::broken);
            ctx.close();
        }

        private LocalResponse broken() {
            return failed(502, "gave no usable answer");
        }

        /** Decides with {@code result} unless a decision came already; returns whether this call decided. */
        boolean decide(Supplier<PolicyResult> result) {
            return !decision.isDone() && decision.complete(result.get());
        }
    }
}

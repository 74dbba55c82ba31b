package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.io.SharedBuffers;
import io.swarmgate.proxy.policy.LocalResponse;
import java.nio.charset.StandardCharsets;

/**
 * The short plain-text answers the proxy gives itself, encoded once for each protocol: answering is writing a view of
 * shared bytes, or a shared header list and a view of the body.
 *
 * <p>Internal: public for {@code front} only.
 */
public enum ErrorResponses implements LocalAnswer {
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "Your browser sent an invalid request."),
    AMBIGUOUS_PATH(HttpResponseStatus.BAD_REQUEST, "The request path is malformed or ambiguous."),
    NO_HOST(HttpResponseStatus.BAD_REQUEST, "The request has no valid Host header."),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is too long."),
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request headers are too large."),
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "The request was not received in time."),
    BODY_TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is larger than this service takes."),
    NO_ROUTE(HttpResponseStatus.SERVICE_UNAVAILABLE, "No service is configured for this request."),
    NO_SERVER(HttpResponseStatus.SERVICE_UNAVAILABLE, "No server is available to handle this request."),
    TOO_MANY_CONNECTIONS(HttpResponseStatus.SERVICE_UNAVAILABLE, "The proxy has too many connections; try again."),
    BAD_GATEWAY(HttpResponseStatus.BAD_GATEWAY, "The server returned an invalid or incomplete response."),
    GATEWAY_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "The server didn't respond in time."),
    POLICY_FAILED(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The proxy could not decide on this request.");

    private final int code;
    private final ByteBuf keepAlive;
    private final ByteBuf close;
    private final Http2Headers http2Headers;
    private final ByteBuf body;

    ErrorResponses(HttpResponseStatus status, String message) {
        this.code = status.code();
        LocalResponse response = LocalResponse.of(code, message);
        String text = new String(response.content(), StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + response.contentLength() + "\r\n"
                + "Cache-Control: no-cache\r\n";
        this.keepAlive = SharedBuffers.of(head + "\r\n" + text);
        this.close = SharedBuffers.of(head + "Connection: close\r\n\r\n" + text);
        this.http2Headers = response.http2Headers(null);
        this.body = SharedBuffers.of(text);
    }

    int code() {
        return code;
    }

    /** The same answer with an HTML page of the user's as its body. */
    LocalAnswer withPage(byte[] page) {
        return new PolicyAnswer(LocalResponse.of(code, ""), page);
    }

    @Override
    public int status() {
        return code;
    }

    @Override
    public ByteBuf http1(ByteBufAllocator alloc, boolean keepAlive) {
        return (keepAlive ? this.keepAlive : close).duplicate();
    }

    @Override
    public Http2Headers http2Headers() {
        return http2Headers;
    }

    @Override
    public ByteBuf body(ByteBufAllocator alloc) {
        return body.duplicate();
    }

    @Override
    public int bodyLength() {
        return body.readableBytes();
    }
}

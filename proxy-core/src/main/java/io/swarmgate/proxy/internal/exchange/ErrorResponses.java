package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.swarmgate.proxy.internal.io.SharedBuffers;
import io.swarmgate.proxy.policy.LocalResponse;
import java.nio.charset.StandardCharsets;

/**
 * The short plain-text answers the proxy gives itself, encoded once: answering is writing a view of shared bytes.
 *
 * <p>Internal: public for {@code front} only.
 */
public enum ErrorResponses {
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

    ErrorResponses(HttpResponseStatus status, String message) {
        this.code = status.code();
        String body = status.code() + " " + status.reasonPhrase() + "\n" + message + "\n";
        String head = "HTTP/1.1 " + status + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Cache-Control: no-cache\r\n";
        this.keepAlive = SharedBuffers.of(head + "\r\n" + body);
        this.close = SharedBuffers.of(head + "Connection: close\r\n\r\n" + body);
    }

    int code() {
        return code;
    }

    /** The same answer with an HTML page of the user's as its body. */
    ByteBuf withPage(ByteBufAllocator alloc, byte[] page, boolean keepAlive) {
        return LocalResponse.of(code, "").encodeWithPage(alloc, keepAlive, page);
    }

    /** The whole response, to write as it is; it says {@code Connection: close} unless the connection stays open. */
    public ByteBuf response(boolean keepAlive) {
        return (keepAlive ? this.keepAlive : close).duplicate();
    }
}

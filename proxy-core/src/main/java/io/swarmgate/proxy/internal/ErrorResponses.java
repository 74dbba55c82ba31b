package io.swarmgate.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The short plain-text answers the proxy gives when it cannot relay a backend's answer. */
enum ErrorResponses {
    BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "Your browser sent an invalid request."),
    NO_HOST(HttpResponseStatus.BAD_REQUEST, "The request has no valid Host header."),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is too long."),
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request headers are too large."),
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT, "The request was not received in time."),
    NO_ROUTE(HttpResponseStatus.SERVICE_UNAVAILABLE, "No service is configured for this request."),
    NO_SERVER(HttpResponseStatus.SERVICE_UNAVAILABLE, "No server is available to handle this request."),
    BAD_GATEWAY(HttpResponseStatus.BAD_GATEWAY, "The server returned an invalid or incomplete response."),
    GATEWAY_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "The server didn't respond in time.");

    private final HttpResponseStatus status;
    private final ByteBuf body;

    ErrorResponses(HttpResponseStatus status, String message) {
        this.status = status;
        byte[] text = (status.code() + " " + status.reasonPhrase() + "\n" + message + "\n")
                .getBytes(StandardCharsets.UTF_8);
        this.body = Unpooled.unreleasableBuffer(Unpooled.directBuffer(text.length).writeBytes(text).asReadOnly());
    }

    int code() {
        return status.code();
    }

    FullHttpResponse newResponse(boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body.duplicate());
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }
}

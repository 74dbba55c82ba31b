package io.swarmgate.proxy.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;

/** Rewrites message headers as they cross the proxy: hop-by-hop headers out, forwarding headers in. */
final class ProxyHeaders {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    private static final AsciiString HTTP = AsciiString.cached("http");

    /** Connection-scoped headers (RFC 9110 §7.6.1); Transfer-Encoding stays because bodies are relayed chunk for chunk. */
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.UPGRADE);

    private ProxyHeaders() {
    }

    /**
     * Turns the client's request into the backend's: HTTP/1.1 with keep-alive, no hop-by-hop headers, and the
     * X-Forwarded-* headers describing the client's connection. The Host header passes through unchanged.
     */
    static void toBackendRequest(HttpRequest request, String host, ClientConnection client) {
        HttpHeaders headers = request.headers();
        removeHopByHop(headers);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null ? client.address() : forwardedFor + ", " + client.address());
        headers.set(X_FORWARDED_PROTO, HTTP);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        }
        headers.set(X_FORWARDED_PORT, client.localPortText());
    }

    /**
     * Turns the backend's response into the client's and says whether the client connection stays open after it.
     * The client hears the proxy's own HTTP version. A body delimited only by the backend closing its connection is
     * re-framed as chunked for HTTP/1.1 clients, so their connection survives; HTTP/1.0 clients keep theirs only with a
     * known length, and never get a chunked body.
     */
    static boolean toClientResponse(HttpResponse response, HttpVersion clientVersion, boolean clientKeepAlive) {
        HttpHeaders headers = response.headers();
        removeHopByHop(headers);
        boolean delimitedByClose = !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)
                && mayHaveBody(response.status());
        boolean keepAlive = clientKeepAlive;
        if (clientVersion == HttpVersion.HTTP_1_0) {
            if (HttpUtil.isTransferEncodingChunked(response)) {
                HttpUtil.setTransferEncodingChunked(response, false);
                keepAlive = false;
            } else if (delimitedByClose) {
                keepAlive = false;
            }
            response.setProtocolVersion(HttpVersion.HTTP_1_0);
            if (keepAlive) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            response.setProtocolVersion(HttpVersion.HTTP_1_1);
            if (delimitedByClose) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
            if (!keepAlive) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        return keepAlive;
    }

    private static boolean mayHaveBody(HttpResponseStatus status) {
        int code = status.code();
        return code >= 200 && code != 204 && code != 304;
    }

    private static void removeHopByHop(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            removeListedHeaders(headers, connection);
        }
        for (AsciiString name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /** Removes the headers a Connection header names; its usual tokens (keep-alive, close) name none. */
    private static void removeListedHeaders(HttpHeaders headers, String connection) {
        int start = 0;
        int length = connection.length();
        while (start < length) {
            int end = connection.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            String token = connection.substring(start, end).trim();
            if (!token.isEmpty()
                    && !HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(token)
                    && !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(token)
                    && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(token)) {
                headers.remove(token);
            }
            start = end + 1;
        }
    }
}

package io.swarmgate.proxy.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An answer the proxy gives itself instead of forwarding the request: a denial, a challenge, a redirect, a page. */
public final class LocalResponse implements PolicyResult {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    private final HttpResponseStatus status;
    private final List<String[]> headers;
    /** {@code null} for an answer relayed with its own header fields. */
    private final String contentType;
    private final byte[] body;
    /** The policy that gives this answer, for the access log, or {@code null}. */
    private final String policy;

    private LocalResponse(HttpResponseStatus status, List<String[]> headers, String contentType, byte[] body,
                          String policy) {
        this.status = status;
        this.headers = headers;
        this.contentType = contentType;
        this.body = body;
        this.policy = policy;
    }

    /** A short plain-text answer: the status line and a sentence. */
    public static LocalResponse of(int status, String message) {
        HttpResponseStatus code = HttpResponseStatus.valueOf(status);
        return new LocalResponse(code, List.of(), TEXT,
                (code.code() + " " + code.reasonPhrase() + "\n" + message + "\n").getBytes(StandardCharsets.UTF_8),
                null);
    }

    /** A whole document, e.g. a status page. */
    public static LocalResponse page(int status, String contentType, String body) {
        HeaderNames.line("Content-Type", contentType);
        return new LocalResponse(HttpResponseStatus.valueOf(status), List.of(), contentType,
                body.getBytes(StandardCharsets.UTF_8), null);
    }

    /**
     * Another service's answer passed on as it came: its status, the header fields given (framing fields aside, which
     * the proxy writes) and its body. A user's error page never replaces it.
     *
     * @param headers name and value pairs, in order
     */
    public static LocalResponse relay(int status, List<String[]> headers, byte[] body) {
        for (String[] header : headers) {
            HeaderNames.line(header[0], header[1]);
        }
        return new LocalResponse(HttpResponseStatus.valueOf(status), List.copyOf(headers), null, body.clone(), null);
    }

    /** A redirect to {@code location}. */
    public static LocalResponse redirect(int status, String location) {
        return of(status, "Moved to " + location).withHeader("Location", location);
    }

    public LocalResponse withHeader(String name, String value) {
        HeaderNames.line(name, value);
        List<String[]> more = new ArrayList<>(headers);
        more.add(new String[] {name, value});
        return new LocalResponse(status, List.copyOf(more), contentType, body, policy);
    }

    /** The same answer, given by the policy named, as the access log names it ({@code ratelimit}, {@code auth}...). */
    public LocalResponse by(String policyName) {
        return new LocalResponse(status, headers, contentType, body, policyName);
    }

    /** The policy that gives this answer, or {@code null} when none said. */
    public String policy() {
        return policy;
    }

    /** Whether it is another service's answer passed on ({@link #relay}). */
    public boolean relayed() {
        return contentType == null;
    }

    public int status() {
        return status.code();
    }

    /** The value of a header it sets, or {@code null}. */
    public String header(String name) {
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase(name)) {
                return header[1];
            }
        }
        return null;
    }

    /** The whole answer in wire form. */
    public ByteBuf encode(ByteBufAllocator alloc, boolean keepAlive) {
        return encode(alloc, keepAlive, contentType, body);
    }

    /** The whole answer with a user's HTML error page as its body instead of the built-in text. */
    public ByteBuf encodeWithPage(ByteBufAllocator alloc, boolean keepAlive, byte[] page) {
        return encode(alloc, keepAlive, HTML, page);
    }

    /**
     * The answer's head as an HTTP/2 header list (the same fields as {@link #encode}'s, names in lower case), for its
     * own body ({@link #content}) or, with {@code page}, a user's HTML page as the body.
     */
    public Http2Headers http2Headers(byte @Nullable [] page) {
        String type = page == null ? contentType : HTML;
        Http2Headers fields = new DefaultHttp2Headers(false).status(status.codeAsText());
        if (type != null) {
            fields.add(HttpHeaderNames.CONTENT_TYPE, type);
        }
        fields.addInt(HttpHeaderNames.CONTENT_LENGTH, page == null ? body.length : page.length);
        if (type != null) {
            fields.add(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        }
        for (String[] header : headers) {
            fields.add(AsciiString.of(header[0]).toLowerCase(), header[1]);
        }
        return fields;
    }

    /** The answer's own body (a copy). */
    public byte[] content() {
        return body.clone();
    }

    /** The length of the answer's own body, without copying it. */
    public int contentLength() {
        return body.length;
    }

    private ByteBuf encode(ByteBufAllocator alloc, boolean keepAlive, String contentType, byte[] content) {
        StringBuilder head = new StringBuilder(160).append("HTTP/1.1 ").append(status).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n").append("Cache-Control: no-cache\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\n");
        for (String[] header : headers) {
            head.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        ByteBuf out = alloc.buffer(head.length() + content.length);
        out.writeCharSequence(head, StandardCharsets.ISO_8859_1);
        out.writeBytes(content);
        return out;
    }
}

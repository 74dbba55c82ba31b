package io.swarmgate.proxy.internal.http2;

import static io.swarmgate.proxy.internal.http2.FieldLines.CHUNKED;
import static io.swarmgate.proxy.internal.http2.FieldLines.CRLF;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeText;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http1.HttpError;
import io.swarmgate.proxy.internal.http1.RequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/2 stream's request head, read from its header list where it lies: {@code :authority} is the host, cookie
 * crumbs are one cookie, and an HTTP/1.1 backend gets it encoded once, straight from the list. The limits and checks
 * of an HTTP/1.1 head apply to it as if it were one, so that a request is refused alike whichever protocol carried
 * it (Netty's decoder has already refused field values with control characters). One per lane, reused for each of its
 * streams.
 */
public final class Http2RequestHead implements ClientRequestHead {
    private static final AsciiString CONNECT = HttpMethod.CONNECT.asciiName();
    private static final AsciiString PROTOCOL = Http2Headers.PseudoHeaderName.PROTOCOL.value();
    private static final AsciiString FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final HttpMethod[] KNOWN_METHODS = {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE};
    private static final byte[] HTTP_1_1_CRLF = ascii(" HTTP/1.1\r\n");
    private static final byte[] HOST = ascii("host: ");
    private static final byte[] COOKIE = ascii("cookie");
    private static final byte[] UPGRADE = ascii("upgrade: ");
    private static final byte[] CONNECTION_UPGRADE = ascii("connection: upgrade\r\n");
    private static final byte[] X_FORWARDED_FOR = ascii("x-forwarded-for: ");
    private static final byte[] X_FORWARDED_PROTO = ascii("x-forwarded-proto: ");
    private static final byte[] X_FORWARDED_HOST = ascii("x-forwarded-host: ");
    private static final byte[] X_FORWARDED_PORT = ascii("x-forwarded-port: ");
    /** What never goes to the backend: the fields of a connection (HTTP/2 forbids them), and the proxy's own. */
    private static final int DROPPED_TOWARDS_BACKEND = HeaderKind.CONNECTION | HeaderKind.HOP_BY_HOP
            | HeaderKind.UPGRADE | HeaderKind.TRANSFER_ENCODING | HeaderKind.X_FORWARDED_FOR
            | HeaderKind.X_FORWARDED_PROTO | HeaderKind.X_FORWARDED_HOST | HeaderKind.X_FORWARDED_PORT;
    /** Towards an h2c backend the host is {@code :authority}, and {@code te} is the proxy's own. */
    private static final int TOWARDS_H2C = DROPPED_TOWARDS_BACKEND | HeaderKind.HOST;

    private Http2Headers headers;
    /** Releases still to come before the list is let go: see {@link #keep}. */
    private int kept;
    private HttpMethod method;
    private String target;
    private CharSequence authority;
    private boolean endStream;
    private long contentLength;
    private int hosts;
    private CharSequence hostField;
    /** What the head would take as HTTP/1.1 text: the limits of an HTTP/1.1 head apply to it. */
    private int size;
    private HttpError error;
    /** Its exchange sends it to an h2c backend as frames: see {@link #forwardAsFrames}. */
    private boolean frames;

    /**
     * Reads a new stream's header list; false when the request has no HTTP/1.1 form, to be refused: no
     * {@code :method} or {@code :path}, a line break or NUL in a field (it would let the client write HTTP/1.1 lines
     * of its own), or a CONNECT, plain or extended ({@code :protocol}, RFC 8441): the proxy tunnels nothing over
     * HTTP/2 and does not advertise SETTINGS_ENABLE_CONNECT_PROTOCOL, and a tunnel would carry requests past the
     * route's rules. A request HTTP/1.1's checks would refuse is read, with its {@link #error}.
     */
    public boolean read(Http2Headers fields, boolean endOfStream) {
        CharSequence methodName = fields.method();
        CharSequence path = fields.path();
        if (methodName == null || path == null || !FieldLines.safe(methodName) || !FieldLines.safe(path)
                || AsciiString.contentEquals(methodName, CONNECT) || fields.contains(PROTOCOL)) {
            return false;
        }
        headers = fields;
        endStream = endOfStream;
        frames = false;
        authority = fields.authority();
        contentLength = -1;
        hosts = authority == null ? 0 : 1;
        hostField = null;
        error = null;
        size = methodName.length() + path.length() + HTTP_1_1_CRLF.length + 2;
        int count = 0;
        for (Map.Entry<CharSequence, CharSequence> field : fields) {
            CharSequence name = field.getKey();
            CharSequence value = field.getValue();
            if (!FieldLines.safe(name) || !FieldLines.safe(value)) {
                return false;
            }
            if (name.length() > 0 && name.charAt(0) == ':') {
                continue;
            }
            count++;
            size += name.length() + value.length() + 4;
            int kind = HeaderKind.of(name);
            if (kind == HeaderKind.HOST && authority == null) {
                hosts++;
                hostField = value;
            } else if (kind == HeaderKind.CONTENT_LENGTH) {
                readContentLength(value);
            }
        }
        if (methodName.length() + path.length() + HTTP_1_1_CRLF.length > RequestDecoder.MAX_REQUEST_LINE) {
            fail(HttpError.URI_TOO_LONG);
        } else if (count > RequestDecoder.MAX_FIELDS || size > RequestDecoder.MAX_HEAD_SIZE) {
            fail(HttpError.HEADERS_TOO_LARGE);
        } else if (!targetChars(path) || !token(methodName)) {
            fail(HttpError.BAD_REQUEST);
        }
        method = methodOf(methodName);
        target = path.toString();
        return true;
    }

    /** Why HTTP/1.1's checks refuse the request read last, or {@code null} when they let it pass. */
    public HttpError error() {
        return error;
    }

    /** What the head would take as HTTP/1.1 text, counted as the bytes the client sent for it. */
    public int size() {
        return size;
    }

    /** Whether a body without a declared length follows: an HTTP/1.1 backend gets it chunked. */
    public boolean chunkedBody() {
        return !endStream && contentLength < 0;
    }

    /** Whether its exchange sends it to an h2c backend as frames, its body as the DATA it came in. */
    public boolean framed() {
        return frames;
    }

    @Override
    public boolean forwardAsFrames() {
        frames = true;
        return true;
    }

    @Override
    public Http2Headers encodeForH2cBackend(String sentTarget, String sentHost, byte[] clientAddress, byte[] proto,
                                            byte[] localPort, byte[][] removed, List<byte[]> added) {
        CharSequence named = sentHost != null ? sentHost : authority;
        CharSequence host = named != null ? named : hostField;
        Http2Headers out = new DefaultHttp2Headers(false, headers.size() + 6)
                .method(method.asciiName())
                .scheme(HTTP)
                .path(sentTarget != null ? sentTarget : target);
        if (host != null) {
            out.authority(host);
        }
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':' || (HeaderKind.of(name) & TOWARDS_H2C) != 0
                    || FieldLines.named(name, removed)) {
                continue;
            }
            out.add(name, field.getValue());
        }
        for (int i = 0; i < added.size(); i++) {
            ResponseHeaders.addLines(out, added.get(i));
        }
        AsciiString address = new AsciiString(clientAddress, false);
        List<CharSequence> forwarded = headers.getAll(FORWARDED_FOR);
        if (!forwarded.isEmpty()) {
            StringBuilder chain = new StringBuilder();
            for (CharSequence hop : forwarded) {
                chain.append(hop).append(", ");
            }
            address = new AsciiString(chain.append(address));
        }
        out.add(FORWARDED_FOR, address)
                .add(FORWARDED_PROTO, new AsciiString(proto, false));
        CharSequence forwardedHost = named != null ? named : hosts == 1 ? hostField : null;
        if (forwardedHost != null) {
            out.add(FORWARDED_HOST, forwardedHost);
        }
        // The proxy relays trailers: gRPC servers refuse calls from clients that do not say so.
        return out.add(FORWARDED_PORT, new AsciiString(localPort, false))
                .add(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
    }

    private void fail(HttpError first) {
        if (error == null) {
            error = first;
        }
    }

    /** Netty's decoder has checked the length: digits, and the same in every Content-Length field. */
    private void readContentLength(CharSequence value) {
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            length = length * 10 + (value.charAt(i) - '0');
        }
        contentLength = length;
    }

    /** A method is a token (RFC 9110 §9.1). */
    private static boolean token(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return name.length() > 0;
    }

    /** Visible US-ASCII only, as in an HTTP/1.1 request line. */
    private static boolean targetChars(CharSequence path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return !path.isEmpty();
    }

    /** Standard methods map to Netty's constants without building a string. */
    private static HttpMethod methodOf(CharSequence name) {
        for (HttpMethod known : KNOWN_METHODS) {
            if (known.asciiName().contentEquals(name)) {
                return known;
            }
        }
        return HttpMethod.valueOf(name.toString());
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public int versionMinor() {
        return 1;
    }

    /** A stream ends on its own; the connection goes on. */
    @Override
    public boolean keepAlive() {
        return true;
    }

    /** HTTP/2 has no upgrades (RFC 9113 §8.6). */
    @Override
    public boolean upgrade() {
        return false;
    }

    @Override
    public boolean hasBody() {
        return !endStream && contentLength != 0;
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public int hosts() {
        return hosts;
    }

    @Override
    public String host() {
        if (hosts != 1) {
            return null;
        }
        return (authority != null ? authority : hostField).toString();
    }

    /** The value of the first field with this name; the cookie crumbs joined (RFC 9113 §8.2.3). */
    @Override
    public String header(String name) {
        AsciiString lowerCase = new AsciiString(name.toLowerCase(Locale.ROOT));
        if (authority != null && HttpHeaderNames.HOST.contentEquals(lowerCase)) {
            return authority.toString();
        }
        if (HttpHeaderNames.COOKIE.contentEquals(lowerCase)) {
            List<CharSequence> crumbs = headers.getAll(HttpHeaderNames.COOKIE);
            return crumbs.isEmpty() ? null : String.join("; ", crumbs);
        }
        CharSequence value = headers.get(lowerCase);
        return value == null ? null : value.toString();
    }

    @Override
    public String forwardedFor() {
        List<CharSequence> fields = headers.getAll(FORWARDED_FOR);
        return fields.isEmpty() ? null : String.join(",", fields);
    }

    @Override
    public ByteBuf encodeForBackend(ByteBufAllocator alloc, String sentTarget, String sentHost, String upgrade,
                                   byte[] clientAddress, byte[] proto, byte[] localPort, byte[][] removed,
                                   List<byte[]> added) {
        CharSequence host = sentHost != null ? sentHost : authority;
        int extra = 2 * (host == null ? 0 : host.length()) + (upgrade == null ? 0 : upgrade.length())
                + (sentTarget == null ? 0 : sentTarget.length()) + clientAddress.length;
        for (int i = 0; i < added.size(); i++) { // indexed: no iterator per request
            extra += added.get(i).length;
        }
        ByteBuf out = alloc.directBuffer(size + extra + 160);
        ByteBufUtil.copy(method.asciiName(), out);
        out.writeByte(' ');
        writeText(out, sentTarget != null ? sentTarget : target);
        out.writeBytes(HTTP_1_1_CRLF);
        if (host != null) {
            writeText(out.writeBytes(HOST), host);
            out.writeBytes(CRLF);
        }
        int dropped = DROPPED_TOWARDS_BACKEND | (host != null ? HeaderKind.HOST : 0);
        boolean cookies = false;
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':' || (HeaderKind.of(name) & dropped) != 0
                    || FieldLines.named(name, removed)) {
                continue;
            }
            if (HeaderKind.equals(name, COOKIE)) {
                cookies = true; // joined below: HTTP/1.1 wants one line (RFC 9113 §8.2.3)
                continue;
            }
            writeField(out, name, field.getValue());
        }
        if (cookies) {
            writeText(out, HttpHeaderNames.COOKIE).writeByte(':').writeByte(' ');
            List<CharSequence> crumbs = headers.getAll(HttpHeaderNames.COOKIE);
            for (int i = 0; i < crumbs.size(); i++) {
                if (i > 0) {
                    out.writeByte(';').writeByte(' ');
                }
                writeText(out, crumbs.get(i));
            }
            out.writeBytes(CRLF);
        }
        if (upgrade != null) {
            writeText(out.writeBytes(UPGRADE), upgrade);
            out.writeBytes(CRLF).writeBytes(CONNECTION_UPGRADE);
        }
        for (int i = 0; i < added.size(); i++) {
            out.writeBytes(added.get(i));
        }
        out.writeBytes(X_FORWARDED_FOR);
        if (headers.contains(FORWARDED_FOR)) {
            for (CharSequence forwarded : headers.getAll(FORWARDED_FOR)) {
                writeText(out, forwarded).writeByte(',').writeByte(' ');
            }
        }
        out.writeBytes(clientAddress).writeBytes(CRLF);
        out.writeBytes(X_FORWARDED_PROTO).writeBytes(proto).writeBytes(CRLF);
        CharSequence forwardedHost = host != null ? host : hosts == 1 ? hostField : null;
        if (forwardedHost != null) {
            writeText(out.writeBytes(X_FORWARDED_HOST), forwardedHost);
            out.writeBytes(CRLF);
        }
        out.writeBytes(X_FORWARDED_PORT).writeBytes(localPort).writeBytes(CRLF);
        if (chunkedBody()) {
            out.writeBytes(CHUNKED);
        }
        return out.writeBytes(CRLF);
    }

    private static void writeField(ByteBuf out, CharSequence name, CharSequence value) {
        writeText(out, name).writeByte(':').writeByte(' ');
        writeText(out, value);
        out.writeBytes(CRLF);
    }

    @Override
    public void keep() {
        kept++;
    }

    /** Nothing to free: the list is Netty's, and the lane reads the next stream's into this head. */
    @Override
    public boolean release() {
        if (kept > 0) {
            kept--;
            return false;
        }
        headers = null;
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

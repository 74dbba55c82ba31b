package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.swarmgate.proxy.internal.exchange.ResponseWriter;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http2.ResponseHeaders;
import java.nio.charset.StandardCharsets;

/**
 * Writes a response to an HTTP/2 stream ({@link Http2Lane}) or an HTTP/3 one ({@link Http3Stream}): the parsed head
 * becomes HEADERS directly, the body's data DATA, its trailer fields (gRPC's status among them) the last HEADERS, and
 * the stream ends with the response.
 */
final class Http2ResponseWriter extends ResponseWriter {
    private static final byte[] VARY = "vary: Accept-Encoding\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] NO_NAMES = new byte[0][];
    private static final AsciiString ALT_SVC = AsciiString.cached("alt-svc");

    private final HeaderListStream lane;
    /** The list of every response head; trailers get lists of their own. */
    private final Http2Headers head = new DefaultHttp2Headers(false);
    /** The trailer fields to end the stream with, held while the compressor may still write data. */
    private Http2Headers trailers;
    /**
     * The {@code Alt-Svc} line last advertised and its value, read from the line once: a port's line is one array for
     * every answer, so its value is not parsed again, and HPACK finds its hash already computed.
     */
    private byte[] altSvcLine;
    private AsciiString altSvcValue;

    Http2ResponseWriter(HeaderListStream lane) {
        super(lane);
        this.lane = lane;
    }

    /** HTTP/2 frames the data itself: chunk framing never reaches it. */
    @Override
    protected boolean plainBody() {
        return true;
    }

    @Override
    protected void informational(BackendResponseHead response) {
        lane.responseHead(ResponseHeaders.of(head, response, HeaderKind.OTHER, NO_NAMES), false);
    }

    /** A stream ends on its own: the connection stays whatever the exchange decides. */
    @Override
    protected boolean writeHead(BackendResponseHead response, boolean keepAlive, byte[] cookie, boolean compressing) {
        trailers = null;
        Http2Headers headers;
        if (compressing) {
            byte[] encoding = ("content-encoding: " + compressAlgo + "\r\n").getBytes(StandardCharsets.US_ASCII);
            headers = ResponseHeaders.of(head, response, HeaderKind.CONTENT_LENGTH, edits.removed(), cookie,
                    encoding, VARY);
        } else {
            headers = ResponseHeaders.of(head, response, HeaderKind.OTHER, edits.removed(), cookie);
        }
        if (altSvc != null && lane.altSvcDue()) {
            headers.add(ALT_SVC, altSvcValue());
        }
        for (byte[] line : edits.added()) {
            ResponseHeaders.addLines(headers, line);
        }
        lane.responseHead(headers, !response.hasBody());
        return keepAlive;
    }

    private AsciiString altSvcValue() {
        if (altSvc != altSvcLine) {
            altSvcLine = altSvc;
            int start = ALT_SVC.length() + 1; // past "alt-svc:", then its space
            while (altSvc[start] == ' ') {
                start++;
            }
            altSvcValue = new AsciiString(altSvc, start, altSvc.length - 2 - start, true); // without the CRLF
        }
        return altSvcValue;
    }

    /** HTTP/2 and HTTP/3 have no upgrades: the exchange never relays one for a stream, which could not follow. */
    @Override
    protected void tunnelHead(BackendResponseHead response) {
        lane.close();
    }

    @Override
    protected void writeBody(ByteBuf body) {
        lane.responseData(body, false);
    }

    @Override
    protected void trailers(Http2Headers fields) {
        trailers = fields;
    }

    /** Ends the stream, with the trailer fields if there were any; the exchange has nothing left to write. */
    @Override
    protected ByteBuf endBody() {
        if (trailers != null) {
            lane.responseHead(trailers, true);
            trailers = null;
        } else {
            lane.responseData(Unpooled.EMPTY_BUFFER, true);
        }
        return Unpooled.EMPTY_BUFFER;
    }
}

package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.exchange.Downstream;
import io.swarmgate.proxy.internal.exchange.ResponseWriter;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.internal.http1.Framing;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http1.ResponseHead;
import io.swarmgate.proxy.internal.io.SharedBuffers;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.HeaderEdits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a response to an HTTP/1.x client: the parsed head encoded once, the body as it comes or framed anew (chunked,
 * compressed) when the client cannot take the backend's framing.
 */
final class Http1ResponseWriter extends ResponseWriter {
    private static final ByteBuf CRLF = SharedBuffers.of("\r\n");
    private static final ByteBuf LAST_CHUNK = SharedBuffers.of("0\r\n\r\n");

    private int clientMinor;
    /**
     * The client gets the body chunked although the backend's is not: it ends when the backend closes (chunks let the
     * client's connection survive), or it is compressed or arrives de-chunked.
     */
    private boolean reChunk;

    Http1ResponseWriter(Downstream client) {
        super(client);
    }

    @Override
    protected void begin(int versionMinor, Compression routeCompression, String algorithm, HeaderEdits routeEdits) {
        super.begin(versionMinor, routeCompression, algorithm, routeEdits);
        clientMinor = versionMinor;
        reChunk = false;
    }

    /** A chunked body arrives as plain data when it may be compressed, or the client speaks HTTP/1.0. */
    @Override
    protected boolean plainBody() {
        return clientMinor == 0 || compressAlgo != null;
    }

    /** 100 Continue and friends go to HTTP/1.1 clients as they are. */
    @Override
    protected void informational(BackendResponseHead response) {
        if (clientMinor == 1) {
            client.write(http1(response).encodeForClient(client.alloc(), 1, true, false, false, HeaderEdits.NONE));
        }
    }

    @Override
    protected boolean writeHead(BackendResponseHead backendHead, boolean keepAlive, byte[] cookie, boolean compressing) {
        ResponseHead response = http1(backendHead);
        Framing framing = response.framing();
        boolean dataOnly = framing == Framing.CHUNKED && plainBody();
        if (clientMinor == 0) {
            // An HTTP/1.0 client keeps its connection only for a body of known length, and never gets chunks.
            keepAlive &= (framing == Framing.LENGTH || framing == Framing.NONE) && !compressing;
        } else {
            reChunk = framing == Framing.CLOSE || dataOnly || compressing;
        }
        int dropped = compressing ? HeaderKind.CONTENT_LENGTH : HeaderKind.OTHER;
        byte[] extra = altSvc == null ? cookie : cookie == null ? altSvc : concat(cookie, altSvc);
        if (compressing) {
            extra = concat(extra, ("Content-Encoding: " + compressAlgo + "\r\nVary: Accept-Encoding\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        client.write(response.encodeForClient(client.alloc(), clientMinor, keepAlive, reChunk, dataOnly, edits, extra,
                dropped));
        return keepAlive;
    }

    @Override
    protected void tunnelHead(BackendResponseHead response) {
        client.write(http1(response).encodeForClient(client.alloc(), clientMinor, false, false, false, edits));
    }

    /** Body bytes, as a chunk when the client's framing differs from the backend's. */
    @Override
    protected void writeBody(ByteBuf body) {
        if (!reChunk) {
            client.write(body);
        } else if (body.isReadable()) {
            ByteBuf size = client.alloc().directBuffer(10);
            ByteBufUtil.writeAscii(size, Integer.toHexString(body.readableBytes()));
            size.writeBytes(CRLF, 0, 2);
            client.write(size);
            client.write(body);
            client.write(CRLF.duplicate());
        } else {
            body.release();
        }
    }

    /** A body the proxy frames anew (compressed, or for HTTP/1.0) ends without trailers: they are dropped. */
    @Override
    protected void trailers(Http2Headers fields) {
    }

    /**
     * An HTTP/1.1 client's response head is always HTTP/1.1 text parsed once: an h2c backend answers its exchanges
     * through the bridge's text ({@code BackendStreamBridge}); only an HTTP/2 stream gets an h2c backend's HEADERS.
     */
    private static ResponseHead http1(BackendResponseHead head) {
        return (ResponseHead) head;
    }

    /** The last chunk when the body was chunked anew. */
    @Override
    protected ByteBuf endBody() {
        return reChunk ? LAST_CHUNK.duplicate() : Unpooled.EMPTY_BUFFER;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        if (first == null) {
            return second;
        }
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}

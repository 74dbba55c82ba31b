package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.swarmgate.proxy.internal.http1.Framing;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http1.ResponseHead;
import io.swarmgate.proxy.internal.io.SharedBuffers;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.HeaderEdits;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a backend's answer to the client: the head with the route's edits, the body as it comes or framed anew
 * (chunked, compressed) when the client cannot take the backend's framing, and the end. It only writes; flushing
 * and the connection's fate stay with the exchange. One per client connection, reused for each exchange.
 */
final class ResponseWriter {
    private static final ByteBuf CRLF = SharedBuffers.of("\r\n");
    private static final ByteBuf LAST_CHUNK = SharedBuffers.of("0\r\n\r\n");

    private final Downstream client;
    private int clientMinor;
    /** The route's compression, and the algorithm the client accepts of it, or {@code null}. */
    private Compression compression;
    private String compressAlgo;
    /** The route's edits of the answer's fields. */
    private HeaderEdits edits = HeaderEdits.NONE;
    /** Compresses the answer in progress, or {@code null}. */
    private ResponseCompressor compressor;
    /**
     * The client gets the body chunked although the backend's is not: it ends when the backend closes (chunks let the
     * client's connection survive), or it is compressed or arrives de-chunked.
     */
    private boolean reChunk;

    ResponseWriter(Downstream client) {
        this.client = client;
    }

    /** A new exchange: how its client speaks, and what its route does to the answer. */
    void begin(int versionMinor, Compression routeCompression, String algorithm, HeaderEdits routeEdits) {
        clientMinor = versionMinor;
        compression = routeCompression;
        compressAlgo = algorithm;
        edits = routeEdits;
        reChunk = false;
    }

    /**
     * Whether a chunked body must arrive from the backend as plain data: it may be compressed, or the client speaks
     * HTTP/1.0.
     */
    boolean plainBody() {
        return clientMinor == 0 || compressAlgo != null;
    }

    /** 100 Continue and friends go to HTTP/1.1 clients as they are; the final answer follows. */
    void informational(ResponseHead response) {
        if (clientMinor == 1) {
            client.write(response.encodeForClient(client.alloc(), 1, true, false, false, HeaderEdits.NONE));
        }
    }

    /**
     * Writes a final answer's head and settles how its body reaches the client.
     *
     * @param keepAlive whether the exchange lets the client connection stay open
     * @param cookie a {@code Set-Cookie} line to add, or {@code null}
     * @return whether the client connection stays open after the answer
     */
    boolean head(ResponseHead response, boolean keepAlive, byte[] cookie) {
        Framing framing = response.framing();
        boolean dataOnly = framing == Framing.CHUNKED && plainBody();
        boolean compressing = compressAlgo != null && response.status() == 200 && framing != Framing.NONE
                && response.value("Content-Encoding") == null
                && compression.compresses(response.value("Content-Type"));
        if (clientMinor == 0) {
            // An HTTP/1.0 client keeps its connection only for a body of known length, and never gets chunks.
            keepAlive &= (framing == Framing.LENGTH || framing == Framing.NONE) && !compressing;
        } else {
            reChunk = framing == Framing.CLOSE || dataOnly || compressing;
        }
        int dropped = compressing ? HeaderKind.CONTENT_LENGTH : HeaderKind.OTHER;
        byte[] extra = cookie;
        if (compressing) {
            compressor = new ResponseCompressor(compressAlgo);
            extra = concat(extra, ("Content-Encoding: " + compressAlgo + "\r\nVary: Accept-Encoding\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        client.write(response.encodeForClient(client.alloc(), clientMinor, keepAlive, reChunk, dataOnly, edits, extra,
                dropped));
        return keepAlive;
    }

    /** Writes the head of an upgrade's answer: what follows is the new protocol's bytes, relayed as they are. */
    void tunnelHead(ResponseHead response) {
        client.write(response.encodeForClient(client.alloc(), clientMinor, false, false, false, edits));
    }

    void body(ByteBuf body) {
        if (compressor != null && body.isReadable()) {
            write(compressor.compress(client.alloc(), body));
        } else {
            write(body);
        }
    }

    /**
     * Writes what the compressor still holds and returns the answer's last bytes (the last chunk when the body was
     * chunked anew), for the exchange to write as it ends.
     */
    ByteBuf end() {
        if (compressor != null) {
            write(compressor.finish(client.alloc()));
            discard();
        }
        return reChunk ? LAST_CHUNK.duplicate() : Unpooled.EMPTY_BUFFER;
    }

    /** The answer will not be finished: frees its compressor's native memory. */
    void discard() {
        if (compressor != null) {
            compressor.close();
            compressor = null;
        }
    }

    /** Writes body bytes to the client, as a chunk when the client's framing differs from the backend's. */
    private void write(ByteBuf body) {
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

    private static byte[] concat(byte[] first, byte[] second) {
        if (first == null) {
            return second;
        }
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}

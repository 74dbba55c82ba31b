package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.HeaderEdits;

/**
 * Writes a backend's response to the client in the client's protocol: the head with the route's edits, the body as
 * it comes or compressed, and the end. The {@link Downstream} provides the one that fits it: {@code
 * Http1ResponseWriter} encodes HTTP/1.1 bytes, {@code Http2ResponseWriter} HTTP/2 frames, each straight from the parsed
 * head. It only writes; flushing and the connection's fate stay with the exchange. One per client end, reused for each
 * exchange.
 *
 * <p>Internal: public for {@code front}, where the writers of each protocol live beside their client ends.
 */
public abstract class ResponseWriter {
    protected final Downstream client;
    /** The route's compression, and the algorithm the client accepts of it, or {@code null}. */
    private Compression compression;
    protected String compressAlgo;
    /** The route's edits of the response's fields. */
    protected HeaderEdits edits = HeaderEdits.NONE;
    /** The {@code Alt-Svc} line that advertises HTTP/3 on the client's port, or {@code null}. */
    protected byte[] altSvc;
    /** Compresses the response in progress, or {@code null}. */
    private ResponseCompressor compressor;

    protected ResponseWriter(Downstream client) {
        this.client = client;
    }

    /** The client's connection opened: over TLS, its answers advertise HTTP/3 on its port. */
    public void opened(ProxyContext context, ClientConnection connection) {
        altSvc = connection.secure() ? context.altSvc(connection.localPort()) : null;
    }

    /** A new exchange: how its client speaks (HTTP/1.x's minor version), and what its route does to the response. */
    protected void begin(int versionMinor, Compression routeCompression, String algorithm, HeaderEdits routeEdits) {
        compression = routeCompression;
        compressAlgo = algorithm;
        edits = routeEdits;
    }

    /** Whether a chunked body must arrive from the backend as plain data, its trailers apart. */
    protected abstract boolean plainBody();

    /** An interim response (100 Continue and friends); the final one follows. */
    protected abstract void informational(BackendResponseHead response);

    /**
     * Writes a final response's head and settles how its body reaches the client.
     *
     * @param keepAlive whether the exchange lets the client connection stay open
     * @param cookie a {@code Set-Cookie} line to add, or {@code null}
     * @return whether the client connection stays open after the response
     */
    final boolean head(BackendResponseHead response, boolean keepAlive, byte[] cookie) {
        boolean compressing = compressAlgo != null && response.status() == 200 && response.hasBody()
                && response.value("Content-Encoding") == null
                && compression.compresses(response.value("Content-Type"));
        if (compressing) {
            compressor = new ResponseCompressor(compressAlgo);
        }
        return writeHead(response, keepAlive, cookie, compressing);
    }

    /** Writes the head; {@code compressing}: the body is compressed with {@link #compressAlgo} on the way. */
    protected abstract boolean writeHead(BackendResponseHead response, boolean keepAlive, byte[] cookie, boolean compressing);

    /** Writes the head of an upgrade's response: what follows is the new protocol's bytes, relayed as they are. */
    protected abstract void tunnelHead(BackendResponseHead response);

    final void body(ByteBuf body) {
        if (compressor != null && body.isReadable()) {
            writeBody(compressor.compress(client.alloc(), body));
        } else {
            writeBody(body);
        }
    }

    protected abstract void writeBody(ByteBuf body);

    /** The trailer fields of a body (a chunked one's, or an h2c stream's last HEADERS), before its end. */
    protected abstract void trailers(Http2Headers fields);

    /**
     * Writes what the compressor still holds and returns the response's last bytes, for the exchange to write as it
     * ends.
     */
    final ByteBuf end() {
        if (compressor != null) {
            writeBody(compressor.finish(client.alloc()));
            discard();
        }
        return endBody();
    }

    /** Ends the body; returns the bytes that end it, if the exchange must write them. */
    protected abstract ByteBuf endBody();

    /** The response will not be finished: frees its compressor's native memory. */
    void discard() {
        if (compressor != null) {
            compressor.close();
            compressor = null;
        }
    }
}

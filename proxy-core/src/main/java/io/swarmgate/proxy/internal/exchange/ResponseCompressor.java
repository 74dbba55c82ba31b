package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses one answer's body as it streams, with the JDK's gzip and zlib (HTTP's {@code deflate}) streams: each part
 * is flushed at once, so the client gets data as the backend sends it. {@link #close()} frees the native deflater.
 */
final class ResponseCompressor implements AutoCloseable {
    private final ByteBuf sink = Unpooled.buffer(8192);
    private final DeflaterOutputStream stream;
    private final Deflater deflater;

    ResponseCompressor(String algorithm) {
        ByteBufOutputStream out = new ByteBufOutputStream(sink);
        try {
            if (algorithm.equals("gzip")) {
                deflater = null;
                stream = new GZIPOutputStream(out, 8192, true);
            } else {
                deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
                stream = new DeflaterOutputStream(out, deflater, 8192, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compresses a part (releasing it) and returns what the compressor has to send so far. */
    ByteBuf compress(ByteBufAllocator alloc, ByteBuf part) {
        try {
            part.readBytes(stream, part.readableBytes());
            stream.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            part.release();
        }
        return drain(alloc);
    }

    /** Ends the stream and returns its last bytes. */
    ByteBuf finish(ByteBufAllocator alloc) {
        try {
            stream.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return drain(alloc);
    }

    private ByteBuf drain(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(sink.readableBytes());
        out.writeBytes(sink);
        sink.clear();
        return out;
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing frees the deflater; nothing was left to write that anyone waits for
        } finally {
            if (deflater != null) {
                deflater.end();
            }
            sink.release();
        }
    }
}

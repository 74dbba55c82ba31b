package io.swarmgate.proxy.internal.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Bytes every connection writes as they are (error answers, chunk framing), encoded once. *
 * <p>Internal: public for {@code exchange} only.
 */
public final class SharedBuffers {
    private SharedBuffers() {
    }

    /**
     * A read-only direct buffer of the text that releasing leaves intact: write a {@code duplicate()} of it, since a
     * write consumes the indices of the buffer it is given.
     */
    public static ByteBuf of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes).asReadOnly());
    }
}

package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.policy.LocalResponse;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LocalResponse} (a policy's answer, or an error with the user's page) as a {@link LocalAnswer}, the user's
 * HTML page as its body when there is one.
 */
final class PolicyAnswer implements LocalAnswer {
    private final LocalResponse response;
    private final byte @Nullable [] page;

    PolicyAnswer(LocalResponse response, byte @Nullable [] page) {
        this.response = response;
        this.page = page;
    }

    @Override
    public int status() {
        return response.status();
    }

    @Override
    public ByteBuf http1(ByteBufAllocator alloc, boolean keepAlive) {
        return page == null ? response.encode(alloc, keepAlive) : response.encodeWithPage(alloc, keepAlive, page);
    }

    @Override
    public Http2Headers http2Headers() {
        return response.http2Headers(page);
    }

    @Override
    public ByteBuf body(ByteBufAllocator alloc) {
        return Unpooled.wrappedBuffer(page != null ? page : response.content());
    }

    @Override
    public int bodyLength() {
        return page != null ? page.length : response.contentLength();
    }
}

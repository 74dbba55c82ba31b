package io.swarmgate.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of a client connection: the HTTP/1.1 codec and the proxying handler. */
public final class ProxyChannelInitializer extends ChannelInitializer<Channel> {
    /** Request line and header limits: a longer line gets 414, larger headers 431. */
    public static final int MAX_REQUEST_LINE = 8192;
    public static final int MAX_HEADER_SIZE = 16384;

    private final ProxyContext context;
    private final HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADER_SIZE)
            .setMaxChunkSize(65536);

    public ProxyChannelInitializer(ProxyContext context) {
        this.context = context;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new HttpServerCodec(decoderConfig), new FrontendHandler(context));
    }
}

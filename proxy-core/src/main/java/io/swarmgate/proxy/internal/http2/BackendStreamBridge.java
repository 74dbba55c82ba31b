package io.swarmgate.proxy.internal.http2;

import static io.swarmgate.proxy.internal.http2.FieldLines.CHUNKED;
import static io.swarmgate.proxy.internal.http2.FieldLines.CRLF;
import static io.swarmgate.proxy.internal.http2.FieldLines.LAST_CHUNK;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeFields;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http1.MessageEnd;
import io.swarmgate.proxy.internal.http1.RequestHead;
import io.swarmgate.proxy.internal.http1.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lets a backend connection speak h2c (HTTP/2 without TLS, prior knowledge) to a gRPC server. Each request written
 * becomes a new stream. An HTTP/2 client's request comes as frames already ({@link Http2RequestHead#framed}): its header
 * list, its DATA's bytes, its trailers and the end, sent as they come, with END_STREAM on the last frame; its response
 * goes back as frames too: an {@link Http2ResponseHead}, the DATA frames, the trailers' header list, then
 * {@link MessageEnd}, past the HTTP/1.1 decoder. An HTTP/1.1 client's request comes as HTTP/1.1 text, parsed here into
 * HEADERS and DATA, and its response goes back as HTTP/1.1 bytes, chunked when it has no length, its trailers
 * (grpc-status) as the chunked body's trailer fields.
 *
 * <p>One exchange at a time per connection, as on HTTP/1.1, so pooling, retries and timeouts stay the same; a reset
 * stream or a GOAWAY closes the connection, which the exchange sees as a backend failure (before the response: a
 * retry or a 502; after: the client's stream is reset). The connection is writable while the stream's send window
 * takes more, so a slow backend stops the client's reading instead of piling DATA up here.
 */
public final class BackendStreamBridge extends Http2ChannelDuplexHandler {
    private static final byte[] VERSION = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_BODY = "content-length: 0\r\n".getBytes(StandardCharsets.US_ASCII);

    private final RequestParser parser = new RequestParser();
    private final Http1Stream request = new Http1Stream(parser::parse);
    /** The stream of the exchange in progress. */
    private Http2FrameStream stream;
    private boolean headRequest;
    private boolean responseStarted;
    private boolean chunkedResponse;
    private boolean windowUpdated;
    /** The request asked for an upgrade, which HTTP/2 cannot carry: the connection is not reused after it. */
    private boolean closeAtEnd;
    /** The exchange in progress speaks frames (an HTTP/2 client's); else HTTP/1.1 text. */
    private boolean frames;
    /** Frames mode: the request's stream is open on our side; a header list written now is its trailers. */
    private boolean requestOpen;
    /** Frames mode: the last frame written, held until the next so that the request's end rides on it. */
    private Http2Headers pendingHeaders;
    private ByteBuf pendingData;
    private final Http2ResponseHead response = new Http2ResponseHead();
    private final Http2FrameCodec codec;

    private BackendStreamBridge(Http2FrameCodec codec) {
        this.codec = codec;
    }

    /** The handlers that make an h2c connection of a backend connection; the HTTP/1.1 ones follow them. */
    public static void install(io.netty.channel.ChannelPipeline pipeline) {
        Http2FrameCodec codec = new CodecBuilder()
                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                .build();
        pipeline.addLast(codec, new BackendStreamBridge(codec));
    }

    /**
     * {@link Http2FrameCodecBuilder#forClient}'s codec, on a connection of {@link Http2Connections#newConnection},
     * whose requests' fields are sent as literals, never indexed: a backend is on the swarm's own network, where a
     * field's bytes cost less than HPACK's table lookups (most of the encoding's samples, for a call's ten fields).
     */
    private static final class CodecBuilder extends Http2FrameCodecBuilder {
        CodecBuilder() {
            connection(Http2Connections.newConnection(false));
            gracefulShutdownTimeoutMillis(0); // as forClient's
            headerSensitivityDetector((name, value) -> true);
        }
    }

    /** Whether the stream in progress may be sent more: its send window, and the connection's, take it. */
    public boolean streamWritable() {
        if (!frames || stream == null) {
            return true;
        }
        Http2Stream sending = codec.connection().stream(stream.id());
        return sending == null || codec.connection().remote().flowController().isWritable(sending);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Http2Headers headers) {
            writeHeaders(ctx, headers);
            promise.trySuccess();
            return;
        }
        if (frames && requestOpen && (msg == MessageEnd.INSTANCE || msg instanceof ByteBuf)) {
            writePending(ctx, msg == MessageEnd.INSTANCE);
            if (msg instanceof ByteBuf data) {
                pendingData = data;
            } else {
                requestOpen = false;
            }
            promise.trySuccess();
            return;
        }
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        frames = false;
        List<Object> parsed = request.parse(ctx.alloc(), bytes);
        boolean malformed = false;
        for (int i = 0; i < parsed.size(); i++) {
            Object part = parsed.get(i);
            boolean ends = i + 1 < parsed.size() && parsed.get(i + 1) == MessageEnd.INSTANCE;
            Http2StreamFrame frame;
            if (part instanceof RequestHead head) {
                stream = newStream();
                headRequest = head.method() == HttpMethod.HEAD;
                closeAtEnd = head.upgrade();
                responseStarted = false;
                frame = new DefaultHttp2HeadersFrame(headersOf(head), ends);
                head.release();
            } else if (part instanceof ByteBuf data) {
                frame = new DefaultHttp2DataFrame(data, ends);
            } else if (part == MessageEnd.INSTANCE) {
                frame = new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true);
            } else {
                malformed = true;
                continue;
            }
            if (ends) {
                i++;
            }
            if (stream == null) {
                ReferenceCountUtil.release(frame);
                malformed = true;
                continue;
            }
            ctx.write(frame.stream(stream), ctx.voidPromise());
        }
        parsed.clear();
        promise.trySuccess();
        if (malformed) {
            ctx.close();
        }
    }

    private static Http2Headers headersOf(RequestHead head) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method(head.method().asciiName())
                .scheme("http")
                .path(head.target());
        String host = head.host();
        if (host != null) {
            headers.authority(host);
        }
        // Host is :authority; TE is hop-by-hop and set below.
        FieldLines.addFields(headers, head, HeaderKind.HOST);
        // The proxy relays trailers from here (gRPC servers refuse calls from clients that do not say so).
        return headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
    }

    /** An HTTP/2 request's header list opens a new stream; once it is open, a header list is its trailers. */
    private void writeHeaders(ChannelHandlerContext ctx, Http2Headers headers) {
        if (requestOpen) {
            writePending(ctx, false);
            ctx.write(new DefaultHttp2HeadersFrame(headers, true).stream(stream), ctx.voidPromise());
            requestOpen = false;
            return;
        }
        stream = newStream();
        frames = true;
        requestOpen = true;
        headRequest = HttpMethod.HEAD.asciiName().contentEquals(headers.method());
        closeAtEnd = false;
        responseStarted = false;
        pendingHeaders = headers;
    }

    /** Writes the frame held back, ending the request with it if {@code end}, or an empty DATA to end it. */
    private void writePending(ChannelHandlerContext ctx, boolean end) {
        Http2StreamFrame frame;
        if (pendingHeaders != null) {
            frame = new DefaultHttp2HeadersFrame(pendingHeaders, end);
        } else if (pendingData != null) {
            frame = new DefaultHttp2DataFrame(pendingData, end);
        } else if (end) {
            frame = new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true);
        } else {
            return;
        }
        pendingHeaders = null;
        pendingData = null;
        ctx.write(frame.stream(stream), ctx.voidPromise());
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (requestOpen) {
            writePending(ctx, false);
        }
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2ResetFrame || msg instanceof Http2GoAwayFrame) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        } else if (!(msg instanceof Http2StreamFrame frame) || stream == null || frame.stream() == null
                || frame.stream().id() != stream.id()) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof Http2HeadersFrame headers) {
            if (frames) {
                onResponseHeaders(ctx, headers);
            } else {
                onHeaders(ctx, headers);
            }
        } else if (msg instanceof Http2DataFrame data) {
            onData(ctx, data);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Frames mode: the response's head (or an interim one), or its trailers, passed on as they came. */
    private void onResponseHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        if (responseStarted) {
            if (!frame.isEndStream()) {
                ctx.close(); // HEADERS after the head that do not end the stream: no such thing in HTTP
                return;
            }
            ctx.fireChannelRead(frame.headers());
            ctx.fireChannelRead(MessageEnd.INSTANCE);
            return;
        }
        if (!response.read(frame.headers(), frame.isEndStream())) {
            ctx.close();
            return;
        }
        responseStarted = !response.informational();
        ctx.fireChannelRead(response);
        if (frame.isEndStream()) {
            ctx.fireChannelRead(MessageEnd.INSTANCE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2FrameStreamEvent event && event.type() == Http2FrameStreamEvent.Type.Writability) {
            if (stream != null && event.stream().id() == stream.id()) {
                ctx.fireChannelWritabilityChanged();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Http2Headers headers = frame.headers();
        ByteBuf out = ctx.alloc().buffer(256);
        boolean valid;
        if (!responseStarted) {
            CharSequence status = headers.status();
            boolean informational = status != null && status.length() == 3 && status.charAt(0) == '1';
            responseStarted = !informational;
            out.writeBytes(VERSION);
            FieldLines.writeText(out, status == null ? "" : status);
            out.writeBytes(CRLF);
            valid = status != null && writeFields(out, headers);
            if (!informational) {
                boolean hasLength = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
                chunkedResponse = !frame.isEndStream() && !hasLength;
                if (chunkedResponse) {
                    out.writeBytes(CHUNKED);
                } else if (frame.isEndStream() && !hasLength && !headRequest) {
                    // A response of headers only (gRPC's errors): its end is here, not at the connection's.
                    out.writeBytes(EMPTY_BODY);
                }
            }
        } else {
            // Trailers: the chunked body's trailer section; a body of declared length has no place for them.
            valid = writeFields(out.writeBytes(LAST_CHUNK), headers);
            if (!chunkedResponse) {
                out.clear();
            }
        }
        out.writeBytes(CRLF);
        if (!valid) {
            out.release();
            ctx.close();
            return;
        }
        if (out.readableBytes() > 2) {
            ctx.fireChannelRead(out);
        } else {
            out.release();
        }
        ended(ctx, frame.isEndStream());
    }

    private void ended(ChannelHandlerContext ctx, boolean endOfStream) {
        if (endOfStream && closeAtEnd) {
            ctx.close();
        }
    }

    private void onData(ChannelHandlerContext ctx, Http2DataFrame frame) {
        int consumed = frame.initialFlowControlledBytes();
        if (consumed > 0) {
            // Read means taken: the proxy's own backpressure stops reading this connection when the client is slow.
            ctx.write(new DefaultHttp2WindowUpdateFrame(consumed).stream(frame.stream()), ctx.voidPromise());
            windowUpdated = true;
        }
        if (frames) {
            // The DATA frame itself, not its bytes: the HTTP/1.1 decoder behind passes it on as it is.
            if (frame.content().isReadable()) {
                ctx.fireChannelRead(frame);
            } else {
                frame.release();
            }
            if (frame.isEndStream()) {
                ctx.fireChannelRead(MessageEnd.INSTANCE);
            }
            return;
        }
        Http1Stream.fireBody(ctx, frame.content(), chunkedResponse, frame.isEndStream());
        ended(ctx, frame.isEndStream());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (windowUpdated) {
            windowUpdated = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        request.release();
        if (pendingData != null) {
            pendingData.release();
            pendingData = null;
        }
    }
}

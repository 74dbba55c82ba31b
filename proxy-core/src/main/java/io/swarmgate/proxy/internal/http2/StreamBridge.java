package io.swarmgate.proxy.internal.http2;

import static io.swarmgate.proxy.internal.http2.FieldLines.CHUNKED;
import static io.swarmgate.proxy.internal.http2.FieldLines.CRLF;
import static io.swarmgate.proxy.internal.http2.FieldLines.LAST_CHUNK;
import static io.swarmgate.proxy.internal.http2.FieldLines.add;
import static io.swarmgate.proxy.internal.http2.FieldLines.connectionField;
import static io.swarmgate.proxy.internal.http2.FieldLines.safe;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeText;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeFields;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeField;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.http1.MessageEnd;
import io.swarmgate.proxy.internal.http1.ResponseHead;
import io.swarmgate.proxy.internal.http1.ResponseParser;
import io.swarmgate.proxy.internal.http1.Trailers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sits first in an HTTP/2 stream's channel, so that the HTTP/1.1 handlers after it serve the stream as they serve a
 * connection: the request's HEADERS become an HTTP/1.1 head ({@code :authority} the Host, cookie crumbs joined), its
 * DATA the body (chunked when no Content-Length gives its size), and the HTTP/1.1 answer written back becomes HEADERS
 * and DATA frames (trailer fields, gRPC's status among them, as the last HEADERS), without the connection's own fields,
 * the stream ending with the message.
 */
public final class StreamBridge extends ChannelDuplexHandler {
    private static final byte[] VERSION = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BAD_REQUEST = "400 Bad Request\nA header holds a line break or NUL.\n"
            .getBytes(StandardCharsets.US_ASCII);
    private final ResponseParser response = new ResponseParser();
    private final Http1Stream answer = new Http1Stream(response::parse);
    private final List<Http2StreamFrame> frames = new ArrayList<>(4);
    private boolean headReceived;
    private boolean chunkedBody;
    /** The request was answered here, without reaching the handlers after. */
    private boolean refused;
    private boolean responseEnded;
    /** The write that ends the stream: a close waits for it, so that queued DATA is not reset away. */
    private ChannelFuture endOfStream;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof Http2HeadersFrame headers) {
            if (!headReceived) {
                headReceived = true;
                onRequestHead(ctx, headers);
            } else {
                onTrailers(ctx, headers);
            }
        } else if (msg instanceof Http2DataFrame data) {
            onData(ctx, data);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequestHead(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        Http2Headers headers = frame.headers();
        CharSequence method = headers.method();
        CharSequence path = headers.path();
        CharSequence authority = headers.authority();
        ByteBuf head = ctx.alloc().buffer(256);
        boolean valid = method != null && path != null && safe(method) && safe(path);
        if (valid) {
            writeText(head, method);
            head.writeByte(' ');
            writeText(head, path);
            head.writeBytes(VERSION);
            if (authority != null) {
                valid = writeField(head, HttpHeaderNames.HOST, authority);
            }
        }
        StringBuilder cookies = null;
        boolean hasLength = false;
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            if (!valid) {
                break;
            }
            if (name.length() > 0 && name.charAt(0) == ':' || connectionField(name)
                    || authority != null && HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
                continue;
            }
            if (HttpHeaderNames.COOKIE.contentEqualsIgnoreCase(name)) {
                // HTTP/2 may split the cookie field into crumbs; HTTP/1.1 wants one line (RFC 9113 §8.2.3).
                cookies = cookies == null ? new StringBuilder() : cookies.append("; ");
                cookies.append(field.getValue());
                continue;
            }
            hasLength |= HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name);
            valid = writeField(head, name, field.getValue());
        }
        if (valid && cookies != null) {
            valid = writeField(head, HttpHeaderNames.COOKIE, cookies);
        }
        if (!valid) {
            head.release();
            refuse(ctx);
            return;
        }
        chunkedBody = !frame.isEndStream() && !hasLength;
        if (chunkedBody) {
            head.writeBytes(CHUNKED);
        }
        head.writeBytes(CRLF);
        response.expect(AsciiString.contentEquals(method, "HEAD"));
        ctx.fireChannelRead(head);
    }

    private void onData(ChannelHandlerContext ctx, Http2DataFrame frame) {
        Http1Stream.fireBody(ctx, frame.content(), chunkedBody, frame.isEndStream());
    }

    /** Trailers end a chunked body as its trailer section; a body of declared length has no place for them. */
    private void onTrailers(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        if (!chunkedBody) {
            return;
        }
        ByteBuf end = ctx.alloc().buffer(64);
        end.writeBytes(LAST_CHUNK);
        boolean valid = writeFields(end, frame.headers());
        end.writeBytes(CRLF);
        if (!valid) {
            end.release();
            ctx.close();
            return;
        }
        ctx.fireChannelRead(end);
    }

    /** Answers 400 here: a line break in a field would let the client write HTTP/1.1 lines of its own. */
    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        Http2Headers headers = new DefaultHttp2Headers().status(HttpResponseStatus.BAD_REQUEST.codeAsText())
                .add(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        ctx.write(new DefaultHttp2HeadersFrame(headers, false), ctx.voidPromise());
        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(BAD_REQUEST), true))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (refused || !(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        if (responseEnded) {
            bytes.release();
            completeAfterEnd(promise);
            return;
        }
        List<Object> parsed = answer.parse(ctx.alloc(), bytes);
        boolean malformed = false;
        for (int i = 0; i < parsed.size(); i++) {
            Object part = parsed.get(i);
            boolean ends = i + 1 < parsed.size() && parsed.get(i + 1) == MessageEnd.INSTANCE;
            if (part instanceof ResponseHead head) {
                ends &= !head.informational();
                frames.add(new DefaultHttp2HeadersFrame(headersOf(head), ends));
                head.release();
            } else if (part instanceof ByteBuf data) {
                frames.add(new DefaultHttp2DataFrame(data, ends));
            } else if (part instanceof Trailers trailers) {
                // gRPC's status travels here: the last HEADERS frame of the stream.
                Http2Headers fields = new DefaultHttp2Headers();
                for (String[] field : trailers.fields()) {
                    add(fields, field[0], field[1]);
                }
                frames.add(new DefaultHttp2HeadersFrame(fields, true));
            } else if (part == MessageEnd.INSTANCE) {
                frames.add(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
            } else {
                // Bytes the proxy wrote that are no HTTP/1.1 answer: nothing sensible can follow on this stream.
                malformed = true;
            }
            if (ends) {
                i++;
            }
        }
        parsed.clear();
        writeFrames(ctx, promise);
        if (malformed) {
            ctx.close();
        }
    }

    /** Writes the frames made of one write; the last carries its promise, the one ending the stream a promise of its own. */
    private void writeFrames(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (frames.isEmpty()) {
            completeAfterEnd(promise);
            return;
        }
        for (int i = 0; i < frames.size(); i++) {
            Http2StreamFrame frame = frames.get(i);
            boolean ends = frame instanceof Http2DataFrame data ? data.isEndStream()
                    : ((Http2HeadersFrame) frame).isEndStream();
            boolean lastFrame = i == frames.size() - 1;
            ChannelPromise writePromise = lastFrame && !promise.isVoid() ? promise
                    : ends ? ctx.newPromise() : ctx.voidPromise();
            ChannelFuture written = ctx.write(frame, writePromise);
            if (ends) {
                responseEnded = true;
                endOfStream = written;
            }
        }
        frames.clear();
    }

    /** A write that made no frame is done once what was written before it is (the end of the stream, if any). */
    private void completeAfterEnd(ChannelPromise promise) {
        if (promise.isVoid()) {
            return;
        }
        if (endOfStream == null) {
            promise.trySuccess();
        } else {
            endOfStream.addListener(f -> promise.trySuccess());
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        answer.release();
    }

    private static Http2Headers headersOf(ResponseHead head) {
        Http2Headers headers = new DefaultHttp2Headers();
        headers.status(HttpResponseStatus.valueOf(head.status()).codeAsText());
        for (int i = 0; i < head.fieldCount(); i++) {
            add(headers, head.name(i), head.value(i));
        }
        return headers;
    }
}

package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Feeds bytes through a decoder on an embedded channel and describes what came out, releasing every message. */
final class DecodedMessages {
    private final EmbeddedChannel channel;

    DecodedMessages(Http1Decoder decoder) {
        this.channel = new EmbeddedChannel(decoder);
    }

    /** Sends the text in one buffer and returns what was decoded. */
    List<String> feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        return drain();
    }

    /** Sends the text one byte per read, as a slow client would, and returns what was decoded. */
    List<String> feedByteByByte(String text) {
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        return merged(drain());
    }

    /** The sender closes its connection. */
    List<String> close() {
        channel.finish();
        return drain();
    }

    private List<String> drain() {
        List<String> decoded = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            decoded.add(describe(msg));
            ReferenceCountUtil.release(msg);
        }
        return decoded;
    }

    private static String describe(Object msg) {
        if (msg instanceof RequestHead head) {
            return "head " + head.method() + " " + head.target() + " HTTP/1." + head.versionMinor() + " "
                    + head.framing() + (head.host() == null ? "" : " host=" + head.host());
        }
        if (msg instanceof ResponseHead head) {
            return "head " + head.status() + " " + head.framing();
        }
        if (msg instanceof ByteBuf body) {
            return "body " + body.toString(StandardCharsets.ISO_8859_1);
        }
        return msg.toString();
    }

    /** Joins consecutive body parts, so that one-byte reads compare with whole ones. */
    static List<String> merged(List<String> decoded) {
        List<String> merged = new ArrayList<>();
        for (String part : decoded) {
            int last = merged.size() - 1;
            if (part.startsWith("body ") && last >= 0 && merged.get(last).startsWith("body ")) {
                merged.set(last, merged.get(last) + part.substring(5));
            } else {
                merged.add(part);
            }
        }
        return merged;
    }
}

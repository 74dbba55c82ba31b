package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;

/**
 * Decodes a backend's responses (see {@link Http1Decoder}). Whether a response may have a body depends on the request
 * it answers, so the exchange says what it sent with {@link #expect} before sending it.
 */
public final class ResponseDecoder extends Http1Decoder {
    private static final int MAX_STATUS_LINE = 8192;
    private static final int MAX_HEAD_SIZE = 65536;
    private static final int MAX_FIELDS = 256;

    private boolean headRequest;
    private boolean upgradeRequest;
    /** How many messages will have ended once every answer asked for has. */
    private long answersAskedFor;

    public ResponseDecoder() {
        super(new HeadScanner(MAX_STATUS_LINE, MAX_HEAD_SIZE, MAX_FIELDS, HttpError.BAD_RESPONSE),
                HttpError.BAD_RESPONSE);
    }

    /**
     * Prepares for the answer to the next request.
     *
     * @param headRequest whether that request is a HEAD, whose answer has no body whatever its fields say
     * @param deChunk     whether a chunked body is passed on as its data alone
     * @param upgrade     whether that request asks for a protocol upgrade, so that a 101 may answer it
     */
    public void expect(boolean headRequest, boolean deChunk, boolean upgrade) {
        this.headRequest = headRequest;
        this.upgradeRequest = upgrade;
        answersAskedFor = messagesEnded() + 1;
        deChunk(deChunk);
    }

    /**
     * Whether every answer asked for with {@link #expect} has ended and nothing else arrived after them, not a byte:
     * the backend sent exactly what it was asked for, and waits for the next request.
     */
    public boolean answeredExactly() {
        return messagesEnded() == answersAskedFor && betweenMessages();
    }

    @Override
    MessageHead parseHead(ByteBuf bytes, int[] lineEnds, int lineCount, HeadRecycler recycler) {
        return new ResponseHead(bytes, lineEnds, lineCount, recycler);
    }

    @Override
    boolean interim(MessageHead head) {
        return ((ResponseHead) head).informational();
    }

    @Override
    Framing framingOf(MessageHead head) {
        int status = ((ResponseHead) head).status();
        if (status == 101) {
            if (!upgradeRequest || !head.upgrade()) {
                throw new HttpParseException(HttpError.BAD_RESPONSE, "switching protocols was not asked for");
            }
            return Framing.CLOSE; // from here on the bytes are the new protocol's, relayed until either side closes
        }
        if (status < 200 || status == 204 || status == 304 || headRequest) {
            return Framing.NONE;
        }
        if (head.has(HeaderKind.TRANSFER_ENCODING)) {
            if (head.contentLength() >= 0) {
                throw new HttpParseException(HttpError.BAD_RESPONSE, "both Transfer-Encoding and Content-Length");
            }
            return head.chunkedLast() ? Framing.CHUNKED : Framing.CLOSE;
        }
        if (head.contentLength() >= 0) {
            return head.contentLength() > 0 ? Framing.LENGTH : Framing.NONE;
        }
        return Framing.CLOSE;
    }
}

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

    public ResponseDecoder() {
        super(new HeadScanner(MAX_STATUS_LINE, MAX_HEAD_SIZE, MAX_FIELDS, HttpError.BAD_RESPONSE),
                HttpError.BAD_RESPONSE);
    }

    /**
     * Prepares for the answer to the next request.
     *
     * @param headRequest whether that request is a HEAD, whose answer has no body whatever its fields say
     * @param deChunk     whether a chunked body is passed on as its data alone
     */
    public void expect(boolean headRequest, boolean deChunk) {
        this.headRequest = headRequest;
        deChunk(deChunk);
    }

    @Override
    MessageHead parseHead(ByteBuf bytes, int[] lineEnds, int lineCount) {
        return new ResponseHead(bytes, lineEnds, lineCount);
    }

    @Override
    boolean interim(MessageHead head) {
        return ((ResponseHead) head).informational();
    }

    @Override
    Framing framingOf(MessageHead head) {
        int status = ((ResponseHead) head).status();
        if (status == 101) {
            throw new HttpParseException(HttpError.BAD_RESPONSE, "switching protocols was not asked for");
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

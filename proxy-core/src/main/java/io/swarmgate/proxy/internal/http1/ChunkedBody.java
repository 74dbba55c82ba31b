package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;

/**
 * Follows the chunked framing of a body (RFC 9112 §7.1) so the proxy knows where the message ends, whether it relays
 * the framing as it is or only the data. Sizes must be hexadecimal and fit in 60 bits, extensions and trailer lines
 * are bounded and follow the grammar (tokens and quoted strings; field lines), and every line ends with CRLF: anything
 * else is how request smuggling starts, and is refused. Framing that is relayed as it is must be what any backend
 * parses the same way, or the backend's idea of where the message ends differs from ours. So an extension is what
 * both the RFC and strict parsers such as Netty's accept: {@code ;name}, {@code ;name=token} or {@code ;name="ascii"},
 * whitespace only before a {@code ;} or around a name's {@code =}, never after a token value or before the CRLF.
 * Netty answers a request whose chunk line breaks that with keep-alive, then ignores the rest of the connection.
 */
final class ChunkedBody {
    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILERS = 16384;

    private enum State {
        SIZE_FIRST, SIZE, BEFORE_SEMICOLON, EXTENSION_NAME_START, EXTENSION_NAME, AFTER_EXTENSION_NAME,
        EXTENSION_VALUE_START, EXTENSION_TOKEN, EXTENSION_QUOTED, EXTENSION_ESCAPE, AFTER_QUOTED, SIZE_LF,
        DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_NAME, TRAILER_VALUE, TRAILER_LF, LAST_LF, DONE
    }

    private final HttpError error;
    private State state = State.SIZE_FIRST;
    private long size;
    private long dataLeft;
    private int lineLength;
    private int trailerLength;
    /** Where the trailer lines go ({@code name: value\r\n}…), when they are kept. */
    private StringBuilder trailers;

    ChunkedBody(HttpError error) {
        this.error = error;
    }

    void reset() {
        state = State.SIZE_FIRST;
        size = 0;
        dataLeft = 0;
        lineLength = 0;
        trailerLength = 0;
    }

    /** The sink of the trailer lines, or {@code null}. */
    StringBuilder trailers() {
        return trailers;
    }

    /** Keeps the trailer lines of the next body in {@code sink} (or drops them: {@code null}). */
    void keepTrailers(StringBuilder sink) {
        trailers = sink;
    }

    boolean done() {
        return state == State.DONE;
    }

    boolean inData() {
        return state == State.DATA;
    }

    /** Data bytes left in the current chunk (while {@link #inData()}). */
    long dataLeft() {
        return dataLeft;
    }

    /** Records that {@code count} data bytes went by. */
    void consumeData(int count) {
        dataLeft -= count;
        if (dataLeft == 0) {
            state = State.DATA_CR;
        }
    }

    /**
     * Reads framing bytes from {@code index} until the start of chunk data, the end of the body, or {@code end};
     * returns the index reached.
     */
    int skipFraming(ByteBuf in, int index, int end) {
        int i = index;
        while (i < end && state != State.DATA && state != State.DONE) {
            byte b = in.getByte(i++);
            switch (state) {
                case SIZE_FIRST -> {
                    int digit = HttpBytes.hexValue(b);
                    if (digit < 0) {
                        throw fail("invalid chunk size");
                    }
                    size = digit;
                    lineLength = 1;
                    state = State.SIZE;
                }
                case SIZE -> {
                    int digit = HttpBytes.hexValue(b);
                    if (digit >= 0) {
                        if (size >= 1L << 56) {
                            throw fail("chunk size too large");
                        }
                        size = size << 4 | digit;
                    } else {
                        afterSize(b);
                    }
                    lineLength++;
                }
                case BEFORE_SEMICOLON -> {
                    if (b == ';') {
                        state = State.EXTENSION_NAME_START;
                    } else if (!HttpBytes.isWhitespace(b)) {
                        throw fail("invalid chunk extension");
                    }
                    countExtension();
                }
                case EXTENSION_NAME_START -> {
                    if (HttpBytes.isTokenChar(b)) {
                        state = State.EXTENSION_NAME;
                    } else if (!HttpBytes.isWhitespace(b)) {
                        throw fail("invalid chunk extension");
                    }
                    countExtension();
                }
                case EXTENSION_NAME -> {
                    if (b == '=') {
                        state = State.EXTENSION_VALUE_START;
                    } else if (HttpBytes.isWhitespace(b)) {
                        state = State.AFTER_EXTENSION_NAME;
                    } else if (!HttpBytes.isTokenChar(b)) {
                        afterExtension(b);
                    }
                    countExtension();
                }
                case AFTER_EXTENSION_NAME -> {
                    if (b == '=') {
                        state = State.EXTENSION_VALUE_START;
                    } else if (b == ';') {
                        state = State.EXTENSION_NAME_START;
                    } else if (!HttpBytes.isWhitespace(b)) {
                        throw fail("invalid chunk extension");
                    }
                    countExtension();
                }
                case EXTENSION_VALUE_START -> {
                    if (b == '"') {
                        state = State.EXTENSION_QUOTED;
                    } else if (HttpBytes.isTokenChar(b)) {
                        state = State.EXTENSION_TOKEN;
                    } else if (!HttpBytes.isWhitespace(b)) {
                        throw fail("invalid chunk extension");
                    }
                    countExtension();
                }
                case EXTENSION_TOKEN -> {
                    if (!HttpBytes.isTokenChar(b)) {
                        afterExtension(b);
                    }
                    countExtension();
                }
                case EXTENSION_QUOTED -> {
                    if (b == '"') {
                        state = State.AFTER_QUOTED;
                    } else if (b == '\\') {
                        state = State.EXTENSION_ESCAPE;
                    } else if (!isQuotedChar(b)) {
                        throw fail("invalid chunk extension");
                    }
                    countExtension();
                }
                case EXTENSION_ESCAPE -> {
                    if (!isQuotedChar(b)) {
                        throw fail("invalid chunk extension");
                    }
                    state = State.EXTENSION_QUOTED;
                    countExtension();
                }
                case AFTER_QUOTED -> {
                    if (HttpBytes.isWhitespace(b)) {
                        state = State.BEFORE_SEMICOLON;
                    } else {
                        afterExtension(b);
                    }
                    countExtension();
                }
                case SIZE_LF -> {
                    if (b != HttpBytes.LF) {
                        throw fail("chunk size line ends without CRLF");
                    }
                    if (size == 0) {
                        state = State.TRAILER_START;
                    } else {
                        dataLeft = size;
                        state = State.DATA;
                    }
                }
                case DATA_CR -> {
                    if (b != HttpBytes.CR) {
                        throw fail("chunk data longer than its size");
                    }
                    state = State.DATA_LF;
                }
                case DATA_LF -> {
                    if (b != HttpBytes.LF) {
                        throw fail("chunk data not followed by CRLF");
                    }
                    state = State.SIZE_FIRST;
                }
                case TRAILER_START -> {
                    if (b == HttpBytes.CR) {
                        state = State.LAST_LF;
                    } else if (HttpBytes.isTokenChar(b)) {
                        state = State.TRAILER_NAME;
                        countTrailer();
                        keep(b);
                    } else {
                        throw fail("malformed trailer");
                    }
                }
                case TRAILER_NAME -> {
                    if (b == ':') {
                        state = State.TRAILER_VALUE;
                    } else if (!HttpBytes.isTokenChar(b)) {
                        throw fail("malformed trailer name");
                    }
                    countTrailer();
                    keep(b);
                }
                case TRAILER_VALUE -> {
                    if (b == HttpBytes.CR) {
                        state = State.TRAILER_LF;
                    } else if (!HttpBytes.isFieldChar(b)) {
                        throw fail("invalid character in a trailer");
                    } else {
                        countTrailer();
                    }
                    keep(b);
                }
                case TRAILER_LF -> {
                    if (b != HttpBytes.LF) {
                        throw fail("trailer line ends without CRLF");
                    }
                    keep(b);
                    state = State.TRAILER_START;
                }
                case LAST_LF -> {
                    if (b != HttpBytes.LF) {
                        throw fail("chunked body ends without CRLF");
                    }
                    state = State.DONE;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return i;
    }

    private void afterSize(byte b) {
        if (b == ';') {
            state = State.EXTENSION_NAME_START;
        } else if (b == HttpBytes.CR) {
            state = State.SIZE_LF;
        } else if (HttpBytes.isWhitespace(b)) {
            state = State.BEFORE_SEMICOLON;
        } else {
            throw fail("invalid chunk size");
        }
        if (lineLength > MAX_LINE) {
            throw fail("chunk size line too long");
        }
    }

    /** After a whole extension (a name, or a value): another one, or the end of the line. */
    private void afterExtension(byte b) {
        if (b == ';') {
            state = State.EXTENSION_NAME_START;
        } else if (b == HttpBytes.CR) {
            state = State.SIZE_LF;
        } else {
            throw fail("invalid chunk extension");
        }
    }

    /** Blanks and visible US-ASCII: the RFC also allows obs-text in a quoted value, but Netty's parser refuses it. */
    private static boolean isQuotedChar(byte b) {
        return HttpBytes.isWhitespace(b) || (b > 0x20 && b < 0x7f);
    }

    private void countExtension() {
        if (++lineLength > MAX_LINE) {
            throw fail("chunk extension too long");
        }
    }

    private void keep(byte b) {
        if (trailers != null) {
            trailers.append((char) (b & 0xff));
        }
    }

    private void countTrailer() {
        if (++trailerLength > MAX_TRAILERS) {
            throw fail("trailers too large");
        }
    }

    private HttpParseException fail(String reason) {
        return new HttpParseException(error, reason);
    }
}

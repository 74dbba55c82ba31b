package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Finds where a message head ends as its bytes arrive, remembering how far it looked so that a head sent a byte at a
 * time is still scanned once. Every line must end with CRLF; limits are enforced as soon as they are passed.
 */
final class HeadScanner {
    /** Line ends room for a head of up to 23 fields; a larger one grows it. */
    private static final int LINE_ENDS = 24;
    private final int maxStartLine;
    private final int maxHeadSize;
    private final int maxFields;
    private final HttpError error;
    /** Taken from the recycler when a head starts, given back once it is parsed: an idle connection holds none. */
    private int[] lineEnds;
    private int lineCount;
    private int scanned;

    HeadScanner(int maxStartLine, int maxHeadSize, int maxFields, HttpError error) {
        this.maxStartLine = maxStartLine;
        this.maxHeadSize = maxHeadSize;
        this.maxFields = maxFields;
        this.error = error;
    }

    /**
     * Scans on from where it stopped. Returns the head's length (through its empty line) once it is complete, or -1
     * when more bytes are needed.
     */
    int scan(ByteBuf in, HeadRecycler recycler) {
        if (lineEnds == null) {
            lineEnds = recycler.take(HeadRecycler.LINE_ENDS, LINE_ENDS);
        }
        int base = in.readerIndex();
        int end = in.writerIndex();
        while (true) {
            int lineStart = lineCount == 0 ? 0 : lineEnds[lineCount - 1] + 2;
            int lf = in.indexOf(base + scanned, end, HttpBytes.LF);
            if (lf < 0) {
                scanned = end - base;
                checkLimits(scanned - lineStart);
                return -1;
            }
            int cr = lf - base - 1;
            if (cr < lineStart || in.getByte(lf - 1) != HttpBytes.CR) {
                throw new HttpParseException(error, "line ends without CR");
            }
            scanned = cr + 2;
            checkLimits(cr - lineStart);
            if (cr == lineStart) {
                if (lineCount == 0) {
                    throw new HttpParseException(error, "empty start line");
                }
                return scanned;
            }
            if (lineCount == lineEnds.length) {
                lineEnds = Arrays.copyOf(lineEnds, lineCount * 2);
            }
            lineEnds[lineCount++] = cr;
            if (lineCount > maxFields + 1) {
                throw new HttpParseException(tooLarge(), "too many fields");
            }
        }
    }

    private void checkLimits(int currentLineLength) {
        if (lineCount == 0 && currentLineLength > maxStartLine) {
            throw new HttpParseException(error == HttpError.BAD_REQUEST ? HttpError.URI_TOO_LONG : error,
                    "start line too long");
        }
        if (scanned > maxHeadSize) {
            throw new HttpParseException(tooLarge(), "head too large");
        }
    }

    private HttpError tooLarge() {
        return error == HttpError.BAD_REQUEST ? HttpError.HEADERS_TOO_LARGE : error;
    }

    int[] lineEnds() {
        return lineEnds;
    }

    int lineCount() {
        return lineCount;
    }

    /** Whether no byte of the next head was seen yet. */
    boolean atStart() {
        return scanned == 0;
    }

    /** Ready for the next head; the line ends of the last one go back to {@code recycler}. */
    void reset(HeadRecycler recycler) {
        lineCount = 0;
        scanned = 0;
        recycler.giveBack(HeadRecycler.LINE_ENDS, lineEnds);
        lineEnds = null;
    }
}

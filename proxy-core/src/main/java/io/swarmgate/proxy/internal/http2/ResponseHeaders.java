package io.swarmgate.proxy.internal.http2;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http1.Trailers;

/**
 * A backend's response as HTTP/2 header lists, straight from its head (HTTP/1.1's parsed bytes, or an h2c backend's
 * HEADERS): the status, the fields without the connection's own, the route's edits and the exchange's own fields. The
 * parser (or Netty's HTTP/2 decoder) checked the fields, so HTTP/2's validation is not repeated.
 */
public final class ResponseHeaders {
    private ResponseHeaders() {
    }

    /**
     * The head's header list, written into {@code headers} after clearing it: a writer reuses one for every response
     * head, which Netty encodes at once (only trailers may wait for flow control, behind the body's data).
     *
     * @param dropped the {@link HeaderKind kinds} of fields to leave out besides the connection's
     * @param removed lower-case names of fields to leave out
     * @param added   field lines to add ({@code Name: value\r\n}…), each array one or more lines, or {@code null}
     */
    public static Http2Headers of(Http2Headers headers, BackendResponseHead head, int dropped, byte[][] removed,
                                  byte[]... added) {
        headers.clear();
        headers.status(HttpResponseStatus.valueOf(head.status()).codeAsText());
        head.addTo(headers, FieldLines.CONNECTION_KINDS | dropped, removed);
        for (byte[] lines : added) {
            if (lines != null) {
                addLines(headers, lines);
            }
        }
        return headers;
    }

    /** A chunked body's trailer fields, which end an HTTP/2 stream. */
    public static Http2Headers trailers(Trailers trailers) {
        Http2Headers fields = new DefaultHttp2Headers(false);
        for (String[] field : trailers.fields()) {
            FieldLines.add(fields, field[0], field[1]);
        }
        return fields;
    }

    /** Adds {@code Name: value\r\n} lines, names in lower case, values without surrounding whitespace. */
    public static void addLines(Http2Headers headers, byte[] lines) {
        int start = 0;
        while (start < lines.length) {
            int colon = indexOf(lines, (byte) ':', start);
            int end = indexOf(lines, (byte) '\r', colon);
            int valueStart = colon + 1;
            while (valueStart < end && (lines[valueStart] == ' ' || lines[valueStart] == '\t')) {
                valueStart++;
            }
            int valueEnd = end;
            while (valueEnd > valueStart && (lines[valueEnd - 1] == ' ' || lines[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            headers.add(new AsciiString(lines, start, colon - start, false).toLowerCase(),
                    new AsciiString(lines, valueStart, valueEnd - valueStart, false));
            start = end + 2;
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }
}

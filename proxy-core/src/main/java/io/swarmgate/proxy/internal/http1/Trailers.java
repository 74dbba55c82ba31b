package io.swarmgate.proxy.internal.http1;

import java.util.ArrayList;
import java.util.List;

/**
 * The trailer fields of a chunked body, as they came ({@code name: value\r\n}…, ISO-8859-1), checked by the chunked
 * framing's parser; emitted before {@link MessageEnd} when the decoder is asked to keep them.
 *
 * @param lines the trailer section without its final empty line
 */
public record Trailers(String lines) {
    /** The fields as name and value pairs, names as sent, values without surrounding whitespace. */
    public List<String[]> fields() {
        List<String[]> fields = new ArrayList<>();
        for (String line : lines.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
            }
        }
        return fields;
    }
}

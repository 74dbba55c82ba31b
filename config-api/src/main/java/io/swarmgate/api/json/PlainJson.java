package io.swarmgate.api.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API's one mapper with Jackson's defaults, shared (a configured mapper is thread-safe). Its own class, so that it
 * is built on first use: building it loads about 250 classes, which would otherwise compete with the data plane's first
 * answer for the CPU at start.
 */
public final class PlainJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private PlainJson() {
    }
}

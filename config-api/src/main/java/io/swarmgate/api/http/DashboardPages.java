package io.swarmgate.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard's static files, packaged in the jar under {@code dashboard/} and read once: the page needs no other
 * host, so it works where machines reach no web host at all.
 */
final class DashboardPages {
    static final String PATH = "/dashboard";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "charts.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");
    /** Everything from this origin, nothing inline, nothing from elsewhere. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    private final Map<String, ApiAnswer> files = new HashMap<>();

    DashboardPages() {
        TYPES.forEach((name, type) -> files.put(PATH + "/" + (name.equals("index.html") ? "" : name),
                new ApiAnswer(200, Map.of("Content-Type", type, "Content-Security-Policy", POLICY,
                        "X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache"), read(name))));
    }

    /** Whether {@code path} is the dashboard's. */
    static boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    ApiAnswer answer(String path) {
        if (path.equals(PATH)) {
            return ApiAnswer.movedPermanently(PATH + "/");
        }
        ApiAnswer file = files.get(path);
        return file != null ? file : ApiAnswer.notFound();
    }

    private static String read(String name) {
        try (InputStream in = DashboardPages.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks dashboard/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.swarmgate.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML bodies that replace the proxy's own short answers for some statuses (Docker Flow Proxy's error files): a page
 * for 503 is what a client sees when no route or no server takes its request. Statuses without a page keep the
 * built-in plain-text answer. Immutable.
 */
public final class ErrorPages {
    public static final ErrorPages NONE = new ErrorPages(Map.of());
    private static final Pattern PAGE = Pattern.compile("([45]\\d\\d)\\.html");

    private final Map<Integer, byte[]> pages;

    private ErrorPages(Map<Integer, byte[]> pages) {
        this.pages = Map.copyOf(pages);
    }

    /** Pages by status code, as UTF-8 HTML. */
    public static ErrorPages of(Map<Integer, String> htmlByStatus) {
        Map<Integer, byte[]> pages = new HashMap<>();
        htmlByStatus.forEach((status, html) -> {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("error page for " + status + " (expected: 400-599)");
            }
            pages.put(status, html.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        return new ErrorPages(pages);
    }

    /** Every {@code <status>.html} file of a directory (e.g. {@code 503.html}); none when it does not exist. */
    public static ErrorPages fromDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return NONE;
        }
        Map<Integer, byte[]> pages = new HashMap<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Matcher name = PAGE.matcher(file.getFileName().toString());
                if (name.matches() && Files.isRegularFile(file)) {
                    pages.put(Integer.parseInt(name.group(1)), Files.readAllBytes(file));
                }
            }
        }
        return new ErrorPages(pages);
    }

    /** The page for a status, or {@code null} to keep the built-in answer. */
    public byte[] page(int status) {
        return pages.get(status);
    }

    public boolean isEmpty() {
        return pages.isEmpty();
    }
}

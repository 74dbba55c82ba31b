package io.swarmgate.proxy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A header value as DFP's users write it: literal text, surrounding quotes stripped, with HAProxy sample fetches among
 * {@code %[src]} (client address), {@code %[dst_port]} (proxy port) and {@code %[req.hdr(Name)]} (a request header).
 * Any other fetch is refused when the template is parsed.
 */
public final class HeaderTemplate {
    private static final Pattern SAMPLE = Pattern.compile("%\\[([^\\]]*)]");
    private static final Pattern REQUEST_HEADER = Pattern.compile("req\\.hdr\\(([!#$%&'*+\\-.^_`|~0-9A-Za-z]+)\\)");

    private final List<Function<PolicyRequest, String>> parts;
    private final String literal;

    private HeaderTemplate(List<Function<PolicyRequest, String>> parts, String literal) {
        this.parts = parts;
        this.literal = literal;
    }

    /** @throws IllegalArgumentException naming the sample fetch that is not supported */
    public static HeaderTemplate parse(String raw) {
        String text = raw.strip();
        if (!HeaderNames.isValue(text)) {
            throw new IllegalArgumentException("control or non-Latin-1 character in a header value");
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        Matcher samples = SAMPLE.matcher(text);
        List<Function<PolicyRequest, String>> parts = new ArrayList<>();
        int last = 0;
        while (samples.find()) {
            String before = text.substring(last, samples.start());
            if (!before.isEmpty()) {
                parts.add(request -> before);
            }
            parts.add(sample(samples.group(1).strip()));
            last = samples.end();
        }
        if (parts.isEmpty()) {
            return new HeaderTemplate(List.of(), text);
        }
        String rest = text.substring(last);
        if (!rest.isEmpty()) {
            parts.add(request -> rest);
        }
        return new HeaderTemplate(List.copyOf(parts), null);
    }

    private static Function<PolicyRequest, String> sample(String fetch) {
        if (fetch.equals("src")) {
            return PolicyRequest::clientAddress;
        }
        if (fetch.equals("dst_port")) {
            return request -> Integer.toString(request.localPort());
        }
        Matcher header = REQUEST_HEADER.matcher(fetch);
        if (header.matches()) {
            String name = header.group(1);
            return request -> {
                String value = request.header(name);
                return value == null ? "" : value;
            };
        }
        throw new IllegalArgumentException("unsupported sample %[" + fetch
                + "] (supported: %[src], %[dst_port], %[req.hdr(Name)])");
    }

    /** Whether the value is the same for every request. */
    public boolean isLiteral() {
        return literal != null;
    }

    public String render(PolicyRequest request) {
        if (literal != null) {
            return literal;
        }
        StringBuilder value = new StringBuilder();
        for (Function<PolicyRequest, String> part : parts) {
            value.append(part.apply(request));
        }
        return value.toString();
    }

    /** The value of a literal template. */
    public String literal() {
        if (literal == null) {
            throw new IllegalStateException("not a literal value");
        }
        return literal;
    }
}

package io.swarmgate.config;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Swarmgate's own parameters of a destination that guard its backend, as given: forward auth. Kept together, apart
 * from DFP's fields, so that each guard's parameters live in one place; each is read and checked by its own class
 * ({@code ForwardAuths}). A string not given is empty, a list empty.
 *
 * @param authUrl             the {@code http} URL of the service asked before each request, empty for none
 * @param authRequestHeaders  the request's fields sent to it
 * @param authResponseHeaders the fields of its 2xx answer set on the request
 * @param authTimeout         how long it may take, {@code <n>ms} or {@code <n>s}
 */
public record DestinationGuards(
        String authUrl,
        List<String> authRequestHeaders,
        List<String> authResponseHeaders,
        String authTimeout) {

    public static final DestinationGuards NONE = new DestinationGuards("", List.of(), List.of(), "");

    public DestinationGuards {
        // A field absent from the state of a replica that predates it.
        authUrl = authUrl == null ? "" : authUrl;
        authRequestHeaders = authRequestHeaders == null ? List.of() : List.copyOf(authRequestHeaders);
        authResponseHeaders = authResponseHeaders == null ? List.of() : List.copyOf(authResponseHeaders);
        authTimeout = authTimeout == null ? "" : authTimeout;
    }

    /**
     * @param value a parameter's value by name, empty when absent
     * @param list  a parameter's value split into a list
     */
    static DestinationGuards read(UnaryOperator<String> value, Function<String, List<String>> list) {
        return new DestinationGuards(value.apply("authUrl"), list.apply("authRequestHeaders"),
                list.apply("authResponseHeaders"), value.apply("authTimeout"));
    }

    /** Checks every guard's parameters: a 400 naming the first malformed one (as {@code name} gives it). */
    void check(String reqMode, boolean http, UnaryOperator<String> name) {
        ForwardAuths.parse(this, reqMode, http, name);
    }
}

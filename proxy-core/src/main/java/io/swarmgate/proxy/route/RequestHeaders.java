package io.swarmgate.proxy.route;

/** A request's header fields, as route conditions read them. */
@FunctionalInterface
public interface RequestHeaders {
    /** No fields at all. */
    RequestHeaders NONE = name -> null;

    /** The value of the first field with this name (any case), or {@code null}. */
    String header(String name);
}

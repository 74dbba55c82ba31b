package io.swarmgate.bootstrap.engine;

import io.swarmgate.bootstrap.BootstrapException;

/** {@code [registry/]repository[:tag]}, split as Docker does: a first part with '.' or ':' (or localhost) is a host. */
public record ImageReference(String registry, String repository, String tag) {
    public static ImageReference parse(String reference) {
        String rest = reference;
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        int colon = rest.lastIndexOf(':');
        String repository = colon > rest.lastIndexOf('/') && colon > 0 ? rest.substring(0, colon) : rest;
        String tag = colon > rest.lastIndexOf('/') && colon > 0 ? rest.substring(colon + 1) : "latest";
        if (repository.isEmpty() || tag.isEmpty()) {
            throw new BootstrapException("image " + reference + ": expected [registry/]repository[:tag]");
        }
        return new ImageReference(registry, repository, tag);
    }

    /** The same repository and tag in another registry. */
    public ImageReference in(String otherRegistry) {
        return new ImageReference(otherRegistry, repository, tag);
    }

    public boolean hasRegistry() {
        return registry != null;
    }

    @Override
    public String toString() {
        return (registry == null ? "" : registry + "/") + repository + ":" + tag;
    }
}

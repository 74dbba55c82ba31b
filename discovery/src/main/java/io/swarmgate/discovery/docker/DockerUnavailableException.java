package io.swarmgate.discovery.docker;

/** The Docker API could not be reached or answered with an error. */
public final class DockerUnavailableException extends RuntimeException {
    DockerUnavailableException(String dockerHost, Throwable cause) {
        super("Docker API at " + dockerHost + ": " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
    }
}

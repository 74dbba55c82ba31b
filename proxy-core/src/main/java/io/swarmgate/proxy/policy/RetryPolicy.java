package io.swarmgate.proxy.policy;

/**
 * Whether a request whose backend attempt failed is tried again: one object holds the rules for each way an attempt
 * fails, so that the exchange only reports the failure and follows the answer. A retry goes to another task when the
 * failed one could be ejected (a task-balanced backend), else to the backend's name again.
 *
 * <ul>
 *   <li>No connection could be opened: nothing was sent, so any request may go to another task.</li>
 *   <li>The connection closed before an answer: a pooled connection the backend closed while idle most likely never
 *       read the request, which is sent again as it is; otherwise the task is ejected and an idempotent request
 *       (RFC 9110 §9.2.2) sent whole is tried elsewhere.</li>
 *   <li>The backend stayed silent: the task is ejected, and an idempotent request sent whole goes to another task
 *       only when one exists; the same backend again would only multiply the wait the timeout bounds.</li>
 * </ul>
 * Nothing is retried once the answer started, nor beyond the attempts allowed (the first one included).
 */
public final class RetryPolicy {
    /** Up to three backend connections per request, the first try included. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3);

    /** How an attempt failed. */
    public enum Failure {
        /** The connection could not be opened (refused, timed out, or its TLS handshake failed). */
        CONNECT_FAILED,
        /** The backend closed the connection. */
        CLOSED,
        /** The backend stayed silent longer than the exchange's backend timeout. */
        TIMED_OUT
    }

    private final int maxAttempts;

    public RetryPolicy(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1 or more)");
        }
        this.maxAttempts = maxAttempts;
    }

    /**
     * Decides on a failed attempt, ejecting its task through {@code attempt} where the failure says the task is at
     * fault; returns whether the request is tried again.
     */
    public boolean retries(Failure failure, FailedAttempt attempt) {
        return switch (failure) {
            case CONNECT_FAILED -> attempt.ejectTask() && attempt.attempts() < maxAttempts;
            case CLOSED -> !attempt.answerStarted() && attempt.attempts() < maxAttempts && afterClose(attempt);
            case TIMED_OUT -> !attempt.answerStarted() && attempt.ejectTask() && attempt.attempts() < maxAttempts
                    && attempt.requestSent() && attempt.mayResend() && attempt.anotherTaskExists();
        };
    }

    private static boolean afterClose(FailedAttempt attempt) {
        if (attempt.reusedIdleConnection() && attempt.requestSent() && attempt.resendable()) {
            return true;
        }
        attempt.ejectTask();
        return attempt.requestSent() && attempt.mayResend();
    }

    /** What a {@link RetryPolicy} asks of a failed attempt. */
    public interface FailedAttempt {
        /** Backend connections tried for the request, the failed one included. */
        int attempts();

        /** Whether part of the backend's answer already went to the client. */
        boolean answerStarted();

        /** Whether the failed connection was an idle one taken from the pool. */
        boolean reusedIdleConnection();

        /** Whether the whole request went out on it. */
        boolean requestSent();

        /** Whether all that was sent of the request is kept, so that it can be sent again as it is. */
        boolean resendable();

        /** Whether the request may be sent again elsewhere: idempotent, and all of it kept. */
        boolean mayResend();

        /** Ejects the task the attempt went to, looking the tasks up again; false when it went to no task. */
        boolean ejectTask();

        /** Whether a task other than the ejected one could take the request now. */
        boolean anotherTaskExists();
    }
}

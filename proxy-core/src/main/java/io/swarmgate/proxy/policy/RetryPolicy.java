package io.swarmgate.proxy.policy;

import java.util.EnumSet;
import java.util.Set;

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
 *
 * <p>A route may change this ({@code retryAttempts}, {@code retryOn}, {@code retryBackoff}, {@code retryBudget},
 * {@code retryNonIdempotent}): fewer kinds of failure retried, answers of chosen statuses (a 503, say) retried as
 * failures once the whole request went out and could be sent again, a pause before each retry that doubles each
 * time, a {@link RetryBudget}, and requests that are not idempotent resent too. A failed attempt still ejects its task
 * whether or not it is retried.
 */
public final class RetryPolicy {
    /** Up to three backend connections per request, the first try included. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3);
    private static final int MAX_BACKOFF_SHIFT = 10;

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
    private final Set<Failure> failures;
    /** Indexed by status minus 500: the server errors whose answers are retried. */
    private final boolean[] statuses;
    private final long backoffNanos;
    private final RetryBudget budget;
    private final boolean nonIdempotent;

    public RetryPolicy(int maxAttempts) {
        this(maxAttempts, EnumSet.allOf(Failure.class), Set.of(), 0, null, false);
    }

    /**
     * @param failures      the failures retried
     * @param statuses      the statuses (500 to 599) whose answers are retried
     * @param backoffNanos  the pause before the first retry, doubled for each one after; 0 for none
     * @param budget        the share of requests retries may take, or {@code null} for no bound
     * @param nonIdempotent whether a request that is not idempotent may be resent once it went out
     */
    public RetryPolicy(int maxAttempts, Set<Failure> failures, Set<Integer> statuses, long backoffNanos,
                       RetryBudget budget, boolean nonIdempotent) {
        if (maxAttempts < 1 || backoffNanos < 0) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + ", backoffNanos: " + backoffNanos
                    + " (expected: 1 or more, 0 or more)");
        }
        this.maxAttempts = maxAttempts;
        this.failures = failures.isEmpty() ? EnumSet.noneOf(Failure.class) : EnumSet.copyOf(failures);
        this.statuses = new boolean[100];
        for (int status : statuses) {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("status: " + status + " (expected: 500 to 599)");
            }
            this.statuses[status - 500] = true;
        }
        this.backoffNanos = backoffNanos;
        this.budget = budget;
        this.nonIdempotent = nonIdempotent;
    }

    /**
     * Decides on a failed attempt, ejecting its task through {@code attempt} where the failure says the task is at
     * fault; returns whether the request is tried again.
     */
    public boolean retries(Failure failure, FailedAttempt attempt) {
        boolean again = switch (failure) {
            case CONNECT_FAILED -> attempt.ejectTask() && attempt.attempts() < maxAttempts;
            case CLOSED -> !attempt.answerStarted() && attempt.attempts() < maxAttempts && afterClose(attempt);
            case TIMED_OUT -> !attempt.answerStarted() && attempt.ejectTask() && attempt.attempts() < maxAttempts
                    && attempt.requestSent() && mayResend(attempt) && attempt.anotherTaskExists();
        };
        return again && failures.contains(failure) && withinBudget();
    }

    /**
     * Decides on a backend's answer, before any of it goes to the client: whether its status is one retried, and the
     * whole request went out and can be sent again.
     */
    public boolean retriesAnswer(int status, FailedAttempt attempt) {
        return status >= 500 && status <= 599 && statuses[status - 500] && attempt.attempts() < maxAttempts
                && attempt.requestSent() && mayResend(attempt) && withinBudget();
    }

    /** The pause before the retry that follows {@code attempts} attempts, in nanoseconds. */
    public long backoffNanos(int attempts) {
        return backoffNanos == 0 ? 0 : backoffNanos << Math.min(attempts - 1, MAX_BACKOFF_SHIFT);
    }

    private boolean afterClose(FailedAttempt attempt) {
        if (attempt.reusedIdleConnection() && attempt.requestSent() && attempt.resendable()) {
            return true;
        }
        attempt.ejectTask();
        return attempt.requestSent() && mayResend(attempt);
    }

    private boolean mayResend(FailedAttempt attempt) {
        return nonIdempotent ? attempt.resendable() : attempt.mayResend();
    }

    private boolean withinBudget() {
        return budget == null || budget.tryRetry();
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

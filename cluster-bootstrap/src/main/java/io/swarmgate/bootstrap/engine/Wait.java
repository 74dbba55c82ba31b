package io.swarmgate.bootstrap.engine;

import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waits: poll a condition, show progress now and then, and fail with a clear message at the deadline. */
public final class Wait {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private Wait() {
    }

    /** What a poll found: done or not, and the state in words (shown in progress lines and in the timeout). */
    public record State(boolean done, String description) {
        public static State done(String description) {
            return new State(true, description);
        }

        public static State waiting(String description) {
            return new State(false, description);
        }
    }

    /**
     * Polls {@code poll} until it is done; answers its last description. A poll that throws counts as not done yet
     * (an engine still starting), its message being the state; one that throws a BootstrapException ends the wait.
     */
    public static String until(String what, Duration timeout, Console console, Supplier<State> poll) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        String last = "nothing yet";
        while (true) {
            State state;
            try {
                state = poll.get();
            } catch (BootstrapException e) {
                throw e; // the poll knows it is hopeless (an update rolled back): no point waiting on
            } catch (RuntimeException e) {
                state = State.waiting(String.valueOf(e.getMessage()));
            }
            last = state.description();
            if (state.done()) {
                return last;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                throw new BootstrapException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last state: " + last);
            }
            if (now >= nextProgress) {
                console.progress("waiting for " + what + " (" + (now - start) / 1_000_000_000 + " s): " + last);
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BootstrapException("interrupted while waiting for " + what, e);
            }
        }
    }
}

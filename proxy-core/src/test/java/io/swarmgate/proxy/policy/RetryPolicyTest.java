package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.policy.RetryPolicy.Failure;
import org.junit.jupiter.api.Test;

/** Which failed attempts are tried again, and which tasks the policy ejects on the way. */
class RetryPolicyTest {
    private final RetryPolicy policy = RetryPolicy.DEFAULT;

    @Test
    void aRefusedConnectGoesToAnotherTaskWhateverTheRequest() {
        Attempt post = Attempt.first().onTask().notIdempotent();

        assertThat(policy.retries(Failure.CONNECT_FAILED, post)).isTrue();
        assertThat(post.ejected).isTrue();
    }

    @Test
    void aRefusedConnectToABackendWithoutTasksIsNotRetried() {
        assertThat(policy.retries(Failure.CONNECT_FAILED, Attempt.first())).isFalse();
    }

    @Test
    void theThirdFailedAttemptIsTheLastButItsTaskIsStillEjected() {
        Attempt third = Attempt.first().onTask().attempts(3);

        assertThat(policy.retries(Failure.CONNECT_FAILED, third)).isFalse();
        assertThat(third.ejected).isTrue();
        assertThat(new RetryPolicy(4).retries(Failure.CONNECT_FAILED, Attempt.first().onTask().attempts(3)))
                .isTrue();
    }

    @Test
    void aPooledConnectionClosedBeforeTheAnswerIsRetriedWithoutBlamingItsTask() {
        Attempt reused = Attempt.first().onTask().reused().notIdempotent();

        assertThat(policy.retries(Failure.CLOSED, reused)).isTrue();
        assertThat(reused.ejected).isFalse();
    }

    @Test
    void aFreshConnectionClosedBeforeTheAnswerEjectsItsTaskAndRetriesOnlyAnIdempotentRequest() {
        Attempt get = Attempt.first().onTask();
        Attempt post = Attempt.first().onTask().notIdempotent();

        assertThat(policy.retries(Failure.CLOSED, get)).isTrue();
        assertThat(policy.retries(Failure.CLOSED, post)).isFalse();
        assertThat(get.ejected).isTrue();
        assertThat(post.ejected).isTrue();
    }

    @Test
    void aRequestNotWhollySentIsNotRetriedAfterAClose() {
        Attempt partial = Attempt.first().onTask().reused().partlySent();

        assertThat(policy.retries(Failure.CLOSED, partial)).isFalse();
    }

    @Test
    void nothingIsRetriedNorEjectedOnceTheAnswerStarted() {
        Attempt closed = Attempt.first().onTask().afterAnswerStarted();
        Attempt timedOut = Attempt.first().onTask().afterAnswerStarted().withAnotherTask();

        assertThat(policy.retries(Failure.CLOSED, closed)).isFalse();
        assertThat(policy.retries(Failure.TIMED_OUT, timedOut)).isFalse();
        assertThat(closed.ejected).isFalse();
        assertThat(timedOut.ejected).isFalse();
    }

    @Test
    void aSilentTaskIsEjectedAndTheRequestGoesToAnotherOnlyWhenOneExists() {
        Attempt alone = Attempt.first().onTask();
        Attempt withAnother = Attempt.first().onTask().withAnotherTask();

        assertThat(policy.retries(Failure.TIMED_OUT, alone)).isFalse();
        assertThat(policy.retries(Failure.TIMED_OUT, withAnother)).isTrue();
        assertThat(alone.ejected).isTrue();
        assertThat(withAnother.ejected).isTrue();
    }

    @Test
    void aSilentBackendIsNotAskedTwiceForANonIdempotentRequest() {
        assertThat(policy.retries(Failure.TIMED_OUT, Attempt.first().onTask().withAnotherTask().notIdempotent()))
                .isFalse();
    }

    /** The facts of a failed attempt: by default the first, on a fresh connection, of a GET sent whole. */
    private static final class Attempt implements RetryPolicy.FailedAttempt {
        private int attempts = 1;
        private boolean answerStarted;
        private boolean reused;
        private boolean sent = true;
        private boolean idempotent = true;
        private boolean onTask;
        private boolean anotherTask;
        boolean ejected;

        static Attempt first() {
            return new Attempt();
        }

        Attempt attempts(int count) {
            attempts = count;
            return this;
        }

        Attempt afterAnswerStarted() {
            answerStarted = true;
            return this;
        }

        Attempt reused() {
            reused = true;
            return this;
        }

        Attempt partlySent() {
            sent = false;
            return this;
        }

        Attempt notIdempotent() {
            idempotent = false;
            return this;
        }

        Attempt onTask() {
            onTask = true;
            return this;
        }

        Attempt withAnotherTask() {
            anotherTask = true;
            return this;
        }

        @Override
        public int attempts() {
            return attempts;
        }

        @Override
        public boolean answerStarted() {
            return answerStarted;
        }

        @Override
        public boolean reusedIdleConnection() {
            return reused;
        }

        @Override
        public boolean requestSent() {
            return sent;
        }

        @Override
        public boolean resendable() {
            return true;
        }

        @Override
        public boolean mayResend() {
            return idempotent;
        }

        @Override
        public boolean ejectTask() {
            ejected = onTask;
            return onTask;
        }

        @Override
        public boolean anotherTaskExists() {
            return anotherTask;
        }
    }
}

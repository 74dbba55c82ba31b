package io.swarmgate.api.acme;

import io.swarmgate.proxy.tls.InvalidCertificateException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a challenge answer to this replica's data plane and then to every other replica before the CA is asked to
 * validate, since the CA may reach any of them; and takes it back from all once the validation is over.
 */
final class ChallengeRelay {
    private static final Logger log = LoggerFactory.getLogger(ChallengeRelay.class);

    private final ChallengeBoard board;
    private final Replicas replicas;

    ChallengeRelay(ChallengeBoard board, Replicas replicas) {
        this.board = board;
        this.replicas = replicas;
    }

    void publish(ChallengeAnswer answer) throws InvalidCertificateException {
        board.answer(answer);
        List<String> missed = replicas.send("PUT", answer.pathAndQuery(false), null);
        if (!missed.isEmpty()) {
            // The CA may still reach a replica that has it; if not, the validation fails and the order is retried.
            log.warn("ACME {} answer for {} not taken by replica(s) {}", answer.type().id(), answer.host(), missed);
        }
    }

    void withdraw(ChallengeAnswer answer) {
        board.withdraw(answer);
        replicas.send("PUT", answer.pathAndQuery(true), null);
    }
}

package io.swarmgate.api.acme;

import io.swarmgate.proxy.tls.InvalidCertificateException;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ACME order, step by step as RFC 8555 has it, each step logged: the order, a validation per name answered by
 * every replica, the finalization with a new key, and the certificate chain.
 */
final class AcmeOrder {
    private static final Logger log = LoggerFactory.getLogger(AcmeOrder.class);
    /** How long the CA may take to validate a name or to issue; Let's Encrypt takes seconds. */
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);

    private final Login login;
    private final ChallengeRelay relay;
    private final ChallengeType preferred;

    AcmeOrder(Login login, ChallengeRelay relay, ChallengeType preferred) {
        this.login = login;
        this.relay = relay;
        this.preferred = preferred;
    }

    /** The certificate failed to come; the message says at which step and the CA's reason. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Orders a certificate for {@code names}.
     *
     * @return the key and the chain, in PEM
     */
    String order(List<String> names) throws AcmeException, Failure, InterruptedException,
            InvalidCertificateException {
        Order order = login.newOrder().domains(names).create();
        log.info("ACME order for {}: created at {}", names, order.getLocation());
        for (Authorization authorization : order.getAuthorizations()) {
            if (authorization.getStatus() != Status.VALID) {
                validate(names, authorization);
            }
        }
        var key = KeyPairUtils.createECKeyPair("secp256r1");
        order.execute(key);
        Status status = order.waitForCompletion(STEP_TIMEOUT);
        if (status != Status.VALID) {
            throw new Failure("order for " + names + " ended " + status + reason(order.getError()));
        }
        Certificate certificate = order.getCertificate();
        log.info("ACME order for {}: certificate issued, serial {}", names,
                certificate.getCertificate().getSerialNumber().toString(16));
        try {
            StringWriter pem = new StringWriter();
            KeyPairUtils.writeKeyPair(key, pem);
            certificate.writeCertificate(pem);
            return pem.toString();
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory cannot fail", e);
        }
    }

    private void validate(List<String> names, Authorization authorization) throws AcmeException, Failure,
            InterruptedException, InvalidCertificateException {
        String host = authorization.getIdentifier().getDomain();
        ChallengeAnswer answer = answerFor(host, authorization);
        Challenge challenge = authorization.findChallenge(answer.type().id()).orElseThrow();
        relay.publish(answer);
        try {
            log.info("ACME order for {}: {} of {} handed to the replicas, asking the CA to validate", names,
                    answer.type().id(), host);
            challenge.trigger();
            Status status = challenge.waitForCompletion(STEP_TIMEOUT);
            if (status != Status.VALID) {
                throw new Failure(answer.type().id() + " of " + host + " ended " + status
                        + reason(challenge.getError()));
            }
            log.info("ACME order for {}: {} validated", names, host);
        } finally {
            relay.withdraw(answer);
        }
    }

    /** The preferred challenge when the CA offers it, else the other one; DNS-01 alone cannot be answered. */
    private ChallengeAnswer answerFor(String host, Authorization authorization) throws Failure {
        Optional<Http01Challenge> http = authorization.findChallenge(Http01Challenge.class);
        Optional<TlsAlpn01Challenge> tls = authorization.findChallenge(TlsAlpn01Challenge.class);
        boolean useTls = tls.isPresent() && (preferred == ChallengeType.TLS_ALPN_01 || http.isEmpty());
        if (useTls) {
            return new ChallengeAnswer(ChallengeType.TLS_ALPN_01, host, "", tls.get().getAuthorization());
        }
        if (http.isPresent()) {
            return new ChallengeAnswer(ChallengeType.HTTP_01, host, http.get().getToken(),
                    http.get().getAuthorization());
        }
        throw new Failure("the CA offers neither http-01 nor tls-alpn-01 for " + host);
    }

    private static String reason(Optional<Problem> problem) {
        return problem.map(p -> ": " + p.getDetail().orElse(p.getType().toString())).orElse("");
    }
}

package io.swarmgate.api.acme;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.swarmgate.api.certs.CertificateSource;
import io.swarmgate.config.AcmeNames;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a certificate for every name set services ask for with {@code letsencrypt.host}: orders it when none is
 * served, renews it when due, and retries a failed order with a growing back-off, leaving the certificate served until
 * its successor is. All of it runs on one thread of its own, so a name set is never ordered twice at once by this
 * replica; the {@link OrderLock} keeps the other replicas from ordering it meanwhile, and the certificate reaches them
 * through the {@link CertificateDelivery}.
 */
public final class AutomaticCertificates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutomaticCertificates.class);

    private final AcmeSettings settings;
    private final AcmeCa ca;
    private final ChallengeRelay relay;
    private final OrderLock lock;
    private final CertificateDelivery delivery;
    private final Consumer<String> orders;
    private final Clock clock;
    private final RenewalTime renewal;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("swarmgate-acme", true));
    /** By name set; touched on the worker thread only. */
    private final Map<String, Wanted> wanted = new HashMap<>();
    /** The name set each service asks for, by service name; guarded by this. */
    private final Map<String, String> keyOfService = new HashMap<>();
    /** The services asking for each name set, by set; guarded by this. A set is wanted while any asks for it. */
    private final Map<String, Set<String>> servicesOfKey = new HashMap<>();

    /**
     * @param orders told {@code issued} or {@code failed} after each order this replica makes
     */
    public AutomaticCertificates(AcmeSettings settings, ChallengeBoard board, Replicas replicas, OrderLock lock,
                                 CertificateDelivery delivery, Consumer<String> orders, Clock clock,
                                 RandomGenerator random) {
        this.settings = settings;
        this.ca = new AcmeCa(settings);
        this.relay = new ChallengeRelay(board, replicas);
        this.lock = lock;
        this.delivery = delivery;
        this.orders = orders;
        this.clock = clock;
        this.renewal = new RenewalTime(random);
        if (!settings.email().isEmpty()) {
            // Registered ahead, so that the first certificate waits for the order alone; without ACME_EMAIL the
            // first ordering service's letsencrypt.email becomes the contact.
            worker.execute(this::register);
        }
    }

    private void register() {
        try {
            ca.login("");
        } catch (AcmeException | RuntimeException | LinkageError e) {
            log.warn("ACME account not registered yet ({}): the first order tries again", e.getMessage());
        }
    }

    /** A name set one or more services ask for, and when it is looked at next. */
    private static final class Wanted {
        final List<String> names;
        final String email;
        ScheduledFuture<?> next;
        int failures;
        /** The CA's renewal suggestion for the certificate of this serial, which this replica ordered. */
        BigInteger suggestedFor;
        Instant suggested;

        Wanted(List<String> names, String email) {
            this.names = names;
            this.email = email;
        }
    }

    /**
     * Follows a service stored: the name set of its {@code letsencrypt.host} is looked at at once if no service asked
     * for it before (the certificate's contact is that service's {@code letsencrypt.email}), and the set it asked for
     * before is dropped if no other service asks for it. Only the one service is looked at, and the worker hears only
     * of sets wanted or dropped, so a change costs the same however many services there are.
     */
    public synchronized void serviceApplied(ServiceSpec service) {
        follow(service.serviceName(), AcmeNames.of(service), service.letsencryptEmail());
    }

    /** Follows a service removed: the name set it asked for is dropped if no other service asks for it. */
    public synchronized void serviceRemoved(String serviceName) {
        follow(serviceName, List.of(), "");
    }

    private void follow(String serviceName, List<String> names, String email) {
        String key = names.isEmpty() ? null : key(names);
        String before = key == null ? keyOfService.remove(serviceName) : keyOfService.put(serviceName, key);
        if (Objects.equals(before, key)) {
            return;
        }
        if (before != null) {
            Set<String> asking = servicesOfKey.get(before);
            asking.remove(serviceName);
            if (asking.isEmpty()) {
                servicesOfKey.remove(before);
                worker.execute(() -> drop(before));
            }
        }
        if (key != null) {
            Set<String> asking = servicesOfKey.computeIfAbsent(key, k -> new HashSet<>());
            asking.add(serviceName);
            if (asking.size() == 1) {
                worker.execute(() -> want(key, names, email));
            }
        }
    }

    private void want(String key, List<String> names, String email) {
        Wanted set = new Wanted(names, email);
        wanted.put(key, set);
        schedule(key, set, Duration.ZERO);
    }

    private void drop(String key) {
        Wanted set = wanted.remove(key);
        if (set.next != null) {
            set.next.cancel(false);
        }
    }

    private static String key(List<String> names) {
        return String.join(",", new TreeSet<>(names));
    }

    /** The name the certificate is served under: the same on every replica, and told apart as ordered by ACME. */
    static String certificateName(List<String> names) {
        return CertificateSource.ACME_PREFIX + names.get(0);
    }

    private void schedule(String key, Wanted set, Duration delay) {
        if (!worker.isShutdown()) {
            set.next = worker.schedule(() -> checkOrRetry(key, set), Math.max(0, delay.toMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * What escapes a look at a name set (the order lock's engine gone, a class that cannot load) is logged, counted
     * and retried with back-off: a scheduled task's throwable would stay in its future, unseen, and the set would
     * never be looked at again.
     */
    private void checkOrRetry(String key, Wanted set) {
        try {
            check(key, set);
        } catch (RuntimeException | LinkageError e) {
            retryAfterFailure(key, set, e.toString());
        }
    }

    private void check(String key, Wanted set) {
        if (wanted.get(key) != set || worker.isShutdown()) {
            return; // dropped meanwhile, or the proxy stops
        }
        Optional<Instant> due = dueTime(set);
        if (due.isPresent() && due.get().isAfter(clock.instant())) {
            schedule(key, set, Duration.between(clock.instant(), due.get()));
            return;
        }
        Optional<OrderLock.Held> held = lock.tryLock(key);
        if (held.isEmpty()) {
            log.info("ACME order for {}: another replica orders it; looking again in {}", set.names,
                    settings.retryInterval());
            schedule(key, set, settings.retryInterval());
            return;
        }
        try (OrderLock.Held order = held.get()) {
            // The replica that held the lock before may have delivered the certificate meanwhile.
            due = dueTime(set);
            if (due.isPresent() && due.get().isAfter(clock.instant())) {
                schedule(key, set, Duration.between(clock.instant(), due.get()));
                return;
            }
            order(key, set);
        }
    }

    private void order(String key, Wanted set) {
        try {
            Login login = ca.login(set.email);
            String pem = new AcmeOrder(login, relay, settings.challenge()).order(set.names);
            ServerCertificate certificate = ServerCertificate.parse(certificateName(set.names), pem);
            List<String> missed = delivery.deliver(certificate, pem);
            orders.accept("issued");
            set.failures = 0;
            log.info("ACME order for {}: certificate {} served{}", set.names, certificate.name(),
                    missed.isEmpty() ? " by every replica" : ", not taken by replica(s) " + missed);
            set.suggestedFor = certificate.chain().get(0).getSerialNumber();
            set.suggested = renewalOf(login, certificate);
            schedule(key, set, Duration.between(clock.instant(), set.suggested));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AcmeOrder.Failure | AcmeException | InvalidCertificateException | RuntimeException e) {
            if (worker.isShutdown()) {
                return; // the proxy stops: the order was cut short, not refused
            }
            retryAfterFailure(key, set, e.getMessage());
        }
    }

    private void retryAfterFailure(String key, Wanted set, String reason) {
        orders.accept("failed");
        set.failures++;
        Duration retry = renewal.backoff(settings.retryInterval(), set.failures);
        log.warn("ACME order for {} failed ({} in a row): {}; the certificate served stays, retrying in {}",
                set.names, set.failures, reason, retry);
        schedule(key, set, retry);
    }

    /** When the served certificate for the set is due for renewal; empty when there is none, or it lacks a name. */
    private Optional<Instant> dueTime(Wanted set) {
        return delivery.current(certificateName(set.names))
                .filter(certificate -> certificate.names().containsAll(set.names))
                .map(certificate -> certificate.chain().get(0))
                .map(leaf -> leaf.getSerialNumber().equals(set.suggestedFor) ? set.suggested : renewal.of(leaf));
    }

    /** The CA's suggested renewal time when it has renewal information, two thirds of the lifetime else. */
    private Instant renewalOf(Login login, ServerCertificate certificate) {
        try {
            RenewalInfo info = login.bindRenewalInfo(certificate.chain().get(0));
            return renewal.within(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd());
        } catch (AcmeNotSupportedException e) {
            return renewal.of(certificate.chain().get(0));
        } catch (AcmeException | RuntimeException e) {
            log.info("ACME renewal information for {} unavailable ({}): renewing at two thirds of its lifetime",
                    certificate.name(), e.getMessage());
            return renewal.of(certificate.chain().get(0));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        lock.close();
    }
}

package io.swarmgate.discovery;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.discovery.docker.DockerUnavailableException;
import io.swarmgate.discovery.docker.ServiceEvents;
import io.swarmgate.discovery.docker.SwarmService;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry in line with the swarm's labelled services: Docker's service events apply a change within a
 * second, and a full listing (at start, every resync interval, and each time the event stream is opened again)
 * catches whatever the events missed. When the Docker API fails the routes stay as they are; the event stream is
 * reopened, and a listing or a service's read that failed is made again as a listing, each with a growing back-off
 * (a swarm without a leader refuses reads while its engines' event streams go on), and the next successful listing
 * converges. It also keeps a {@link TaskDirectory}
 * of the services' running tasks for the data plane (see {@link TaskTracker}): a task container of this engine that
 * is stopped, killed or exits takes its task out of rotation at once; network events, which come when containers
 * start and stop, read the proxy's own networks and every service again, and node events every service.
 *
 * <p>All registry and directory changes happen on one thread of its own, never on the event stream's or the data
 * plane's.
 */
public final class SwarmDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwarmDiscovery.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration STREAM_START_WAIT = Duration.ofSeconds(3);
    /** The longest wait before a failed listing is made again: routes converge within it of the swarm answering. */
    private static final Duration MAX_LISTING_BACKOFF = Duration.ofSeconds(4);

    private final DockerEngine engine;
    private final DiscoverySettings settings;
    /** {@link #MAX_LISTING_BACKOFF}, or the resync interval when that is shorter. */
    private final Duration longestListingWait;
    private final DiscoveredServices discovered;
    private final Quarantine quarantine;
    private final TaskTracker tasks;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("swarmgate-discovery", true));
    /** What the worker is to do and has not started yet, by kind and ID: a burst of events asks for it once. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final CountDownLatch streamStarted = new CountDownLatch(1);
    private volatile Closeable events;
    private volatile boolean closed;
    private volatile Instant lastListing;
    private volatile Instant lastEvent;
    private Duration backoff = FIRST_BACKOFF; // worker thread only
    private Duration listingBackoff = FIRST_BACKOFF; // worker thread only
    private boolean listingRetryDue; // worker thread only
    private volatile boolean listingFailed; // written by the worker thread only

    private SwarmDiscovery(DockerEngine engine, DiscoverySettings settings, DiscoveredServices discovered,
                           Quarantine quarantine, TaskDirectory directory) {
        this.engine = engine;
        this.settings = settings;
        this.longestListingWait = MAX_LISTING_BACKOFF.compareTo(settings.resyncInterval()) < 0
                ? MAX_LISTING_BACKOFF : settings.resyncInterval();
        this.discovered = discovered;
        this.quarantine = quarantine;
        this.tasks = new TaskTracker(engine, directory, new ProxyNetworks(directory.namedNetworks(),
                Path.of("/proc/self/mountinfo"), hostName()), worker);
        directory.onFailure(service -> onWorker(() -> tasks.failed(service)));
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        return name == null ? "" : name;
    }

    /**
     * Starts discovery when the engine at {@code settings.dockerHost()} answers and is a swarm manager: the services
     * are listed and applied before this returns. Otherwise says why once in the log and returns empty.
     *
     * @param observer  told of every change discovery makes or rejects
     * @param directory kept up to date with the services' running tasks while discovery runs
     */
    public static Optional<SwarmDiscovery> startIfSwarmManager(DiscoverySettings settings, ServiceRegistry registry,
                                                               ReconfigureParameters parser,
                                                               DiscoveryObserver observer, TaskDirectory directory) {
        DockerEngine engine = DockerEngine.connect(settings.dockerHost());
        String whyOff = whyNotAManager(engine);
        if (whyOff != null) {
            log.info("Swarm discovery off: {}; routes come from the API alone", whyOff);
            closeQuietly(engine);
            return Optional.empty();
        }
        ServiceLabels labels = new ServiceLabels(settings.labelPrefix(), settings.notifyLabel());
        Quarantine quarantine = new Quarantine();
        SwarmDiscovery discovery = new SwarmDiscovery(engine, settings,
                new DiscoveredServices(labels, parser, registry, quarantine, observer), quarantine, directory);
        discovery.start();
        return Optional.of(discovery);
    }

    private static String whyNotAManager(DockerEngine engine) {
        try {
            return engine.isSwarmManager() ? null
                    : "the Docker engine at " + engine.dockerHost() + " is not a swarm manager";
        } catch (DockerUnavailableException e) {
            return "no Docker engine answers (" + e.getMessage() + ")";
        }
    }

    /**
     * Lists the services, then opens the event stream and waits a moment for the engine to accept it, so that a
     * change made after this returns is seen at once.
     */
    private void start() {
        CompletableFuture.runAsync(guarded(() -> resync(false)), worker).join();
        worker.execute(guarded(this::watchEvents));
        try {
            if (!streamStarted.await(STREAM_START_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Swarm discovery: the Docker event stream has not opened yet; until it does, changes are "
                        + "seen at the next listing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long interval = settings.resyncInterval().toMillis();
        worker.scheduleWithFixedDelay(guarded(() -> resync(false)), interval, interval, TimeUnit.MILLISECONDS);
        log.info("Swarm discovery on: services labelled {}=true at {}, listed again every {} ms",
                settings.notifyLabel(), settings.dockerHost(), interval);
    }

    /**
     * Lists every service and applies the differences, and reads every task; on failure keeps the routes and says so
     * once. {@code watchUnsettled}: after a network or node event, when tasks are starting or stopping, and once the
     * event stream opens.
     */
    private void resync(boolean watchUnsettled) {
        try {
            List<SwarmService> services = engine.services();
            discovered.resync(services);
            tasks.listed(services, watchUnsettled);
            lastListing = Instant.now();
            listingBackoff = FIRST_BACKOFF;
            if (listingFailed) {
                log.info("Swarm discovery: the Docker API answers again; routes are up to date");
                listingFailed = false;
            }
        } catch (DockerUnavailableException e) {
            if (!listingFailed && !closed) {
                log.warn("Swarm discovery cannot list services, keeping the current routes and retrying: {}",
                        e.getMessage());
                listingFailed = true;
            }
            listAgainLater();
        }
    }

    /**
     * A read failed: lists everything again after the back-off (1 s, doubling up to 4 s or the resync interval)
     * rather than at the next interval, unless a retry waits already.
     */
    private void listAgainLater() {
        if (listingRetryDue || closed) {
            return;
        }
        listingRetryDue = true;
        worker.schedule(guarded(() -> {
            listingRetryDue = false;
            resync(true);
        }), listingBackoff.toMillis(), TimeUnit.MILLISECONDS);
        listingBackoff = doubledUpTo(listingBackoff, longestListingWait);
    }

    /**
     * Opens the event stream; once it is accepted, lists everything, so what changed while it was closed counts, and
     * watches the services not settled.
     */
    private void watchEvents() {
        if (closed) {
            return;
        }
        events = engine.watchServices(new ServiceEvents() {
            @Override
            public void started() {
                // Services caught mid-update or starting are watched: their tasks' changes come with no event.
                onWorker(() -> resync(true));
                streamStarted.countDown();
            }

            @Override
            public void changed(String serviceId) {
                lastEvent = Instant.now();
                coalesced("service " + serviceId, () -> refresh(serviceId));
            }

            @Override
            public void removed(String serviceId) {
                lastEvent = Instant.now();
                onWorker(() -> gone(serviceId));
            }

            @Override
            public void networkChanged() {
                lastEvent = Instant.now();
                coalesced("network", () -> {
                    tasks.networksChanged();
                    resync(true);
                });
            }

            @Override
            public void taskEnding(String serviceId, String taskId) {
                lastEvent = Instant.now();
                coalesced("task " + taskId, () -> tasks.ending(serviceId, taskId));
            }

            @Override
            public void nodeChanged() {
                lastEvent = Instant.now();
                coalesced("node", () -> resync(true));
            }

            @Override
            public void broken(Throwable cause) {
                onWorker(() -> reopenLater(cause));
            }
        });
    }

    /**
     * Hands {@code work} to the worker unless work of the same {@code kind} waits there already: a burst of events (a
     * service's updates, a container's signals and exit, its several networks) costs one look.
     */
    private void coalesced(String kind, Runnable work) {
        if (pending.add(kind)) {
            onWorker(() -> {
                pending.remove(kind);
                work.run();
            });
        }
    }

    private void gone(String serviceId) {
        discovered.gone(serviceId);
        tasks.gone(serviceId);
    }

    private void refresh(String serviceId) {
        backoff = FIRST_BACKOFF; // an event arrived: the stream works
        try {
            engine.service(serviceId).ifPresentOrElse(service -> {
                discovered.update(service);
                tasks.changed(service);
            }, () -> gone(serviceId));
        } catch (DockerUnavailableException e) {
            log.debug("Swarm discovery could not read service {}; listing again later: {}", serviceId,
                    e.getMessage());
            listAgainLater();
        }
    }

    private void reopenLater(Throwable cause) {
        if (closed) {
            return;
        }
        log.warn("Swarm discovery: the Docker event stream broke ({}); reopening it in {} s", cause.getMessage(),
                backoff.toSeconds());
        worker.schedule(guarded(this::watchEvents), backoff.toMillis(), TimeUnit.MILLISECONDS);
        backoff = doubledUpTo(backoff, settings.maxBackoff());
    }

    private static Duration doubledUpTo(Duration wait, Duration longest) {
        Duration doubled = wait.multipliedBy(2);
        return doubled.compareTo(longest) > 0 ? longest : doubled;
    }

    /** Hands a task from the event stream's thread to the worker, unless discovery is closing. */
    private void onWorker(Runnable task) {
        try {
            worker.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    /**
     * A task that logs what it did not expect instead of throwing: a periodic task that throws is never run again,
     * and one service's surprise must not stop the watcher.
     */
    static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Swarm discovery: unexpected failure; it goes on with the next event or listing", e);
            }
        };
    }

    /** The services whose labels are invalid, and why. */
    public Quarantine quarantine() {
        return quarantine;
    }

    /**
     * What discovery knows of the engine now, for an operator.
     *
     * @param dockerHost     the Docker API it reads
     * @param engineAnswers  whether the last listing of the services worked
     * @param lastListing    when the services were last listed, null before the first listing worked
     * @param lastEvent      when the engine last sent an event discovery acts on, null before the first
     * @param routed         the names of the services routed from labels
     * @param dockerRequests how many requests discovery has sent the Docker API since it started
     */
    public record Status(String dockerHost, boolean engineAnswers, Instant lastListing, Instant lastEvent,
                         Set<String> routed, long dockerRequests) {
    }

    public Status status() {
        return new Status(engine.dockerHost(), !listingFailed, lastListing, lastEvent, discovered.routed(),
                engine.requestsSent());
    }

    /** Stops watching; the routes found so far stay in the registry. */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the worker: it can no longer open a new stream.
        if (events != null) {
            closeQuietly(events);
        }
        closeQuietly(engine);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing {} failed", closeable, e);
        }
    }
}

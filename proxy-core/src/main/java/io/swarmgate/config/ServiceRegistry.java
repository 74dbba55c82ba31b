package io.swarmgate.config;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tcp.PortUnavailableException;
import io.swarmgate.proxy.tcp.StreamRoute;
import io.swarmgate.proxy.tcp.StreamTable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The one writer of the service map. Each change compiles the changed service into routes and publishes a new
 * {@link RouteTable} (and, when its TCP routes change, a new {@link StreamTable}) before it returns, so a caller that
 * answers after {@link #apply} knows the change is in effect. A definition that does not compile, or whose TCP port
 * cannot be listened on, changes nothing: neither the map nor the published tables.
 *
 * <p>A change costs time proportional to the changed service, not to the number of services: the table is derived
 * from the previous one with {@link RouteTable#replace}. Writers are serialised; {@link #routes()} reads without
 * locking, and so does {@link #services()} once it has been listed since the last change.
 */
public final class ServiceRegistry {
    private record Entry(ServiceSpec service, List<Route> routes, List<StreamRoute> streams) {
        static final Entry NONE = new Entry(null, List.of(), List.of());
    }

    private final Consumer<RouteTable> publisher;
    private final Consumer<StreamTable> streamPublisher;
    private final GlobalRules global;
    private final ServiceCertificates certificates;
    private final TreeMap<String, Entry> entries = new TreeMap<>(); // guarded by this
    private int destinations; // guarded by this: of every stored service
    private volatile RouteTable routes = RouteTable.EMPTY;
    private volatile Runnable changeListener = () -> {
    };
    private volatile Consumer<ServiceSpec> applyListener = service -> {
    };
    private volatile Consumer<String> removeListener = serviceName -> {
    };
    private volatile StreamTable streams = StreamTable.EMPTY;
    private volatile List<ServiceSpec> services = List.of(); // null once stale: listed again on demand

    /**
     * A registry for HTTP routes alone: TCP routes ({@code reqMode=tcp}, {@code sni}) are compiled and listed by
     * {@link #streams()}, but published nowhere.
     *
     * @param publisher receives each new table, e.g. {@code proxyServer::routes}
     */
    public ServiceRegistry(Consumer<RouteTable> publisher) {
        this(publisher, GlobalRules.NONE);
    }

    /**
     * A registry for HTTP routes alone, as {@link #ServiceRegistry(Consumer)}.
     *
     * @param publisher receives each new table, e.g. {@code proxyServer::routes}
     * @param global    the rules every service gets unless it sets its own ({@code USERS}, {@code CONNECTION_MODE})
     */
    public ServiceRegistry(Consumer<RouteTable> publisher, GlobalRules global) {
        this(publisher, streams -> { }, global);
    }

    /**
     * @param publisher       receives each new table, e.g. {@code proxyServer::routes}
     * @param streamPublisher receives each new table of TCP routes, e.g. {@code proxyServer::streams}; it may refuse
     *                        one with a {@link PortUnavailableException}, and the change is then refused (409)
     * @param global          the rules every service gets unless it sets its own
     */
    public ServiceRegistry(Consumer<RouteTable> publisher, Consumer<StreamTable> streamPublisher, GlobalRules global) {
        this(publisher, streamPublisher, global, ServiceCertificates.NONE);
    }

    /**
     * @param publisher       receives each new table, e.g. {@code proxyServer::routes}
     * @param streamPublisher receives each new table of TCP routes, as above
     * @param global          the rules every service gets unless it sets its own ({@code USERS}, {@code CONNECTION_MODE})
     * @param certificates    receives the certificate of a service applied with a new {@code serviceCert}, before its
     *                        routes are published
     */
    public ServiceRegistry(Consumer<RouteTable> publisher, Consumer<StreamTable> streamPublisher, GlobalRules global,
                           ServiceCertificates certificates) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.streamPublisher = Objects.requireNonNull(streamPublisher, "streamPublisher");
        this.global = Objects.requireNonNull(global, "global");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /**
     * Replaces the service's previous definition, all destinations at once, with its
     * {@linkplain ServiceSpec#formatted() stored form}; or removes the service when the definition
     * {@linkplain ServiceSpec#requestsRemoval() asks so}.
     *
     * <p>Every service passes the reconfigure API's rules here, whichever source built it: one taken over from a peer
     * or read back from a state file has been read by no parser.
     *
     * @throws InvalidServiceException (400) when a value breaks those rules or a destination does not compile into a
     *                                 route, (409) when a TCP route's port cannot be listened on; nothing changes then
     */
    public synchronized void apply(ServiceSpec service) {
        ServiceValidation.check(service);
        if (service.requestsRemoval()) {
            remove(service.serviceName());
            return;
        }
        ServiceSpec stored = service.formatted();
        Entry previous = entries.get(stored.serviceName());
        if (previous != null && previous.service().equals(stored)) {
            return;
        }
        Entry next = new Entry(stored, RouteCompiler.compile(stored, global), StreamCompiler.compile(stored, global));
        if (!stored.serviceCert().isEmpty()
                && (previous == null || !previous.service().serviceCert().equals(stored.serviceCert()))) {
            certificates.accept(ServiceCertificates.of(stored), stored.serviceCert());
        }
        publish(previous == null ? Entry.NONE : previous, next);
        entries.put(stored.serviceName(), next);
        destinations += stored.destinations().size()
                - (previous == null ? 0 : previous.service().destinations().size());
        applyListener.accept(stored);
        changeListener.run();
    }

    /** Removes the service; an unknown name changes nothing. */
    public synchronized void remove(String serviceName) {
        Entry previous = entries.get(serviceName);
        if (previous == null) {
            return;
        }
        publish(previous, Entry.NONE);
        entries.remove(serviceName);
        destinations -= previous.service().destinations().size();
        removeListener.accept(serviceName);
        changeListener.run();
    }

    /**
     * Compiles every stored service again and publishes the result, as DFP's {@code reload?recreate=true} regenerates
     * its configuration: what a service reads when it is compiled (the users of its {@code usersSecret} file) is read
     * again. A service that no longer compiles keeps its previous routes.
     *
     * @return the services that kept their previous routes, and why
     */
    public synchronized Map<String, String> recompile() {
        Map<String, String> failed = new TreeMap<>();
        for (Entry previous : List.copyOf(entries.values())) {
            ServiceSpec stored = previous.service();
            try {
                Entry next = new Entry(stored, RouteCompiler.compile(stored, global),
                        StreamCompiler.compile(stored, global));
                publish(previous, next);
                entries.put(stored.serviceName(), next);
            } catch (InvalidServiceException e) {
                failed.put(stored.serviceName(), e.getMessage());
            }
        }
        return failed;
    }

    /**
     * Runs {@code listener} after each change of the services, under the registry's lock: it must be quick, e.g.
     * schedule work elsewhere. Listeners added earlier run first.
     */
    public synchronized void onChange(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Runnable earlier = changeListener;
        changeListener = () -> {
            earlier.run();
            listener.run();
        };
    }

    /**
     * Runs {@code listener} with each service stored by {@link #apply}, under the registry's lock, before the
     * {@linkplain #onChange change listeners}: a check of the one service changed, where listing every service per
     * change would cost each change time in the number of services. Listeners added earlier run first.
     */
    public synchronized void onApply(Consumer<ServiceSpec> listener) {
        applyListener = applyListener.andThen(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs {@code listener} with the name of each service {@link #remove}d, under the registry's lock, before the
     * {@linkplain #onChange change listeners}; it must be quick. Listeners added earlier run first.
     */
    public synchronized void onRemove(Consumer<String> listener) {
        removeListener = removeListener.andThen(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs {@code applied} with each stored service now, then as {@link #onApply} and {@code removed} as
     * {@link #onRemove} do; all under the registry's lock, so a follower sees each change once, in order, and none it
     * was told of already.
     */
    public synchronized void follow(Consumer<ServiceSpec> applied, Consumer<String> removed) {
        entries.values().forEach(entry -> applied.accept(entry.service()));
        onApply(applied);
        onRemove(removed);
    }

    /** The stored services, sorted by name. */
    public List<ServiceSpec> services() {
        List<ServiceSpec> snapshot = services;
        return snapshot != null ? snapshot : listServices();
    }

    /** The routes compiled from the stored service of that name; none for an unknown name. */
    public synchronized List<Route> routesOf(String serviceName) {
        Entry entry = entries.get(serviceName);
        return entry == null ? List.of() : entry.routes();
    }

    /** How many destinations the stored services have in all, counted as they change. */
    public synchronized int destinationCount() {
        return destinations;
    }

    /** The last published table. */
    public RouteTable routes() {
        return routes;
    }

    /** The last published table of TCP routes. */
    public StreamTable streams() {
        return streams;
    }

    private synchronized List<ServiceSpec> listServices() {
        if (services == null) {
            services = entries.values().stream().map(Entry::service).toList();
        }
        return services;
    }

    /**
     * Publishes before the caller changes the map, so a publisher that throws leaves the registry as it was. TCP routes
     * go first: opening their ports is what fails in practice, and then the HTTP table is not touched.
     */
    private void publish(Entry previous, Entry next) {
        StreamTable streamTable = streams.replace(previous.streams(), next.streams());
        if (streamTable != streams) {
            try {
                streamPublisher.accept(streamTable);
            } catch (PortUnavailableException e) {
                throw new InvalidServiceException(InvalidServiceException.CONFLICT, e.getMessage());
            }
        }
        RouteTable table = routes.replace(previous.routes(), next.routes());
        try {
            publisher.accept(table);
        } catch (RuntimeException e) {
            if (streamTable != streams) {
                streamPublisher.accept(streams);
            }
            throw e;
        }
        routes = table;
        streams = streamTable;
        services = null;
    }
}

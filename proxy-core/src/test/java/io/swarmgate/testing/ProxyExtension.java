package io.swarmgate.testing;

import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tcp.StreamTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A proxy on a free loopback port, with its {@link TestBackend}s, started before the tests and stopped after them:
 * once for the class when registered on a static field (or in a {@code PER_CLASS} test class), around each test when
 * on an instance field.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ProxyExtension proxy = ProxyExtension.builder()
 *         .backend("b")
 *         .routes(p -> List.of(p.route("b", "/")))
 *         .settings(builder -> builder.timeouts(Timeouts.DEFAULTS.withServer(Duration.ofSeconds(1))))
 *         .build();
 *
 * RawHttpConnection.get(proxy.port(), "a", "/x");
 * }</pre>
 *
 * A test class whose tests each need other settings builds it with {@code autoStart(false)} and calls
 * {@link #start(ProxyServer.Builder)} in each test; the backends still start before the test and everything stops
 * after it. Other modules use it from proxy-core's test-jar.
 *
 * <p>The proxy binds 127.0.0.1 and listens for plain HTTP on port 0 after the listeners the settings add. Buffers it
 * leaks fail the class through {@link NettyLeakCheck}, which runs after this extension has stopped the proxy (it is
 * registered for every test of this project by auto-detection; elsewhere, add
 * {@code @ExtendWith(NettyLeakCheck.class)}).
 */
public final class ProxyExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final List<String> backendNames;
    private final List<Settings> settings;
    private final Function<ProxyExtension, List<Route>> routes;
    private final boolean autoStart;
    private final Map<String, TestBackend> backends = new LinkedHashMap<>();
    private ProxyServer server;
    private boolean perClass;

    private ProxyExtension(Builder builder) {
        this.backendNames = List.copyOf(builder.backendNames);
        this.settings = List.copyOf(builder.settings);
        this.routes = builder.routes;
        this.autoStart = builder.autoStart;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() {
        for (String name : backendNames) {
            backends.put(name, TestBackend.start(name));
        }
        if (autoStart) {
            start(ProxyServer.builder());
        }
    }

    /**
     * Starts the proxy from a builder a test set up, adding the extension's settings, plain HTTP listener and routes;
     * for a proxy built with {@link Builder#autoStart autoStart(false)}, whose settings differ from test to test.
     */
    public ProxyServer start(ProxyServer.Builder builder) {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        builder.bindAddress("127.0.0.1");
        for (Settings setting : settings) {
            try {
                setting.apply(builder);
            } catch (Exception e) {
                throw new IllegalStateException("the proxy's settings failed: " + e.getMessage(), e);
            }
        }
        if (routes != null) {
            builder.routes(RouteTable.of(routes.apply(this)));
        }
        server = builder.http(0).build().start();
        return server;
    }

    private void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        backends.values().forEach(TestBackend::close);
        backends.clear();
    }

    /** The running proxy; only between its start and the end of the tests. */
    public ProxyServer server() {
        if (server == null) {
            throw new IllegalStateException("the proxy is not running");
        }
        return server;
    }

    /** The first plain HTTP port. */
    public int port() {
        return server().port();
    }

    public List<Integer> ports() {
        return server().ports();
    }

    public List<Integer> httpsPorts() {
        return server().httpsPorts();
    }

    /** {@code http://127.0.0.1:<port><path>}, on the first plain HTTP port. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** The first backend the builder named. */
    public TestBackend backend() {
        return backend(backendNames.get(0));
    }

    public TestBackend backend(String name) {
        TestBackend backend = backends.get(name);
        if (backend == null) {
            throw new IllegalStateException("no running backend named " + name);
        }
        return backend;
    }

    /** A route of this backend's name taking the requests for a path prefix to it. */
    public Route route(String backend, String path) {
        return Route.builder(backend).path(path).backend("127.0.0.1", backend(backend).port()).build();
    }

    /** Publishes a new table: requests that start after this call use it. */
    public void routes(RouteTable table) {
        server().routes(table);
    }

    public void routes(Route... table) {
        routes(RouteTable.of(List.of(table)));
    }

    public void streams(StreamTable table) {
        server().streams(table);
    }

    /** Settings given to the proxy's builder, which may fail as reading certificates can. */
    @FunctionalInterface
    public interface Settings {
        void apply(ProxyServer.Builder builder) throws Exception;
    }

    /** How the proxy and its backends are set up; each call adds to what the previous ones did. */
    public static final class Builder {
        private final List<String> backendNames = new ArrayList<>();
        private final List<Settings> settings = new ArrayList<>();
        private Function<ProxyExtension, List<Route>> routes;
        private boolean autoStart = true;

        private Builder() {
        }

        /** A {@link TestBackend} of this name, started before the proxy and closed after it. */
        public Builder backend(String name) {
            backendNames.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /** The routes the proxy starts with, given the started backends; default those of the proxy's builder. */
        public Builder routes(Function<ProxyExtension, List<Route>> routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
            return this;
        }

        /**
         * Settings of the proxy, applied when it starts (so they may read what the test set up before); its listeners
         * come before the plain HTTP one the extension adds.
         */
        public Builder settings(Settings setting) {
            settings.add(Objects.requireNonNull(setting, "setting"));
            return this;
        }

        /**
         * Whether the proxy starts before the tests (default) or when a test calls {@link ProxyExtension#start}; it
         * stops after them either way.
         */
        public Builder autoStart(boolean enabled) {
            this.autoStart = enabled;
            return this;
        }

        public ProxyExtension build() {
            return new ProxyExtension(this);
        }
    }
}

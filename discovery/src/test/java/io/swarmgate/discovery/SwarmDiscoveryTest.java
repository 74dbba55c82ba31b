package io.swarmgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static io.swarmgate.discovery.testing.TestSwarm.labels;
import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.swarmgate.config.Compatibility;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.TestSwarm;
import io.swarmgate.proxy.route.RouteTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Discovery against the test bed's real swarm: services created, relabelled, scaled and removed through Docker. */
class SwarmDiscoveryTest {
    /** Events alone must be fast: the periodic listing is too rare to help within a test. */
    private static final Duration EVENTS_ONLY = Duration.ofMinutes(10);
    private static final Duration ROUTED_WITHIN = Duration.ofSeconds(2);

    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();
    private final ServiceRegistry registry = discovery.registry();

    private void startDiscovery(Duration resyncInterval) {
        discovery.start(TestSwarm.dockerHost(), resyncInterval);
    }

    private String routedService(String path) {
        return discovery.routedAt(path);
    }

    private Optional<ServiceSpec> stored(String name) {
        return discovery.stored(name);
    }

    private record Created(String id, String name) {
    }

    /** Neither stored nor routed (other services may be: the swarm is not this test's alone). */
    private boolean isGone(Created service) {
        return stored(service.name()).isEmpty() && routedService("/" + service.name()) == null;
    }

    /** Creates a service routed at {@code /<its name>} and waits until it is. */
    private Created routedService() {
        String name = uniqueName("svc");
        String id = swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));
        await().atMost(ROUTED_WITHIN).until(() -> routedService("/" + name) != null);
        return new Created(id, name);
    }

    @Test
    void routesALabelledServiceWithinASecondOrTwo() {
        startDiscovery(EVENTS_ONLY);
        String name = uniqueName("demo");

        swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));

        await().atMost(ROUTED_WITHIN).untilAsserted(() -> assertThat(routedService("/" + name + "/x")).isEqualTo(name));
        ServiceSpec spec = stored(name).orElseThrow();
        assertThat(spec.replicas()).isEqualTo(1);
        assertThat(spec.global()).isFalse();
        assertThat(spec.destinations().get(0).port()).isEqualTo(8080);
    }

    @Test
    void routesOnlyTheServicesOfItsProxyInstanceWhenFiltering() {
        discovery.start(TestSwarm.dockerHost(), EVENTS_ONLY, new TaskDirectory(List.of()),
                new ReconfigureParameters(",", false, new Compatibility(false, true, "blue")));
        String blue = uniqueName("blue");
        String green = uniqueName("green");
        String greenId = swarm.create(green, labels("servicePath", "/" + green, "port", "8080",
                "proxyInstanceName", "green"));
        swarm.create(blue, labels("servicePath", "/" + blue, "port", "8080", "proxyInstanceName", "blue"));
        await().atMost(ROUTED_WITHIN).until(() -> routedService("/" + blue) != null);
        assertThat(stored(green)).isEmpty();
        assertThat(discovery.quarantine().reasons()).doesNotContainKey(green);

        swarm.relabel(greenId, labels("servicePath", "/" + green, "port", "8080", "proxyInstanceName", "blue"));

        await().atMost(ROUTED_WITHIN).until(() -> routedService("/" + green) != null);
    }

    @Test
    void reportsTheEngineItsLastListingAndEventAndTheServicesRoutedFromLabels() {
        startDiscovery(EVENTS_ONLY);
        SwarmDiscovery.Status started = discovery.status();
        assertThat(started.engineAnswers()).isTrue();
        assertThat(started.dockerHost()).isEqualTo(TestSwarm.dockerHost());
        assertThat(started.lastListing()).isNotNull();

        Created service = routedService();

        SwarmDiscovery.Status status = discovery.status();
        assertThat(status.routed()).contains(service.name());
        assertThat(status.lastEvent()).isNotNull();
        swarm.remove(service.id());
        await().atMost(ROUTED_WITHIN).until(() -> !discovery.status().routed().contains(service.name()));
    }

    @Test
    void followsLabelChanges() {
        startDiscovery(EVENTS_ONLY);
        Created service = routedService();

        swarm.relabel(service.id(), labels("servicePath", "/new-" + service.name(), "port", "8080"));

        await().atMost(ROUTED_WITHIN).untilAsserted(() -> {
            assertThat(routedService("/new-" + service.name())).isEqualTo(service.name());
            assertThat(routedService("/" + service.name())).isNull();
        });
    }

    @Test
    void removesAServiceScaledToZeroAndRoutesItAgainWhenScaledUp() {
        startDiscovery(EVENTS_ONLY);
        Created service = routedService();

        swarm.scale(service.id(), 0);
        await().atMost(ROUTED_WITHIN).until(() -> isGone(service));

        swarm.scale(service.id(), 3);
        await().atMost(ROUTED_WITHIN).untilAsserted(() -> assertThat(stored(service.name()))
                .hasValueSatisfying(s -> assertThat(s.replicas()).isEqualTo(3)));
    }

    @Test
    void removesARemovedService() {
        startDiscovery(EVENTS_ONLY);
        Created service = routedService();

        swarm.remove(service.id());

        await().atMost(ROUTED_WITHIN).until(() -> isGone(service));
    }

    @Test
    void removesAServiceThatLosesItsNotifyLabel() {
        startDiscovery(EVENTS_ONLY);
        Created service = routedService();

        Map<String, String> optedOut = labels("servicePath", "/" + service.name(), "port", "8080");
        optedOut.put("com.df.notify", "false");
        swarm.relabel(service.id(), optedOut);

        await().atMost(ROUTED_WITHIN).until(() -> isGone(service));
    }

    @Test
    void ignoresServicesThatDoNotOptIn() {
        String name = uniqueName("plain");
        swarm.create(name, Map.of("com.df.servicePath", "/" + name, "com.df.port", "8080"));

        startDiscovery(EVENTS_ONLY);

        assertThat(stored(name)).isEmpty();
    }

    @Test
    void quarantinesAndWarnsOnceOfANotifyLabelThatIsNeitherTrueNorFalse() {
        ListAppender<ILoggingEvent> log = captureLog();
        startDiscovery(Duration.ofMillis(200));
        String name = uniqueName("yes");
        Map<String, String> saidYes = labels("servicePath", "/" + name, "port", "8080");
        saidYes.put("com.df.notify", "yes");

        String id = swarm.create(name, saidYes);

        String reason = "com.df.notify: 'yes' (expected: true to route the service, or false)";
        await().atMost(ROUTED_WITHIN).untilAsserted(() -> assertThat(discovery.quarantine().reasons())
                .containsEntry(name, reason));
        // Several listings pass (every 200 ms) and still one warning.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> log.list.stream()
                .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains(name)).count() == 1);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("Swarm service " + name + " (" + id + ") not routed: " + reason);
        assertThat(stored(name)).isEmpty();

        swarm.relabel(id, labels("servicePath", "/" + name, "port", "8080"));

        await().atMost(ROUTED_WITHIN).until(() -> name.equals(routedService("/" + name)));
        assertThat(discovery.quarantine().reasons()).doesNotContainKey(name);
    }

    @Test
    void listsTheServicesThatExistedBeforeItStarted() {
        String name = uniqueName("before");
        swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));

        startDiscovery(EVENTS_ONLY);

        assertThat(routedService("/" + name)).isEqualTo(name);
    }

    @Test
    void skipsInvalidLabelsLoggingThemOnceAndLeavesTheRoutesUntouched() {
        ListAppender<ILoggingEvent> log = captureLog();
        startDiscovery(Duration.ofMillis(200));
        Created good = routedService();
        RouteTable before = registry.routes();

        String bad = uniqueName("bad");
        swarm.create(bad, labels("servicePath", "/" + bad, "port", "70000"));

        // Several listings pass (every 200 ms) and still one warning, naming the parameter.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> warnings(log) == 1);
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.WARN).findFirst().orElseThrow()
                .getFormattedMessage()).contains(bad).contains("port: '70000' (expected: 1-65535)");
        // Only this test's services are compared: other tests may run services in the same swarm.
        assertThat(registry.routes().find("any", "/" + good.name(), 80))
                .isSameAs(before.find("any", "/" + good.name(), 80));
        assertThat(registry.services()).extracting(ServiceSpec::serviceName)
                .contains(good.name())
                .doesNotContain(bad);
    }

    @Test
    void quarantinesAServiceWithInvalidLabelsUntilTheyAreFixedAndCountsEachChange() {
        startDiscovery(EVENTS_ONLY);
        String name = uniqueName("quarantined");
        int rejected = discovery.rejected();

        String id = swarm.create(name, labels("servicePath", "/" + name, "port", "70000"));

        await().atMost(ROUTED_WITHIN).untilAsserted(() -> assertThat(discovery.quarantine().reasons())
                .containsEntry(name, "port: '70000' (expected: 1-65535)"));
        assertThat(discovery.rejected()).isGreaterThan(rejected);
        int applied = discovery.applied();

        swarm.relabel(id, labels("servicePath", "/" + name, "port", "8080"));

        await().atMost(ROUTED_WITHIN).until(() -> name.equals(routedService("/" + name)));
        assertThat(discovery.quarantine().reasons()).doesNotContainKey(name);
        assertThat(discovery.applied()).isGreaterThan(applied);
    }

    @Test
    void keepsTheLastGoodRoutesOfAServiceWhoseLabelsTurnInvalid() {
        startDiscovery(EVENTS_ONLY);
        Created service = routedService();
        RouteTable before = registry.routes();

        swarm.relabel(service.id(), labels("servicePath", "no-slash", "port", "8080"));
        // Events are handled in order: once a later service is routed, the bad update has been seen.
        routedService();

        assertThat(routedService("/" + service.name())).isEqualTo(service.name());
        assertThat(registry.routes().routes()).containsAll(before.routes());
    }

    @Test
    void stripsTheStackPrefixWithShortName() {
        startDiscovery(EVENTS_ONLY);
        String stack = uniqueName("stack");
        Map<String, String> labels = labels("servicePath", "/" + stack, "port", "8080", "shortName", "true");
        labels.put(ServiceLabels.STACK_NAMESPACE, stack);

        swarm.create(stack + "_web", labels);

        await().atMost(ROUTED_WITHIN).untilAsserted(() -> assertThat(routedService("/" + stack)).isEqualTo("web"));
    }

    @Test
    void routesAGlobalServiceWithoutAReplicaCount() {
        startDiscovery(EVENTS_ONLY);
        String name = uniqueName("global");

        swarm.createGlobal(name, labels("servicePath", "/" + name, "port", "8080"));

        await().atMost(ROUTED_WITHIN).untilAsserted(() ->
                assertThat(stored(name)).hasValueSatisfying(s -> assertThat(s.global()).isTrue()));
    }

    private static ListAppender<ILoggingEvent> captureLog() {
        Logger logger = (Logger) LoggerFactory.getLogger(DiscoveredServices.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static long warnings(ListAppender<ILoggingEvent> log) {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }
}

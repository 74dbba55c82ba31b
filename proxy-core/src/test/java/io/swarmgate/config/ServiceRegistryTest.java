package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tcp.PortUnavailableException;
import io.swarmgate.proxy.tcp.StreamRoute;
import io.swarmgate.proxy.tcp.StreamTable;
import io.swarmgate.proxy.upstream.BackendProtocol;
import io.swarmgate.proxy.upstream.TaskBalancing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceRegistryTest {
    private final List<RouteTable> published = new ArrayList<>();
    private final ServiceRegistry registry = new ServiceRegistry(published::add);

    private static ServiceSpec service(String query) {
        return ReconfigureParameters.defaults().parse(query(query));
    }

    private RouteTable lastTable() {
        return published.get(published.size() - 1);
    }

    @Test
    void publishesOneRoutePerDestinationBeforeApplyReturns() {
        registry.apply(service("serviceName=go-demo&aclName=05-demo&servicePath.1=/demo,/d&port.1=8080"
                + "&serviceDomain.2=*.example.com&port.2=8081&srcPort.2=8443&outboundHostname.2=ext.example.com"));

        assertThat(published).hasSize(1);
        List<Route> routes = lastTable().routes();
        assertThat(routes).hasSize(2);
        Route byDomain = routes.get(0);
        assertThat(byDomain.serviceName()).isEqualTo("go-demo");
        assertThat(byDomain.aclName()).isEqualTo("05-demo");
        assertThat(byDomain.index()).isEqualTo(2);
        assertThat(byDomain.domains()).containsExactly("*.example.com");
        assertThat(byDomain.pathPrefixes()).containsExactly("/");
        assertThat(byDomain.entryPort()).isEqualTo(8443);
        assertThat(byDomain.backend().toString()).isEqualTo("ext.example.com:8081");
        Route byPath = routes.get(1);
        assertThat(byPath.index()).isEqualTo(1);
        assertThat(byPath.pathPrefixes()).containsExactly("/demo", "/d");
        assertThat(byPath.backend().toString()).isEqualTo("go-demo:8080");
        assertThat(registry.routes()).isSameAs(lastTable());
        assertThat(lastTable().find("x.example.com", "/", 8443)).isSameAs(byDomain);
    }

    @Test
    void balancesOverTheTasksWithDiscoveryTypeDns() {
        registry.apply(service("serviceName=go-demo&servicePath=/demo&port=8080&discoveryType=DNS"));
        registry.apply(service("serviceName=vip&servicePath=/vip&port=8080"));

        Route tasks = lastTable().find("h", "/demo", 80);
        assertThat(tasks.backend().balancesTasks()).isTrue();
        assertThat(tasks.backend().address().getHostString()).isEqualTo("tasks.go-demo");
        assertThat(lastTable().find("h", "/vip", 80).backend().balancesTasks()).isFalse();
        assertThat(tasks.backend().balancing()).isEqualTo(TaskBalancing.DEFAULT);
    }

    @Test
    void servicesWithoutADiscoveryTypeFollowTheGlobalDefaultUnlessOutsideTheSwarm() {
        ServiceRegistry tasksByDefault = new ServiceRegistry(published::add,
                new GlobalRules(List.of(), java.nio.file.Path.of("/run/secrets"), "", "DNS"));
        tasksByDefault.apply(service("serviceName=web&servicePath=/web&port=80"));
        tasksByDefault.apply(service("serviceName=ext&servicePath=/ext&port=80&outboundHostname=ext.example.com"));
        tasksByDefault.apply(service("serviceName=vip&servicePath=/vip&port=80&discoveryType=Overlay"));

        assertThat(tasksByDefault.routes().find("h", "/web", 80).backend().balancesTasks()).isTrue();
        assertThat(tasksByDefault.routes().find("h", "/ext", 80).backend().balancesTasks()).isFalse();
        assertThat(tasksByDefault.routes().find("h", "/vip", 80).backend().balancesTasks()).isFalse();
    }

    @Test
    void takesTheBalancingPolicyAndHealthCheckOfTheService() {
        registry.apply(service("serviceName=web&servicePath=/&port=80&discoveryType=dns&balance=leastconn"
                + "&healthCheckPath=/health"));

        assertThat(lastTable().find("h", "/", 80).backend().balancing())
                .isEqualTo(new TaskBalancing(TaskBalancing.Policy.LEAST_REQUESTS, "/health"));
    }

    @Test
    void backendProtocolH2cMakesAnH2cBackend() {
        registry.apply(service("serviceName=grpc&servicePath=/grpc&port=50051&backendProtocol=h2c"));
        registry.apply(service("serviceName=web&servicePath=/web&port=80&backendProtocol=http1"));

        assertThat(lastTable().find("h", "/grpc", 80).backend().protocol()).isEqualTo(BackendProtocol.H2C);
        assertThat(lastTable().find("h", "/web", 80).backend().protocol()).isEqualTo(BackendProtocol.HTTP1);
    }

    @Test
    void storesTheFormattedService() {
        registry.apply(service("serviceName=go-demo&servicePath=/demo&port=8080"));

        ServiceSpec stored = registry.services().get(0);
        assertThat(stored.aclName()).isEqualTo("go-demo");
        assertThat(stored.destinations().get(0).pathType()).isEqualTo("path_beg");
    }

    @Test
    void replacesAServiceWhole() {
        registry.apply(service("serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81"));
        registry.apply(service("serviceName=s&servicePath=/c&port=82"));

        assertThat(registry.services()).singleElement()
                .satisfies(s -> assertThat(s.destinations()).singleElement()
                        .satisfies(d -> assertThat(d.servicePath()).containsExactly("/c")));
        assertThat(lastTable().find("h", "/a", 80)).isNull();
        assertThat(lastTable().find("h", "/c", 80).backend().port()).isEqualTo(82);
    }

    @Test
    void listsServicesByName() {
        registry.apply(service("serviceName=zeta&servicePath=/z&port=80"));
        registry.apply(service("serviceName=alpha&servicePath=/a&port=80"));
        registry.apply(service("serviceName=mu&servicePath=/m&port=80"));

        assertThat(registry.services()).map(ServiceSpec::serviceName).containsExactly("alpha", "mu", "zeta");
        assertThatThrownBy(() -> registry.services().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void countsTheDestinationsOfTheStoredServicesAndListsEachServicesRoutes() {
        registry.apply(service("serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81"));
        registry.apply(service("serviceName=t&servicePath=/t&port=80"));
        assertThat(registry.destinationCount()).isEqualTo(3);
        assertThat(registry.routesOf("s")).map(Route::index).containsExactlyInAnyOrder(1, 2);

        registry.apply(service("serviceName=s&servicePath=/c&port=82"));
        assertThat(registry.destinationCount()).as("replaced whole").isEqualTo(2);
        assertThat(registry.routesOf("s")).singleElement()
                .satisfies(route -> assertThat(route.pathPrefixes()).containsExactly("/c"));
        ServiceSpec twoDestinationsOneInvalid = service("serviceName=t&servicePath=/t&port=80").toBuilder()
                .with(ServiceFields.DESTINATIONS, List.of(
                        DestinationSpec.builder().with(DestinationFields.SERVICE_PATH, List.of("/t"))
                                .with(DestinationFields.PORT, 80).with(DestinationFields.INDEX, 1).build(),
                        DestinationSpec.builder().with(DestinationFields.SERVICE_DOMAIN, List.of("bad domain"))
                                .with(DestinationFields.PORT, 80).with(DestinationFields.INDEX, 2).build()))
                .build();
        assertThatThrownBy(() -> registry.apply(twoDestinationsOneInvalid))
                .isInstanceOf(InvalidServiceException.class);
        assertThat(registry.destinationCount()).as("a refused change counts nothing").isEqualTo(2);

        registry.remove("t");
        registry.remove("unknown");
        assertThat(registry.destinationCount()).isEqualTo(1);
        assertThat(registry.routesOf("t")).isEmpty();
    }

    @Test
    void removesANonGlobalServiceWithZeroReplicas() {
        registry.apply(service("serviceName=s&servicePath=/&port=80&replicas=2"));
        registry.apply(service("serviceName=s&servicePath=/&port=80&replicas=0"));

        assertThat(registry.services()).isEmpty();
        assertThat(lastTable().isEmpty()).isTrue();
    }

    @Test
    void ignoresZeroReplicasOfAnUnknownService() {
        registry.apply(service("serviceName=s&servicePath=/&port=80&replicas=0"));

        assertThat(registry.services()).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void removesByName() {
        registry.apply(service("serviceName=a&servicePath=/a&port=80"));
        registry.apply(service("serviceName=b&servicePath=/b&port=80"));
        registry.remove("a");
        registry.remove("unknown");

        assertThat(registry.services()).map(ServiceSpec::serviceName).containsExactly("b");
        assertThat(published).hasSize(3);
        assertThat(lastTable().find("h", "/a", 80)).isNull();
    }

    @Test
    void tellsItsRemoveListenersWhichServicesLeftAndNothingElse() {
        List<String> removed = new ArrayList<>();
        registry.onRemove(removed::add);
        registry.apply(service("serviceName=a&servicePath=/a&port=80"));
        registry.apply(service("serviceName=b&servicePath=/b&port=80&replicas=2"));
        registry.remove("a");
        registry.remove("unknown");
        registry.apply(service("serviceName=b&servicePath=/b&port=80&replicas=0"));

        assertThat(removed).containsExactly("a", "b");
    }

    @Test
    void aFollowerIsToldOfTheStoredServicesByNameThenOfEachChangeOnce() {
        registry.apply(service("serviceName=b&servicePath=/b&port=80"));
        registry.apply(service("serviceName=a&servicePath=/a&port=80"));
        List<String> told = new ArrayList<>();

        registry.follow(applied -> told.add("applied " + applied.serviceName()),
                removed -> told.add("removed " + removed));
        registry.apply(service("serviceName=a&servicePath=/a&port=80"));
        registry.apply(service("serviceName=c&servicePath=/c&port=80"));
        registry.remove("b");

        assertThat(told).containsExactly("applied a", "applied b", "applied c", "removed b");
    }

    @Test
    void skipsPublishingAnUnchangedService() {
        registry.apply(service("serviceName=s&servicePath=/&port=80"));
        registry.apply(service("serviceName=s&servicePath=/&port=80"));

        assertThat(published).hasSize(1);
    }

    @Test
    void keepsTheLastGoodStateWhenADestinationDoesNotCompile() {
        registry.apply(service("serviceName=s&servicePath=/a&port=80"));
        RouteTable before = lastTable();
        ServiceSpec invalid = service("serviceName=s&servicePath=/b&port=81").toBuilder()
                .with(ServiceFields.DESTINATIONS, List.of(
                        DestinationSpec.builder().with(DestinationFields.SERVICE_PATH, List.of("/b"))
                                .with(DestinationFields.PORT, 81).with(DestinationFields.INDEX, 1).build(),
                        DestinationSpec.builder().with(DestinationFields.SERVICE_PATH, List.of("/c"))
                                .with(DestinationFields.SERVICE_DOMAIN, List.of("bad domain"))
                                .with(DestinationFields.PORT, 82).with(DestinationFields.INDEX, 2).build()))
                .build();

        assertThatThrownBy(() -> registry.apply(invalid))
                .isInstanceOfSatisfying(InvalidServiceException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining("bad domain");
        assertThat(published).containsExactly(before);
        assertThat(registry.routes()).isSameAs(before);
        assertThat(registry.services()).singleElement()
                .satisfies(s -> assertThat(s.destinations().get(0).servicePath()).containsExactly("/a"));
    }

    /** Services no parser read, as a peer's answer or a state file holds them, each broken in one value. */
    static Stream<Arguments> servicesThatBreakAParserRule() {
        return Stream.of(
                broken("usersSecret: '../../../etc/passwd'",
                        s -> s.with(ServiceFields.USERS_SECRET, "../../../etc/passwd")),
                broken("usersSecret: '.hidden'", s -> s.with(ServiceFields.USERS_SECRET, ".hidden")),
                broken("serviceName: '../escape'", s -> ServiceSpec.builder("../escape")
                        .with(ServiceFields.DESTINATIONS, List.of(DestinationSpec.builder()
                                .with(DestinationFields.SERVICE_PATH, List.of("/"))
                                .with(DestinationFields.PORT, 80).build()))),
                broken("port: '70000' (expected: 1-65535)", destination(d -> d.with(DestinationFields.PORT, 70000))),
                broken("httpsPort: '-1'", destination(d -> d.with(DestinationFields.HTTPS_PORT, -1))),
                broken("port: missing", destination(d -> d.with(DestinationFields.PORT, 0))),
                broken("reqMode: 'udp'", destination(d -> d.with(DestinationFields.REQ_MODE, "udp"))),
                broken("srcPort: missing", destination(d -> d.with(DestinationFields.REQ_MODE, "tcp"))),
                broken("servicePath: 'no-slash'", destination(d -> d.with(DestinationFields.SERVICE_PATH,
                        List.of("no-slash")))),
                broken("servicePath: missing", destination(d -> d.with(DestinationFields.SERVICE_PATH, List.of()))),
                broken("pathType: 'path_evil'", destination(d -> d.with(DestinationFields.PATH_TYPE, "path_evil"))),
                broken("serviceDomain: 'a b'", destination(d -> d.with(DestinationFields.SERVICE_DOMAIN,
                        List.of("a b")))),
                broken("outboundHostname: 'evil/host'", destination(d -> d.with(DestinationFields.OUTBOUND_HOSTNAME,
                        "evil/host"))),
                broken("upgradeProtocols: 'h2c'", destination(d -> d.with(DestinationFields.UPGRADE_PROTOCOLS,
                        List.of("h2c")))),
                broken("upgradeProtocols: 'foo'", destination(d -> d.with(DestinationFields.REQ_MODE, "tcp")
                        .with(DestinationFields.SRC_PORT, 9000)
                        .with(DestinationFields.UPGRADE_PROTOCOLS, List.of("foo")))),
                broken("serviceHeader: ':x'", destination(d -> d.with(DestinationFields.SERVICE_HEADER,
                        Map.of("", "x")))),
                broken("balance: 'random'", s -> s.with(ServiceFields.BALANCE, "random")),
                broken("healthCheckPath: 'health'", s -> s.with(ServiceFields.HEALTH_CHECK_PATH, "health")),
                broken("backendProtocol: 'ftp'", s -> s.with(ServiceFields.BACKEND_PROTOCOL, "ftp")),
                broken("replicas: '-2'", s -> s.with(ServiceFields.REPLICAS, -2)),
                broken("maxRequestBodySize: '-1'", s -> s.with(ServiceFields.MAX_REQUEST_BODY_SIZE, -1L)),
                broken("port: missing", s -> s.with(ServiceFields.DESTINATIONS, List.of())));
    }

    private static Arguments broken(String message, UnaryOperator<ServiceSpec.Builder> change) {
        return Arguments.of(message, change.apply(service("serviceName=shop&servicePath=/shop&port=80").toBuilder())
                .build());
    }

    private static UnaryOperator<ServiceSpec.Builder> destination(UnaryOperator<DestinationSpec.Builder> change) {
        return s -> s.with(ServiceFields.DESTINATIONS, List.of(change.apply(DestinationSpec.builder()
                .with(DestinationFields.SERVICE_PATH, List.of("/shop")).with(DestinationFields.PORT, 80)).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servicesThatBreakAParserRule")
    void refusesAServiceNoParserReadByTheParsersRulesNamingTheValue(String message, ServiceSpec service) {
        registry.apply(service("serviceName=kept&servicePath=/kept&port=80"));
        RouteTable before = lastTable();

        assertThatThrownBy(() -> registry.apply(service))
                .isInstanceOfSatisfying(InvalidServiceException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageStartingWith(message);
        assertThat(published).containsExactly(before);
        assertThat(registry.services()).map(ServiceSpec::serviceName).containsExactly("kept");
    }

    @Test
    void keepsTheLastGoodStateWhenPublishingFails() {
        List<RouteTable> accepted = new ArrayList<>();
        ServiceRegistry failing = new ServiceRegistry(table -> {
            if (table.size() > 1) {
                throw new IllegalStateException("data plane stopped");
            }
            accepted.add(table);
        });
        failing.apply(service("serviceName=a&servicePath=/a&port=80"));

        assertThatThrownBy(() -> failing.apply(service("serviceName=b&servicePath=/b&port=80")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failing.services()).map(ServiceSpec::serviceName).containsExactly("a");
        assertThat(failing.routes()).isSameAs(accepted.get(0));
    }

    @Test
    void derivesTheSameTableAsABuildFromScratch() {
        registry.apply(service("serviceName=a&servicePath=/a,/shared&port=80"));
        registry.apply(service("serviceName=b&servicePath.1=/b&port.1=80&serviceDomain.2=*.b.com&port.2=81"));
        registry.apply(service("serviceName=c&servicePath=/shared&port=82&aclName=00-c"));
        registry.apply(service("serviceName=a&servicePath=/a2&port=83"));
        registry.remove("c");
        registry.apply(service("serviceName=d&servicePath=/&serviceDomain=d.com&port=84"));

        List<Route> current = registry.services().stream().flatMap(s -> RouteCompiler.compile(s, GlobalRules.NONE).stream()).toList();
        RouteTable scratch = RouteTable.of(current);
        assertThat(registry.routes().routes()).map(Route::toString)
                .containsExactlyElementsOf(scratch.routes().stream().map(Route::toString).toList());
        for (String[] request : new String[][] {{"h", "/a2/x"}, {"h", "/shared"}, {"x.b.com", "/"}, {"d.com", "/b"},
                {"h", "/b"}, {"h", "/a"}}) {
            assertThat(String.valueOf(registry.routes().find(request[0], request[1], 80)))
                    .as("%s %s", request[0], request[1])
                    .isEqualTo(String.valueOf(scratch.find(request[0], request[1], 80)));
        }
    }

    @Test
    void sendsTlsTrafficToTheHttpsPortOfADestination() {
        registry.apply(service("serviceName=s&servicePath.1=/a&httpsPort.1=8443&servicePath.2=/b&port.2=80"
                + "&httpsPort.2=8444&srcHttpsPort.2=4443"));

        assertThat(lastTable().find("h", "/a", 443).backend().port()).isEqualTo(8443);
        assertThat(lastTable().find("h", "/a", 80)).as("only an httpsPort: TLS traffic alone").isNull();
        assertThat(lastTable().find("h", "/b", 80).backend().port()).isEqualTo(80);
        assertThat(lastTable().find("h", "/b", 4443).backend().port()).isEqualTo(8444);
        assertThat(registry.services()).singleElement()
                .satisfies(s -> assertThat(s.destinations()).hasSize(2));
    }

    @Test
    void compilesTcpAndSniDestinationsIntoTcpRoutesOnTheirSourcePorts() {
        List<StreamTable> streams = new ArrayList<>();
        ServiceRegistry withStreams = new ServiceRegistry(published::add, streams::add, GlobalRules.NONE);
        withStreams.apply(service("serviceName=redis&reqMode=tcp&srcPort=6379&port=6379&discoveryType=DNS"
                + "&checkTcp=true&clitcpka=true&timeoutClient=30&timeoutServer=60"));
        withStreams.apply(service("serviceName=tls&reqMode=sni&srcPort=8443&port.1=443&servicePath.1=a.,b."
                + "&pathType.1=req_ssl_sni -i -m beg&port.2=444&servicePath.2=^c[0-9]+\\.test$"
                + "&pathType.2=req.ssl_sni -m reg&port.3=445&servicePath.3=d.test"));
        withStreams.apply(service("serviceName=web&servicePath=/&port=80"));

        assertThat(streams).hasSize(2);
        StreamTable table = withStreams.streams();
        assertThat(table).isSameAs(streams.get(1));
        assertThat(table.ports()).containsExactly(6379, 8443);
        StreamRoute redis = table.route(6379, null);
        assertThat(redis.backend().address().getHostString()).isEqualTo("tasks.redis");
        assertThat(redis.backend().balancing().connectCheck()).isTrue();
        assertThat(redis.clientKeepAlive()).isTrue();
        assertThat(redis.idleTimeout()).hasSeconds(30);
        assertThat(table.inspects(6379)).isFalse();
        assertThat(table.inspects(8443)).isTrue();
        assertThat(table.route(8443, "a.example.com").backend().port()).isEqualTo(443);
        assertThat(table.route(8443, "b.example.com").backend().port()).isEqualTo(443);
        assertThat(table.route(8443, "c42.test").backend().port()).isEqualTo(444);
        assertThat(table.route(8443, "d.test").backend().port()).isEqualTo(445);
        assertThat(table.route(8443, "x.d.test")).isNull();
        assertThat(table.route(8443, null)).isNull();
        assertThat(table.route(8443, "d.test").idleTimeout()).isEqualTo(StreamRoute.DEFAULT_IDLE_TIMEOUT);
        assertThat(withStreams.routes().routes()).map(Route::serviceName).containsExactly("web");

        withStreams.remove("redis");

        assertThat(withStreams.streams().ports()).containsExactly(8443);
    }

    @Test
    void routesTcpDestinationsBySniOnlyWithTheSniDomainAlgorithm() {
        ServiceRegistry withStreams = new ServiceRegistry(published::add, t -> { }, GlobalRules.NONE);
        withStreams.apply(service("serviceName=a&reqMode=tcp&srcPort=5000&port=1&serviceDomain=a.test,*.wild.test"
                + "&serviceDomainAlgo=req.ssl_sni"));
        withStreams.apply(service("serviceName=z&reqMode=tcp&srcPort=5000&port=2"));

        assertThat(withStreams.streams().route(5000, "a.test").serviceName()).isEqualTo("a");
        assertThat(withStreams.streams().route(5000, "x.wild.test").serviceName()).isEqualTo("a");
        assertThat(withStreams.streams().route(5000, "other.test").serviceName()).isEqualTo("z");
        assertThat(withStreams.streams().route(5000, null).serviceName()).isEqualTo("z");
        assertThatThrownBy(() -> withStreams.apply(service(
                "serviceName=b&reqMode=tcp&srcPort=5000&port=1&serviceDomain=b.test")))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessage("serviceDomainAlgo: '' (expected: req.ssl_sni for a reqMode=tcp destination with a "
                        + "serviceDomain)");
    }

    @Test
    void aPortThatCannotBeListenedOnRefusesTheChangeWithA409AndKeepsTheTables() {
        ServiceRegistry refusing = new ServiceRegistry(published::add, table -> {
            if (table.ports().contains(80)) {
                throw new PortUnavailableException(80, new java.io.IOException("Address already in use"));
            }
        }, GlobalRules.NONE);
        refusing.apply(service("serviceName=redis&reqMode=tcp&srcPort=6379&port=6379"));
        RouteTable before = refusing.routes();

        assertThatThrownBy(() -> refusing.apply(service("serviceName=web&reqMode=tcp&srcPort=80&port=8080")))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessage("srcPort: 80 cannot be listened on (Address already in use)")
                .satisfies(e -> assertThat(((InvalidServiceException) e).httpStatus()).isEqualTo(409));
        assertThat(refusing.streams().ports()).containsExactly(6379);
        assertThat(refusing.routes()).isSameAs(before);
        assertThat(refusing.services()).map(ServiceSpec::serviceName).containsExactly("redis");
    }
}

package io.swarmgate.api.replicas;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;


import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.config.DestinationFields;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceFields;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TestDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two whole servers in-process as two replicas of one Swarm service (each on its own loopback address, found through a
 * real DNS server): a replica that starts late serves, before its API answers, the routes and certificates the other
 * received through the API — passwords included, which its endpoint hands out only with the API's credentials.
 */
class PeerSyncTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String FIRST = "127.0.0.1";
    private static final String SECOND = "127.0.0.2";
    private static final ApiAccess PROTECTED = new ApiAccess("s3cret-token", Map.of());

    @TempDir
    Path storage;
    private TestDnsServer dns;
    private int apiPort;

    @BeforeEach
    void startDns() throws IOException {
        dns = TestDnsServer.start();
        dns.set("tasks.proxy", FIRST, SECOND);
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(FIRST))) {
            apiPort = free.getLocalPort();
        }
    }

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private SwarmgateServer replica(String address, ApiAccess access) {
        Path files = storage.resolve(address);
        return SwarmgateServer.start(new ServerSettings(address, apiPort, List.of(0), ",", false, Timeouts.DEFAULTS,
                ServerSettings.DEFAULT_SHUTDOWN_GRACE).withApiAccess(access)
                .withTls(new TlsSettings(List.of(), files.resolve("certs"), files.resolve("secrets")))
                .withReplicas(new ReplicaSettings("proxy", dns.address(), List.of(),
                        ReplicaSettings.DEFAULT_RELOAD_INTERVAL)), Map.of());
    }

    private HttpResponse<String> call(String address, String method, String pathAndQuery, String body,
                                      String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + ":" + apiPort
                + pathAndQuery)).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLateReplicaStartsWithTheRoutesAndCertificatesOfTheOther() throws Exception {
        String bearer = "Bearer s3cret-token";
        try (SwarmgateServer first = replica(FIRST, PROTECTED)) {
            assertThat(call(FIRST, "GET", "/v1/docker-flow-proxy/reconfigure?serviceName=shop&servicePath=/shop"
                    + "&port=8080&users=admin:pw", "", bearer).statusCode()).isEqualTo(200);
            assertThat(call(FIRST, "PUT", "/v1/docker-flow-proxy/cert?certName=shop.pem",
                    TestCertificates.pem("shop.test"), bearer).statusCode()).isEqualTo(200);
            assertThat(call(FIRST, "GET", PeerSync.PATH, "", null).statusCode()).isEqualTo(401);

            try (SwarmgateServer second = replica(SECOND, PROTECTED)) {
                assertThat(second.registry().services()).isEqualTo(first.registry().services());
                assertThat(second.registry().services().get(0).users())
                        .extracting(u -> u.password()).containsExactly("pw");
                assertThat(call(SECOND, "GET", "/v1/docker-flow-proxy/certs", "", bearer).body())
                        .contains("\"ProxyServiceName\":\"shop.pem\"");
                assertThat(call(SECOND, "GET", "/v1/docker-flow-proxy/config/version", "", bearer).body())
                        .isEqualTo(call(FIRST, "GET", "/v1/docker-flow-proxy/config/version", "", bearer).body());
            }
        }
    }

    @Test
    void anOpenApiSharesNoSecretsAndALateReplicaStartsEmpty() throws Exception {
        try (SwarmgateServer first = replica(FIRST, ApiAccess.OPEN)) {
            assertThat(call(FIRST, "GET", "/v1/docker-flow-proxy/reconfigure?serviceName=shop&servicePath=/shop"
                    + "&port=8080&users=admin:pw", "", null).statusCode()).isEqualTo(200);

            HttpResponse<String> refused = call(FIRST, "GET", PeerSync.PATH, "", null);

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("CONFIG_API_TOKEN").doesNotContain("pw");
            try (SwarmgateServer second = replica(SECOND, ApiAccess.OPEN)) {
                assertThat(second.registry().services()).isEmpty();
            }
        }
    }

    @Test
    void aPeerAnsweringAHostileStateGivesOnlyItsValidServicesAndNamesEachRefusal() throws Exception {
        ServiceSpec good = ReconfigureParameters.defaults().parse(Queries.query(
                "serviceName=shop&servicePath=/shop&port=8080&users=admin:pw"));
        ServiceSpec.Builder secret = renamed(good, "secret")
                .with(ServiceFields.USERS_SECRET, "../../../etc/shadow");
        ServiceSpec.Builder port = renamed(good, "escape").with(ServiceFields.DESTINATIONS,
                List.of(good.destinations().get(0).toBuilder().with(DestinationFields.PORT, 70000).build()));
        ReplicaState hostile = new ReplicaState("hostile-peer",
                List.of(good, secret.build(), port.build(), renamed(good, "../outside").build()),
                Map.of("../../escape.pem", TestCertificates.pem("escape.test")));
        WireMockServer peer = new WireMockServer(options().bindAddress(FIRST).port(apiPort));
        peer.start();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger adoption = (Logger) LoggerFactory.getLogger(StateAdoption.class);
        adoption.addAppender(log);
        try {
            peer.stubFor(get(urlEqualTo(PeerSync.PATH)).withHeader("Authorization", equalTo("Bearer s3cret-token"))
                    .willReturn(aResponse().withStatus(200).withBody(hostile.toJson())));

            try (SwarmgateServer second = replica(SECOND, PROTECTED)) {
                assertThat(second.registry().services()).containsExactly(good.formatted());
            }
        } finally {
            adoption.detachAppender(log);
            peer.stop();
        }
        String source = " from replica " + FIRST + " refused: ";
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage))
                .containsExactlyInAnyOrder(
                        "Certificate ../../escape.pem" + source
                                + "certName: '../../escape.pem' (expected: a file name)",
                        "Service 'secret'" + source + "usersSecret: '../../../etc/shadow' (expected: a secret name "
                                + "(dfp_users_<name> in /run/secrets))",
                        "Service 'escape'" + source + "port: '70000' (expected: 1-65535)",
                        "Service '../outside'" + source + "serviceName: '../outside' (expected: a service name of "
                                + "letters, digits, '-', '_' and '.')");
        assertThat(storage.resolve(SECOND).resolve("escape.pem")).doesNotExist();
        assertThat(storage.resolve("escape.pem")).doesNotExist();
    }

    private static ServiceSpec.Builder renamed(ServiceSpec service, String name) {
        return ServiceSpec.builder(name).with(ServiceFields.DESTINATIONS, service.destinations())
                .with(ServiceFields.USERS, service.users());
    }

    @Test
    void aPeerAnsweringMoreThanAStateCanHoldIsSkipped() throws Exception {
        ServiceSpec good = ReconfigureParameters.defaults().parse(Queries.query(
                "serviceName=shop&servicePath=/shop&port=8080"));
        String answer = new ReplicaState("peer", List.of(good), Map.of()).toJson();
        WireMockServer peer = new WireMockServer(options().bindAddress(FIRST).port(apiPort));
        peer.start();
        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Peers peers = new Peers(new ReplicaSettings("proxy", dns.address(), List.of(),
                ReplicaSettings.DEFAULT_RELOAD_INTERVAL), loops.next(), NioDatagramChannel.class)) {
            peer.stubFor(get(urlEqualTo(PeerSync.PATH)).willReturn(aResponse().withStatus(200).withBody(answer)));

            assertThat(new PeerSync(answer.length()).fetch(peers, apiPort, "self", null))
                    .hasValueSatisfying(state -> assertThat(state.state().services()).containsExactly(good));
            assertThat(new PeerSync(answer.length() - 1).fetch(peers, apiPort, "self", null)).isEmpty();
        } finally {
            loops.shutdownGracefully();
            peer.stop();
        }
    }
}

package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.replicas.ReplicaState;
import io.swarmgate.api.replicas.StateAdoption;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code STATE_FILE} and {@code PUT /cert} on real files: what a replica saves holds passwords and private keys, so it
 * is readable by its owner alone; what it reads back passes the API's rules, so a hand-edited file cannot route with
 * a secret outside {@code /run/secrets}, a port beyond 65535 or a certificate written outside {@code CERTS_DIR}.
 */
class StateFileValidationTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNER_ONLY = "rw-------";

    @TempDir
    Path directory;
    private Path state;
    private Path certs;
    private TestBackend backend;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() {
        state = directory.resolve("state/state.json");
        certs = directory.resolve("certs");
        backend = TestBackend.start("good");
        log.start();
        Stream.of(StateAdoption.class, ReplicaState.class)
                .forEach(c -> ((Logger) LoggerFactory.getLogger(c)).addAppender(log));
    }

    @AfterEach
    void tearDown() {
        Stream.of(StateAdoption.class, ReplicaState.class)
                .forEach(c -> ((Logger) LoggerFactory.getLogger(c)).detachAppender(log));
        backend.close();
    }

    private SwarmgateServer start() {
        return SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(), certs, directory.resolve("secrets"))),
                Map.of("STATE_FILE", state.toString()));
    }

    private static HttpResponse<String> call(int port, String method, String pathAndQuery, String body)
            throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void reconfigure(SwarmgateServer server, String name) throws Exception {
        assertThat(call(server.apiPort(), "GET", "/v1/docker-flow-proxy/reconfigure?serviceName=" + name
                + "&servicePath=/" + name + "&port=" + backend.port() + "&outboundHostname=127.0.0.1"
                + "&users=admin:s3cret", "").statusCode()).isEqualTo(200);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void theStateFileAndACertificatePutThroughTheApiAreReadableByTheOwnerAlone() throws Exception {
        Files.createDirectories(certs);
        Path cert = certs.resolve("shop.pem");
        Files.writeString(cert, TestCertificates.pem("old.test")); // as an older version left it: 0644
        Files.setPosixFilePermissions(cert, PosixFilePermissions.fromString("rw-r--r--"));

        String bundle = TestCertificates.pem("shop.test");
        try (SwarmgateServer server = start()) {
            reconfigure(server, "shop");
            assertThat(call(server.apiPort(), "PUT", "/v1/docker-flow-proxy/cert?certName=shop.pem", bundle)
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(state)
                    && Files.readString(state).contains("shop.pem") && Files.readString(state).contains("s3cret"));

            assertThat(mode(cert)).isEqualTo(OWNER_ONLY);
            assertThat(Files.readString(cert)).isEqualTo(bundle).contains("PRIVATE KEY");
            assertThat(mode(state)).isEqualTo(OWNER_ONLY);
            try (Stream<Path> left = Stream.concat(Files.list(certs), Files.list(state.getParent()))) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("shop.pem",
                        "state.json"); // no temporary file left behind
            }
        }
    }

    @Test
    void aHandEditedStateFileLoadsItsGoodServicesAndRefusesEachBadOneNamingTheValue() throws Exception {
        try (SwarmgateServer first = start()) {
            for (String name : List.of("good", "secret", "port", "typed")) {
                reconfigure(first, name);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(state)
                    && Files.readString(state).contains("typed"));
        }
        ObjectNode saved = (ObjectNode) JSON.readTree(state.toFile());
        for (var service : saved.withArray("services")) {
            ObjectNode destination = (ObjectNode) service.get("destinations").get(0);
            switch (service.get("serviceName").asText()) {
                case "secret" -> ((ObjectNode) service).put("usersSecret", "../../../etc/passwd");
                case "port" -> destination.put("port", 70000);
                case "typed" -> destination.put("port", "eighty");
                default -> { }
            }
        }
        saved.with("certificates").put("../escape.pem", TestCertificates.pem("escape.test"));
        Files.writeString(state, JSON.writeValueAsString(saved));

        try (SwarmgateServer restarted = start()) {
            assertThat(restarted.registry().services()).map(ServiceSpec::serviceName).containsExactly("good");
            HttpResponse<String> routed = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + restarted.proxyPorts().get(0) + "/good")).header("Authorization", "Basic YWRtaW46czNjcmV0")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(routed.statusCode()).isEqualTo(200);
            assertThat(routed.headers().firstValue("X-Backend")).contains("good");
            HttpResponse<String> refused = call(restarted.proxyPorts().get(0), "GET", "/secret", "");
            assertThat(refused.statusCode()).isEqualTo(503); // no route, as for a service never configured
            assertThat(refused.headers().firstValue("X-Backend")).isEmpty();
        }
        assertThat(warnings()).containsExactlyInAnyOrder(
                "Service 'port' from " + state + " refused: port: '70000' (expected: 1-65535)",
                "Service 'secret' from " + state + " refused: usersSecret: '../../../etc/passwd' (expected: a "
                        + "secret name (dfp_users_<name> in /run/secrets))",
                "Service 'typed' from " + state + " refused: destinations[0].port: Cannot deserialize value of type "
                        + "`int` from String \"eighty\": not a valid `int` value",
                "Certificate ../escape.pem from " + state + " refused: certName: '../escape.pem' (expected: a file "
                        + "name)");
        assertThat(directory.resolve("escape.pem")).doesNotExist();
    }
}

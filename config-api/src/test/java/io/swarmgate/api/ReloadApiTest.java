package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.json.DfpJsonTest;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DFP's {@code reload} (plain, {@code recreate=true}, {@code fromListener=true}) and its test endpoints. */
class ReloadApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ListenerStandIn listener;
    private TestBackend backend;
    private SwarmgateServer server;

    @TempDir
    Path secrets;

    @BeforeEach
    void start() throws IOException {
        backend = TestBackend.start("demo");
        listener = new ListenerStandIn();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        listener.close();
        backend.close();
    }

    private void startServer(List<String> listeners) {
        server = SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(), secrets.resolve("certs"), secrets))
                .withReplicas(new ReplicaSettings("proxy", null, listeners, Duration.ofMinutes(10))), Map.of());
    }

    private HttpResponse<String> api(String pathAndQuery) throws Exception {
        return SwarmgateServerTest.call(server, "GET", pathAndQuery);
    }

    private static JsonNode json(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    private String listenerAddress() {
        return listener.address();
    }

    @Test
    void aPlainReloadAnswersOkAndChangesNothing() throws Exception {
        startServer(List.of());
        api("/v1/docker-flow-proxy/reconfigure?serviceName=demo&servicePath=/demo&outboundHostname=127.0.0.1&port="
                + backend.port());

        HttpResponse<String> answer = api("/v1/docker-flow-proxy/reload");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(SwarmgateServerTest.keys(json(answer))).containsExactlyElementsOf(DfpJsonTest.RESPONSE_KEYS);
        assertThat(json(answer).get("Status").asText()).isEqualTo("OK");
        assertThat(RawHttpConnection.get(server.proxyPorts().get(0), "localhost", "/demo").status()).isEqualTo(200);
        assertThat(api("/v1/docker-flow-proxy/reload/?recreate=true").statusCode()).isEqualTo(301);
    }

    @Test
    void answersTheTestEndpointsAsDfp() throws Exception {
        startServer(List.of());

        for (String version : List.of("v1", "v2")) {
            HttpResponse<String> answer = SwarmgateServerTest.call(server, "POST", "/" + version + "/test");

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(json(answer).get("Status").asText()).isEqualTo("OK");
            assertThat(json(answer).get("Message").asText()).isEqualTo("Test " + version);
        }
    }

    @Test
    void recreateReadsWhatServicesReadWhenCompiledAgain() throws Exception {
        startServer(List.of());
        Files.writeString(secrets.resolve("dfp_users_team"), "alice:old\n");
        api("/v1/docker-flow-proxy/reconfigure?serviceName=demo&servicePath=/demo&outboundHostname=127.0.0.1"
                + "&usersSecret=team&port=" + backend.port());
        assertThat(getAs("alice:old").status()).isEqualTo(200);
        Files.writeString(secrets.resolve("dfp_users_team"), "alice:new\n");
        assertThat(getAs("alice:new").status()).isEqualTo(401); // the table is not rebuilt behind the user's back

        HttpResponse<String> answer = api("/v1/docker-flow-proxy/reload?recreate=true");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).get("Message").asText())
                .isEqualTo("Recreated the routing table from 1 stored service(s)");
        assertThat(getAs("alice:new").status()).isEqualTo(200);
        assertThat(getAs("alice:old").status()).isEqualTo(401);
    }

    private RawHttpConnection.Response getAs(String credentials) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(server.proxyPorts().get(0))) {
            return connection.exchange("GET /demo HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
        }
    }

    @Test
    void fromListenerPullsEveryServiceAgain() throws Exception {
        listener.answer("[{\"port\":\"8080\",\"serviceName\":\"first\",\"servicePath\":\"/first\"}]");
        startServer(List.of(listenerAddress()));
        await().until(() -> api("/v1/docker-flow-proxy/successfulinitreload")
                .statusCode() == 200);
        listener.answer("[{\"port\":\"8080\",\"serviceName\":\"first\",\"servicePath\":\"/first\"},"
                + "{\"port\":\"8080\",\"serviceName\":\"second\",\"servicePath\":\"/second\"}]");

        HttpResponse<String> answer = api("/v1/docker-flow-proxy/reload?fromListener=true");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).get("Message").asText())
                .isEqualTo("Pulled 2 service(s) from the swarm listener at http://" + listenerAddress()
                        + "/v1/docker-flow-swarm-listener/get-services");
        assertThat(server.registry().services()).extracting(ServiceSpec::serviceName)
                .containsExactly("first", "second");
    }

    @Test
    void fromListenerFailsWithNokWhenNoListenerAnswers() throws Exception {
        startServer(List.of(listenerAddress()));

        HttpResponse<String> answer = api("/v1/docker-flow-proxy/reload?fromListener=true");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(json(answer).get("Status").asText()).isEqualTo("NOK");
        assertThat(json(answer).get("Message").asText()).contains(listenerAddress()).contains("answered 503");
    }

    @Test
    void refusesFromListenerWithoutListenersAndFlagsThatAreNotBooleans() throws Exception {
        startServer(List.of());

        HttpResponse<String> noListener = api("/v1/docker-flow-proxy/reload?fromListener=true");
        HttpResponse<String> badFlag = api("/v1/docker-flow-proxy/reload?recreate=yes");

        assertThat(noListener.statusCode()).isEqualTo(400);
        assertThat(json(noListener).get("Message").asText()).contains("LISTENER_ADDRESS");
        assertThat(badFlag.statusCode()).isEqualTo(400);
        assertThat(json(badFlag).get("Message").asText()).isEqualTo("recreate: 'yes' (expected: true or false)");
    }
}

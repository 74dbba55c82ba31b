package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.api.http.ApiAccess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A protected configuration API answers only with credentials, except the health checks orchestrators call. */
class ApiAccessTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static SwarmgateServer server;

    @BeforeAll
    static void start() {
        server = SwarmgateServer.start(ServerSettings.ephemeral()
                .withApiAccess(new ApiAccess("t0ken", Map.of("ops", "pw"))), Map.of());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesReconfigureWithoutValidCredentialsAndChangesNothing() throws Exception {
        String reconfigure = "/v1/docker-flow-proxy/reconfigure?serviceName=sneaky&servicePath=/s&port=80";

        HttpResponse<String> refused = get(reconfigure, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"swarmgate-api\"");
        assertThat(get(reconfigure, "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(reconfigure, basic("ops", "nope")).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(server.registry().services()).noneMatch(s -> s.serviceName().equals("sneaky"));
    }

    @Test
    void acceptsTheTokenOrAUserAndKeepsHealthChecksOpen() throws Exception {
        assertThat(get("/v1/docker-flow-proxy/reconfigure?serviceName=a&servicePath=/a&port=80", "Bearer t0ken")
                .statusCode()).isEqualTo(200);
        assertThat(get("/v1/docker-flow-proxy/config", basic("ops", "pw")).statusCode()).isEqualTo(200);
        assertThat(get("/v1/docker-flow-proxy/ping", null).statusCode()).isEqualTo(200);
        assertThat(get("/ready", null).statusCode()).isEqualTo(200);
        assertThat(get("/ping", null).statusCode()).isEqualTo(200);
        assertThat(get("/ping", null).body()).isEqualTo("OK\n");
    }

    @Test
    void protectsTheDashboardAndLetsABrowserSignInWithTheTokenAsPassword() throws Exception {
        HttpResponse<String> refused = get("/dashboard/", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        // Basic: the challenge a browser answers with its sign-in dialog
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"swarmgate-api\"");
        assertThat(get("/dashboard/state.json", null).statusCode()).isEqualTo(401);
        assertThat(get("/dashboard/", basic("anyone", "wrong")).statusCode()).isEqualTo(401);

        assertThat(get("/dashboard/", basic("anyone", "t0ken")).statusCode()).isEqualTo(200);
        assertThat(get("/dashboard/dashboard.js", basic("ops", "pw")).statusCode()).isEqualTo(200);
        assertThat(get("/dashboard/state.json", "Bearer t0ken").statusCode()).isEqualTo(200);
    }
}

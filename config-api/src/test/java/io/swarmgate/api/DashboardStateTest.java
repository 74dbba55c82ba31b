package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TcpEchoServer;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page and the JSON it polls, from a whole server configured by the environment and the API. */
class DashboardStateTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path certs;
    private TestBackend backend;
    private SwarmgateServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(certs.resolve("shop.test.pem"), TestCertificates.pem("shop.test"));
        backend = TestBackend.start("b");
        server = SwarmgateServer.start(ServerSettings.ephemeral().withTls(new TlsSettings(List.of(0), certs, certs)),
                Map.of("DFP_SERVICE_SERVICE_NAME", "legacy", "DFP_SERVICE_SERVICE_PATH", "/legacy",
                        "DFP_SERVICE_PORT", Integer.toString(backend.port()),
                        "DFP_SERVICE_OUTBOUND_HOSTNAME", "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        server.stop();
        backend.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path))
                        .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode state() throws Exception {
        HttpResponse<String> answer = get("/dashboard/state.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(answer.body());
    }

    @Test
    void listsEachRouteWithItsRulesPoliciesAndSource() throws Exception {
        assertThat(get("/v1/docker-flow-proxy/reconfigure?serviceName=shop&serviceDomain=shop.test"
                + "&servicePath=/cart&port=8080&allowedMethods=GET&users=ann:secret&balance=leastconn"
                + "&discoveryType=DNS").statusCode()).isEqualTo(200);

        JsonNode routes = state().get("routes");

        assertThat(routes).extracting(r -> r.get("service").asText()).containsExactly("legacy", "shop");
        JsonNode legacy = routes.get(0);
        assertThat(legacy.get("source").asText()).isEqualTo("environment");
        assertThat(legacy.get("hosts")).isEmpty();
        JsonNode shop = routes.get(1);
        assertThat(shop.get("source").asText()).isEqualTo("api");
        assertThat(shop.get("hosts").toString()).isEqualTo("[\"shop.test\"]");
        assertThat(shop.get("paths").toString()).isEqualTo("[\"/cart\"]");
        assertThat(shop.get("port").asInt()).isEqualTo(8080);
        assertThat(shop.get("mode").asText()).isEqualTo("http");
        assertThat(shop.get("rules").toString()).isEqualTo("{\"allowedMethods\":[\"GET\"]}");
        assertThat(shop.get("policies").get("balance").asText()).isEqualTo("leastconn");
        assertThat(shop.get("policies").get("users").asInt()).isEqualTo(1);
        assertThat(routes.toString()).doesNotContain("secret");
    }

    @Test
    void chartsEachServicesTrafficAndListsCertificatesReplicasAndDiscovery() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttpConnection.get(server.proxyPorts().get(0), "localhost", "/legacy").status())
                    .isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode legacy = state().get("services").get(0);
            assertThat(legacy.get("name").asText()).isEqualTo("legacy");
            assertThat(legacy.path("requests").asLong()).isEqualTo(5);
            assertThat(legacy.path("rps")).anyMatch(point -> point.asDouble() > 0);
            assertThat(legacy.path("p50Millis")).anyMatch(point -> point.isNumber());
        });
        JsonNode state = state();
        JsonNode certificate = state.get("certificates").get(0);
        assertThat(certificate.get("name").asText()).isEqualTo("shop.test.pem");
        assertThat(certificate.get("domains").toString()).isEqualTo("[\"shop.test\"]");
        assertThat(certificate.get("source").asText()).isEqualTo("file");
        assertThat(certificate.get("daysLeft").asLong()).isPositive();
        assertThat(state.get("replicas").get("problem").asText()).contains("tasks.proxy does not resolve");
        assertThat(state.get("discovery").get("on").asBoolean()).isFalse();
        assertThat(state.get("version").asText())
                .isEqualTo(JSON.readTree(get("/v1/docker-flow-proxy/config/version").body()).get("Version").asText());
    }

    private static List<String> names(JsonNode list, String field) {
        List<String> names = new ArrayList<>();
        list.forEach(row -> names.add(row.get(field).asText()));
        return names;
    }

    private JsonNode state(String query) throws Exception {
        HttpResponse<String> answer = get("/dashboard/state.json?" + query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    @Test
    void listsAPageOfTheServicesMatchingASearchWithTheirRoutesAndCountsThemAll() throws Exception {
        for (String name : List.of("alpha", "bravo", "charlie", "delta", "echo")) {
            assertThat(get("/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath=/" + name
                    + "&port=8080").statusCode()).isEqualTo(200);
        }
        assertThat(get("/v1/docker-flow-proxy/reconfigure?serviceName=shop&serviceDomain.1=Shop.Test"
                + "&servicePath.1=/cart&port.1=8080&servicePath.2=/pay&port.2=8081").statusCode()).isEqualTo(200);

        JsonNode first = state();
        assertThat(first.get("totals").get("services").asInt()).isEqualTo(7);
        assertThat(first.get("totals").get("routes").asInt()).as("a row per destination").isEqualTo(8);
        assertThat(first.get("page").get("limit").asInt()).isEqualTo(50);
        assertThat(first.get("page").get("matching").asInt()).isEqualTo(7);

        JsonNode second = state("from=3&limit=3");
        assertThat(names(second.get("services"), "name")).containsExactly("delta", "echo", "legacy");
        assertThat(names(second.get("routes"), "service")).containsExactly("delta", "echo", "legacy");
        assertThat(second.get("page").get("from").asInt()).isEqualTo(3);
        assertThat(second.get("totals").get("services").asInt()).isEqualTo(7);

        JsonNode byHost = state("search=shop.TEST");
        assertThat(names(byHost.get("services"), "name")).containsExactly("shop");
        assertThat(names(byHost.get("routes"), "service")).containsExactly("shop", "shop");
        assertThat(byHost.get("page").get("matching").asInt()).isEqualTo(1);
        assertThat(byHost.get("page").get("search").asText()).isEqualTo("shop.TEST");
        assertThat(names(state("search=/pay").get("services"), "name")).containsExactly("shop");
        assertThat(names(state("search=HAR").get("services"), "name")).containsExactly("charlie");
        assertThat(names(state("search=a&limit=2").get("services"), "name")).as("alpha, bravo, charlie, delta, "
                + "legacy and shop (by /cart) hold an a").containsExactly("alpha", "bravo");
        assertThat(state("search=a&limit=2").get("page").get("matching").asInt()).isEqualTo(6);

        JsonNode past = state("from=7");
        assertThat(past.get("services")).isEmpty();
        assertThat(past.get("routes")).isEmpty();
        assertThat(past.get("page").get("matching").asInt()).isEqualTo(7);
        JsonNode none = state("search=nowhere");
        assertThat(none.get("services")).isEmpty();
        assertThat(none.get("page").get("matching").asInt()).isZero();
    }

    @Test
    void ordersTheServicesByRequestsOrBy5xxAnswersOverTheChartsWindow() throws Exception {
        int closed = TcpEchoServer.freePort(); // nothing listens there: every request fails
        assertThat(get("/v1/docker-flow-proxy/reconfigure?serviceName=busy&servicePath=/busy&port=" + backend.port()
                + "&outboundHostname=127.0.0.1").statusCode()).isEqualTo(200);
        assertThat(get("/v1/docker-flow-proxy/reconfigure?serviceName=failing&servicePath=/failing&port=" + closed
                + "&outboundHostname=127.0.0.1").statusCode()).isEqualTo(200);
        for (String idle : List.of("idle", "quiet")) {
            assertThat(get("/v1/docker-flow-proxy/reconfigure?serviceName=" + idle + "&servicePath=/" + idle
                    + "&port=8080").statusCode()).isEqualTo(200);
        }
        int port = server.proxyPorts().get(0);
        for (int i = 0; i < 12; i++) {
            assertThat(RawHttpConnection.get(port, "localhost", "/busy").status()).isEqualTo(200);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(RawHttpConnection.get(port, "localhost", "/failing").status()).isGreaterThanOrEqualTo(500);
        }
        assertThat(RawHttpConnection.get(port, "localhost", "/legacy").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                names(state("sort=requests").get("services"), "name"))
                .containsExactly("busy", "failing", "legacy", "idle", "quiet"));
        assertThat(names(state("sort=errors").get("services"), "name"))
                .containsExactly("failing", "busy", "legacy", "idle", "quiet");
        assertThat(names(state("sort=errors&from=1&limit=2").get("routes"), "service"))
                .containsExactly("busy", "legacy");
        assertThat(names(state("sort=errors&from=2&limit=2").get("services"), "name"))
                .containsExactly("legacy", "idle");
        assertThat(names(state("sort=requests&from=4").get("services"), "name")).containsExactly("quiet");
        assertThat(state("sort=requests&from=5").get("services")).isEmpty();
        assertThat(names(state("sort=errors&search=i").get("services"), "name")).as("failing, idle, quiet")
                .containsExactly("failing", "idle", "quiet");
        assertThat(names(state("sort=name").get("services"), "name"))
                .containsExactly("busy", "failing", "idle", "legacy", "quiet");
        assertThat(state("sort=errors").get("page").get("sort").asText()).isEqualTo("errors");
    }

    @Test
    void refusesAParameterItDoesNotTakeWithA400NamingIt() throws Exception {
        Map<String, String> refused = Map.of(
                "from=-1", "from must be a whole number from 0",
                "from=x", "from must be a whole number from 0",
                "limit=0", "limit must be a whole number from 1 to 500",
                "limit=501", "limit must be a whole number from 1 to 500",
                "search=" + "a".repeat(257), "search is longer than 256 characters",
                "page=2", "unknown parameter 'page'",
                "sort=size", "sort must be name, requests or errors, not 'size'",
                "from=1&from=2", "from is given more than once");
        for (Map.Entry<String, String> query : refused.entrySet()) {
            HttpResponse<String> answer = get("/dashboard/state.json?" + query.getKey());
            assertThat(answer.statusCode()).as(query.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).get("Message").asText()).as(query.getKey())
                    .contains(query.getValue());
        }
    }

    @Test
    void servesThePageFromTheJarWithNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = get("/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                policy -> assertThat(policy).startsWith("default-src 'self'"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"dashboard.js\">").doesNotContain("http");
        assertThat(get("/dashboard/charts.js").headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        HttpResponse<String> bare = get("/dashboard");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/dashboard/");
        assertThat(get("/dashboard/../metrics").statusCode()).isEqualTo(404);
        assertThat(get("/dashboard/missing.js").statusCode()).isEqualTo(404);
    }
}

package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.api.json.DfpJsonTest;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole server in-process on free ports: configured over its API, serving through its data plane. */
class SwarmgateServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final List<String> RESPONSE_KEYS = DfpJsonTest.RESPONSE_KEYS;

    private static TestBackend demo;
    private static TestBackend other;
    private static SwarmgateServer server;

    @BeforeAll
    static void start() {
        demo = TestBackend.start("demo");
        other = TestBackend.start("other");
        server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of());
    }

    @AfterAll
    static void stop() {
        server.stop();
        demo.close();
        other.close();
    }

    @AfterEach
    void removeEveryService() {
        server.registry().services().forEach(s -> server.registry().remove(s.serviceName()));
    }

    static HttpResponse<String> call(SwarmgateServer server, String method, String pathAndQuery)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> api(String pathAndQuery) throws IOException, InterruptedException {
        return call(server, "GET", pathAndQuery);
    }

    private static HttpResponse<String> reconfigure(String query) throws IOException, InterruptedException {
        return api("/v1/docker-flow-proxy/reconfigure?" + query);
    }

    static RawHttpConnection.Response proxied(SwarmgateServer server, String host, String path) throws IOException {
        return RawHttpConnection.get(server.proxyPorts().get(0), host, path);
    }

    private static RawHttpConnection.Response proxied(String path) throws IOException {
        return proxied(server, "localhost", path);
    }

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void exposesTheVersionOfItsTableWhichEveryChangeMoves() throws Exception {
        JsonNode empty = JSON.readTree(api("/v1/docker-flow-proxy/config/version").body());
        reconfigure("serviceName=go-demo&servicePath=/demo&port=8080");

        JsonNode configured = JSON.readTree(api("/v1/docker-flow-proxy/config/version").body());

        assertThat(keys(configured)).containsExactly("Version", "Services");
        assertThat(configured.get("Services").asInt()).isEqualTo(1);
        assertThat(configured.get("Version").asText()).startsWith("sha256:")
                .isNotEqualTo(empty.get("Version").asText());
        api("/v1/docker-flow-proxy/remove?serviceName=go-demo");
        assertThat(JSON.readTree(api("/v1/docker-flow-proxy/config/version").body())).isEqualTo(empty);
    }

    @Test
    void reconfiguresRoutesAndRemoves() throws Exception {
        HttpResponse<String> answer = reconfigure("serviceName=go-demo&servicePath=/demo&port=" + demo.port()
                + "&outboundHostname=127.0.0.1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(keys(body)).containsExactlyElementsOf(RESPONSE_KEYS);
        assertThat(body.get("Status").asText()).isEqualTo("OK");
        assertThat(body.get("ServiceName").asText()).isEqualTo("go-demo");
        assertThat(body.get("ServiceDest").get(0).get("Port").asText()).isEqualTo(Integer.toString(demo.port()));
        assertThat(body.get("ServiceDest").get(0).get("ServicePath").toString()).isEqualTo("[\"/demo\"]");

        RawHttpConnection.Response routed = proxied("/demo/hello");
        assertThat(routed.status()).isEqualTo(200);
        assertThat(routed.header("X-Backend")).isEqualTo("demo");
        assertThat(routed.bodyText()).startsWith("GET /demo/hello HTTP/1.1");

        HttpResponse<String> removed = api("/v1/docker-flow-proxy/remove?serviceName=go-demo");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(removed.body()).get("ServiceName").asText()).isEqualTo("go-demo");
        RawHttpConnection.Response unrouted = proxied("/demo/hello");
        assertThat(unrouted.status()).isEqualTo(503);
        assertThat(unrouted.bodyText()).isNotEmpty().hasSizeLessThan(200);
    }

    @Test
    void replacesAServiceWholeBeforeAnswering() throws Exception {
        reconfigure("serviceName=svc&servicePath=/old&port=" + demo.port() + "&outboundHostname=127.0.0.1");
        reconfigure("serviceName=svc&servicePath=/new&port=" + other.port() + "&outboundHostname=127.0.0.1");

        assertThat(proxied("/old").status()).isEqualTo(503);
        assertThat(proxied("/new").header("X-Backend")).isEqualTo("other");
    }

    @Test
    void routesIndexedDestinationsAndDomains() throws Exception {
        assertThat(reconfigure("serviceName=multi&outboundHostname=127.0.0.1&servicePath.1=/one&port.1="
                + demo.port() + "&serviceDomain.2=*.example.com&port.2=" + other.port()).statusCode()).isEqualTo(200);

        assertThat(proxied("/one/x").header("X-Backend")).isEqualTo("demo");
        assertThat(proxied(server, "a.example.com", "/anything").header("X-Backend")).isEqualTo("other");
        assertThat(proxied(server, "example.com", "/anything").status()).isEqualTo(503);
    }

    @Test
    void removesAServiceScaledToZero() throws Exception {
        reconfigure("serviceName=scaled&servicePath=/s&replicas=2&port=" + demo.port() + "&outboundHostname=127.0.0.1");
        assertThat(proxied("/s").status()).isEqualTo(200);

        assertThat(reconfigure("serviceName=scaled&servicePath=/s&replicas=0&port=" + demo.port()).statusCode())
                .isEqualTo(200);
        assertThat(proxied("/s").status()).isEqualTo(503);
        assertThat(server.registry().services()).isEmpty();
    }

    @Test
    void keepsThePreviousRouteWhenAReconfigureIsRejected() throws Exception {
        reconfigure("serviceName=stable&servicePath=/stable&port=" + demo.port() + "&outboundHostname=127.0.0.1");

        HttpResponse<String> rejected = reconfigure("serviceName=stable&servicePath=/stable&port=70000");

        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(proxied("/stable").header("X-Backend")).isEqualTo("demo");
        assertThat(server.registry().services()).singleElement()
                .satisfies(s -> assertThat(s.destinations().get(0).port()).isEqualTo(demo.port()));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            reconfigure?servicePath=/a&port=80                          | 400 | serviceName parameter is mandatory.
            reconfigure?serviceName=x&port=80                           | 409 | When using reqMode http, servicePath or serviceDomain are mandatory
            reconfigure?serviceName=x&servicePath=/a                    | 400 | port: missing (expected: 1-65535; or httpsPort)
            reconfigure?serviceName=x&servicePath=/a&port=70000         | 400 | port: '70000' (expected: 1-65535)
            reconfigure?serviceName=x&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=abc | 400 | port.2: 'abc' (expected: 1-65535)
            reconfigure?serviceName=x&servicePath=demo&port=80          | 400 | servicePath: 'demo' (expected: a path starting with /)
            reconfigure?serviceName=x&serviceDomain=ex%20ample.com&port=80 | 400 | serviceDomain: 'ex ample.com' (expected: a host name such as example.com, *.example.com or *example.com)
            reconfigure?serviceName=x&servicePath=/&port=80&pathType=path_glob | 400 | pathType: 'path_glob' is not supported yet (supported: path_beg, path, path_dir, path_end, path_sub, path_reg)
            reconfigure?serviceName=x&reqMode=udp&srcPort=6379&port=6379 | 400 | reqMode: 'udp' (expected: http, tcp or sni)
            reconfigure?serviceName=x&reqMode=sni&srcPort=8443&port=443&servicePath=a.test&pathType=req_ssl_sni%20-m%20glob | 400 | pathType: 'req_ssl_sni -m glob' (expected: req_ssl_sni with -i and -m str, beg, end, sub or reg, for reqMode=sni)
            remove                                                      | 400 | The serviceName query is mandatory
            """)
    void rejectsWithDfpsStatusAndMessage(String request, int status, String message) throws Exception {
        HttpResponse<String> answer = api("/v1/docker-flow-proxy/" + request);

        assertThat(answer.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(keys(body)).containsExactlyElementsOf(RESPONSE_KEYS);
        assertThat(body.get("Status").asText()).isEqualTo("NOK");
        assertThat(body.get("Message").asText()).isEqualTo(message);
        assertThat(server.registry().services()).isEmpty();
    }

    @Test
    void namesTheRejectedServiceInTheAnswer() throws Exception {
        JsonNode body = JSON.readTree(reconfigure("serviceName=named&port=80").body());

        assertThat(body.get("ServiceName").asText()).isEqualTo("named");
    }

    @Test
    void showsTheRoutingTableAsText() throws Exception {
        reconfigure("serviceName=go-demo&servicePath=/demo&port=8080");
        reconfigure("serviceName=web&serviceDomain=example.com&port=80");

        HttpResponse<String> config = api("/v1/docker-flow-proxy/config");

        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(config.body().lines().toList()).containsExactly(
                "# Swarmgate routing table: 2 services, 2 routes",
                "HOST         PATH PREFIX  PORT  SERVICE  BACKEND",
                "example.com  /            *     web      web:80",
                "*            /demo        *     go-demo  go-demo:8080");
    }

    @Test
    void listsStoredServicesAsJson() throws Exception {
        reconfigure("serviceName=zeta&servicePath=/z&port=80&users=alice:secret");
        reconfigure("serviceName=alpha&servicePath=/a&port=80");

        HttpResponse<String> config = api("/v1/docker-flow-proxy/config?type=JSON");

        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode services = JSON.readTree(config.body());
        assertThat(keys(services)).containsExactly("alpha", "zeta");
        JsonNode zeta = services.get("zeta");
        assertThat(zeta.get("ServiceName").asText()).isEqualTo("zeta");
        assertThat(zeta.get("AclName").asText()).isEqualTo("zeta");
        assertThat(zeta.get("ServiceDest").get(0).get("PathType").asText()).isEqualTo("path_beg");
        assertThat(zeta.get("Users").get(0).get("Password").asText()).isEqualTo("***");
        assertThat(config.body()).doesNotContain("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE"})
    void answersPingToAnyMethod(String method) throws Exception {
        HttpResponse<String> ping = call(server, method, "/v1/docker-flow-proxy/ping");

        assertThat(ping.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(ping.body());
        assertThat(keys(body)).containsExactlyElementsOf(RESPONSE_KEYS);
        assertThat(body.get("Status").asText()).isEqualTo("OK");
        assertThat(body.get("ServiceDest").isNull()).isTrue();
    }

    @Test
    void redirectsATrailingSlashAndAnswers404ForUnknownPaths() throws Exception {
        HttpResponse<String> redirect = api("/v1/docker-flow-proxy/reconfigure/?serviceName=x");
        HttpResponse<String> unknown = api("/v1/docker-flow-proxy/unknown");
        HttpResponse<String> unknownWithSlash = api("/v1/docker-flow-proxy/unknown/");

        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location"))
                .hasValue("/v1/docker-flow-proxy/reconfigure?serviceName=x");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("404 page not found\n");
        assertThat(unknownWithSlash.statusCode()).isEqualTo(404);
    }

    @Test
    void answersEveryRequestOnOneKeepAliveConnection() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(server.apiPort())) {
            connection.setReadTimeout(5000);
            for (int i = 0; i < 300; i++) {
                String target = i % 2 == 0
                        ? "/v1/docker-flow-proxy/reconfigure?serviceName=s" + i % 7 + "&servicePath=/&port=80"
                        : "/v1/docker-flow-proxy/ping";
                assertThat(connection.exchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n").status())
                        .as("request %d", i)
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void answersDfpsHealthCheckOnceStarted() throws Exception {
        HttpResponse<String> check = api("/v1/docker-flow-proxy/successfulinitreload");

        assertThat(check.statusCode()).isEqualTo(200);
        assertThat(check.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1/docker-flow-proxy/reconfigure?serviceName=%zz",
        "GET /v1/docker-flow-proxy/reconfigure%zz?serviceName=a", "PUT /v1/docker-flow-proxy/cert?certName=%zz"})
    void rejectsAMalformedRequestTarget(String requestLine) throws Exception {
        RawHttpConnection.Response answer;
        try (RawHttpConnection connection = RawHttpConnection.open(server.apiPort())) {
            answer = connection.exchange(requestLine + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
        }

        assertThat(answer.status()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("Message").asText()).startsWith("malformed request target: ");
    }

    @Test
    void keepsSemicolonsInValues() throws Exception {
        reconfigure("serviceName=hsts&servicePath=/&port=80&addResHeader=Strict-Transport-Security%20max-age=1;"
                + "%20includeSubDomains");

        ServiceSpec stored = server.registry().services().get(0);
        assertThat(stored.addResHeader()).containsExactly("Strict-Transport-Security max-age=1; includeSubDomains");
    }
}

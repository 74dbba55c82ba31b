package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TlsTestClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS as Docker Flow Proxy users set it up: a :ssl port, certificates in a directory and put through the API. */
class HttpsTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path certs;
    @TempDir
    Path secrets;
    private TestBackend backend;
    private SwarmgateServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(certs.resolve("a.test.pem"), TestCertificates.pem("a.test"));
        Files.writeString(certs.resolve("broken.pem"), TestCertificates.mismatched("broken.test"));
        Files.writeString(secrets.resolve("cert-s.test"), TestCertificates.pem("s.test"));
        Files.writeString(secrets.resolve("unrelated"), "not a certificate");
        backend = TestBackend.start("b");
        server = SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(0), certs, secrets)), Map.of());
        assertThat(api("GET", "/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/&port="
                + backend.port() + "&outboundHostname=127.0.0.1", "").statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.stop();
        backend.close();
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int httpsPort() {
        return server.httpsPorts().get(0);
    }

    @Test
    void servesTheCertificatesOfTheDirectoryAndTheSecretsSkippingBadOnes() throws Exception {
        try (TlsTestClient a = TlsTestClient.open(httpsPort(), "a.test");
             TlsTestClient s = TlsTestClient.open(httpsPort(), "s.test");
             TlsTestClient broken = TlsTestClient.open(httpsPort(), "broken.test")) {
            assertThat(a.serverNames()).containsExactly("a.test");
            assertThat(s.serverNames()).containsExactly("s.test");
            assertThat(broken.serverNames()).containsExactly("a.test"); // skipped: the default answers
            assertThat(a.exchange("GET /x HTTP/1.1\r\nHost: a.test\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ").contains("x-forwarded-proto: https\n");
        }
    }

    @Test
    void aCertificatePutThroughTheApiServesTheNextHandshakeAndIsSaved() throws Exception {
        String pem = TestCertificates.pem("new.test");

        HttpResponse<String> put = api("PUT", "/v1/docker-flow-proxy/cert?certName=new.test", pem);

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{\"Status\":\"OK\",\"Message\":\"\",\"Certs\":null}");
        try (TlsTestClient client = TlsTestClient.open(httpsPort(), "new.test")) {
            assertThat(client.serverNames()).containsExactly("new.test");
        }
        assertThat(Files.readString(certs.resolve("new.test"))).isEqualTo(pem);
        JsonNode listed = JSON.readTree(api("GET", "/v1/docker-flow-proxy/certs", "").body());
        assertThat(listed.get("Status").asText()).isEqualTo("OK");
        assertThat(listed.get("Certs")).extracting(c -> c.get("ProxyServiceName").asText())
                .containsExactly("a.test.pem", "cert-s.test", "new.test");
        assertThat(listed.toString()).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
    }

    @Test
    void refusesWhatCannotBeServedAndKeepsTheOldCertificate() throws Exception {
        HttpResponse<String> mismatched = api("PUT", "/v1/docker-flow-proxy/cert?certName=a.test.pem",
                TestCertificates.mismatched("a.test"));
        assertThat(mismatched.statusCode()).isEqualTo(400);
        assertThat(mismatched.body()).contains("the private key does not match the first certificate");
        assertThat(api("PUT", "/v1/docker-flow-proxy/cert", TestCertificates.pem("x.test")).body())
                .contains("Query parameter certName is mandatory");
        assertThat(api("PUT", "/v1/docker-flow-proxy/cert?certName=x", "").body()).contains("Body is empty");
        try (TlsTestClient a = TlsTestClient.open(httpsPort(), "a.test")) {
            assertThat(a.exchange("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void aServiceBringsItsCertificateForItsFirstDomain() throws Exception {
        String pem = TestCertificates.pem("shop.test");
        String oneLine = pem.replace("\n", "\\n"); // as a label carries it
        HttpResponse<String> answer = api("GET", "/v1/docker-flow-proxy/reconfigure?serviceName=shop"
                + "&serviceDomain=shop.test&servicePath=/&port=" + backend.port() + "&outboundHostname=127.0.0.1"
                + "&serviceCert=" + URLEncoder.encode(oneLine, StandardCharsets.UTF_8), "");

        assertThat(answer.statusCode()).isEqualTo(200);
        try (TlsTestClient shop = TlsTestClient.open(httpsPort(), "shop.test")) {
            assertThat(shop.serverNames()).containsExactly("shop.test");
            assertThat(shop.exchange("GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        }
        assertThat(Files.readString(certs.resolve("shop.test"))).isEqualTo(pem);
        assertThat(JSON.readTree(api("GET", "/v1/docker-flow-proxy/certs", "").body()).get("Certs"))
                .extracting(c -> c.get("ProxyServiceName").asText()).contains("shop.test");
    }

    @Test
    void aServiceWithACertificateThatCannotBeServedIsRefusedWhole() throws Exception {
        HttpResponse<String> answer = api("GET", "/v1/docker-flow-proxy/reconfigure?serviceName=shop"
                + "&serviceDomain=shop.test&servicePath=/&port=" + backend.port() + "&serviceCert="
                + URLEncoder.encode(TestCertificates.mismatched("shop.test"), StandardCharsets.UTF_8), "");

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("serviceCert: ").contains("does not match");
        assertThat(server.registry().services()).extracting(ServiceSpec::serviceName).containsExactly("web");
        try (TlsTestClient shop = TlsTestClient.open(httpsPort(), "shop.test")) {
            assertThat(shop.serverNames()).containsExactly("a.test");
        }
    }

    @Test
    void preferredCertificatesComeFirstAndTheFirstIsTheDefault() throws Exception {
        Files.writeString(certs.resolve("z.test.pem"), TestCertificates.pem("z.test", "shared.test"));
        Files.writeString(certs.resolve("m.test.pem"), TestCertificates.pem("m.test", "shared.test"));
        try (SwarmgateServer preferring = SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(0), certs, secrets)), Map.of("PREFERRED_CERTIFICATE", "z*,m*"))) {
            int port = preferring.httpsPorts().get(0);
            try (TlsTestClient unnamed = TlsTestClient.open(port, "unknown.test");
                 TlsTestClient shared = TlsTestClient.open(port, "shared.test");
                 TlsTestClient a = TlsTestClient.open(port, "a.test")) {
                assertThat(unnamed.serverNames()).containsExactly("z.test", "shared.test");
                assertThat(shared.serverNames()).containsExactly("z.test", "shared.test");
                assertThat(a.serverNames()).containsExactly("a.test");
            }
        }
        try (TlsTestClient byName = TlsTestClient.open(httpsPort(), "unknown.test")) {
            assertThat(byName.serverNames()).containsExactly("a.test");
        }
    }
}

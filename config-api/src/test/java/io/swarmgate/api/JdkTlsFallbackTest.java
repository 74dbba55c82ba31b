package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TlsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar carries OpenSSL for linux x86_64 and aarch64 alone: on any other platform, or when it cannot load, HTTPS is
 * served by the JDK's TLS. A process of its own, since OpenSSL is loaded once per JVM.
 */
class JdkTlsFallbackTest {
    private static final Pattern HTTPS_PORT = Pattern.compile("HTTPS on \\[(\\d+)]");

    @TempDir
    Path certs;

    @Test
    void servesHttpsWithTheJdksTlsWhenOpenSslDoesNotLoad() throws Exception {
        Files.writeString(certs.resolve("a.test.pem"), TestCertificates.pem("a.test"));
        try (TestBackend backend = TestBackend.start("b");
             SwarmgateProcess swarmgate = SwarmgateProcess.start(Map.of("DEFAULT_PORTS", "0,0:ssl",
                     "CERTS_DIR", certs.toString(), "DISCOVERY", "off",
                     // what Netty does when its native library is missing for the platform
                     "JAVA_TOOL_OPTIONS", "-Dio.netty.handler.ssl.noOpenSsl=true"))) {
            String log = String.join("\n", swarmgate.startUpLog());
            assertThat(log).contains("HTTPS by the JDK's TLS, OpenSSL did not load");
            Matcher https = HTTPS_PORT.matcher(log);
            assertThat(https.find()).isTrue();
            HttpResponse<String> reconfigured = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + swarmgate.apiPort() + "/v1/docker-flow-proxy/reconfigure?serviceName=web"
                            + "&servicePath=/&port=" + backend.port() + "&outboundHostname=127.0.0.1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reconfigured.statusCode()).isEqualTo(200);

            try (TlsTestClient client = TlsTestClient.open(Integer.parseInt(https.group(1)), "a.test")) {
                assertThat(client.serverNames()).containsExactly("a.test");
                assertThat(client.exchange("GET /x HTTP/1.1\r\nHost: a.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
            }
        }
    }
}

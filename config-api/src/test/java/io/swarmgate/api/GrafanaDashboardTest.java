package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TestDnsServer;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard in the repository queries only metrics that {@code /metrics} publishes. */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "grafana", "swarmgate.json");
    private static final Pattern METRIC = Pattern.compile("\\bswarmgate_[a-z0-9_]+");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path certs;

    @Test
    void everyMetricTheDashboardQueriesIsPublished() throws Exception {
        List<String> expressions = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")
                .forEach(panel -> panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText())));
        assertThat(expressions).hasSizeGreaterThan(10).allMatch(expr -> METRIC.matcher(expr).find());

        Set<String> queried = new TreeSet<>();
        expressions.forEach(expr -> {
            Matcher metric = METRIC.matcher(expr);
            while (metric.find()) {
                queried.add(metric.group());
            }
        });
        assertThat(published()).containsAll(queried);
    }

    /**
     * The names {@code /metrics} publishes once a server has served what each panel charts: a task-balanced service
     * with a dead task (ejections, retries), a 5xx, a certificate, a configuration change, and a service with route
     * policies that count what they refuse.
     */
    private Set<String> published() throws Exception {
        Files.writeString(certs.resolve("a.test.pem"), TestCertificates.pem("a.test"));
        try (TestDnsServer dns = TestDnsServer.start(); TestBackend task = TestBackend.start("task1", "127.0.0.1", 0)) {
            dns.set("tasks.web", "127.0.0.1", "127.0.0.2"); // nothing listens on .2
            SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral()
                    .withTls(new TlsSettings(List.of(0), certs, certs))
                    .withReplicas(new ReplicaSettings("proxy", dns.address(), List.of(),
                            ReplicaSettings.DEFAULT_RELOAD_INTERVAL)), Map.of());
            try {
                String api = "http://127.0.0.1:" + server.apiPort();
                assertThat(get(api + "/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/web&port="
                        + task.port() + "&discoveryType=DNS")).contains("\"Status\":\"OK\"");
                assertThat(get(api + "/v1/docker-flow-proxy/reconfigure?serviceName=guards&servicePath=/guards&port="
                        + task.port() + "&rateLimit=1/s&concurrencyLimit=10&breakerErrorRatio=50"
                        + "&authUrl=http://127.0.0.1:1/verify")).contains("\"Status\":\"OK\"");
                task.answerWith(503);
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    RawHttpConnection.get(server.proxyPorts().get(0), "localhost", "/web");
                    return get(api + "/metrics").contains("swarmgate_tasks{service=\"web\",state=\"ejected\"}");
                });
                Set<String> names = new TreeSet<>();
                get(api + "/metrics").lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                        .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
                return names;
            } finally {
                server.stop();
            }
        }
    }

    private static String get(String uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}

package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.TestSwarm;
import io.swarmgate.testing.TlsTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The repository's {@code stack.yml}, deployed as its comments say ({@code docker stack deploy}) on the test bed's
 * one-node swarm, with what its variables let a user change: the image built by {@code scripts/build-image.sh}, the
 * sample service on the test bed's busybox, ports in host mode on free ports (the test bed has no IPVS for the ingress
 * mesh), and one proxy replica (a second could not take the same host ports on the one node). The sample service must
 * answer through the proxy over HTTP and HTTPS, and the proxy task pass its image's health check.
 */
class StackDeployIT {
    private static final String DEMO_PAGE = "hello from the demo service\n";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void deploysTheStackFileWhoseProxyRoutesItsSampleServiceOverHttpAndHttps() throws Exception {
        String problem = EndToEndSwarm.problem();
        if (problem != null) {
            TestSwarm.unavailable(problem);
        }
        String stack = TestSwarm.uniqueName("e2e-stack");
        int httpPort = EndToEndSwarm.freePort();
        int httpsPort = EndToEndSwarm.freePort();
        String image = SwarmgateImage.build();
        Map<String, String> variables = Map.of("SWARMGATE_IMAGE", image,
                "DEMO_IMAGE", WebService.IMAGE, "PORT_MODE", "host", "HTTP_PORT", Integer.toString(httpPort),
                "HTTPS_PORT", Integer.toString(httpsPort), "PROXY_REPLICAS", "1");
        String proxy = stack + "_proxy";
        try {
            DockerCli.run(variables, List.of("stack", "deploy", "--resolve-image", "never", "-c",
                    SwarmgateImage.repository().resolve("stack.yml").toString(), stack));

            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .until(() -> DEMO_PAGE.equals(get(httpPort, "/demo/").body()));
            try (TlsTestClient tls = TlsTestClient.open(httpsPort, "localhost")) {
                assertThat(tls.exchange("GET /demo/ HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                        .startsWith("HTTP/1.1 200 ").endsWith(DEMO_PAGE);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> "healthy".equals(DockerCli.run("inspect",
                    "--format", "{{.State.Health.Status}}", DockerCli.containersOf(proxy).get(0))));
            assertThat(DockerCli.run("image", "inspect", "--format", "{{.Config.User}}", image))
                    .as("the image's user").isEqualTo("65532:65532");
        } catch (AssertionError | RuntimeException e) {
            System.out.println("The proxy's last log lines:\n"
                    + DockerCli.run("service", "logs", "--tail", "60", proxy));
            throw e;
        } finally {
            DockerCli.run("stack", "rm", stack);
            await().atMost(Duration.ofSeconds(30)).until(() -> DockerCli.lines("service", "ls", "-q", "--filter",
                    "label=com.docker.stack.namespace=" + stack).isEmpty());
        }
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.swarmgate.e2e;

import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.TestSwarm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Swarmgate as a Swarm service of the test bed ({@code .ci/testbed.sh}), with its data port published in host mode,
 * the only address of the swarm the host sends traffic to (overlay addresses are not the host's to reach). The proxy
 * discovers its backends through the mounted Docker socket. Without the test bed the tests fail when {@code CI} is
 * set and are skipped otherwise. Every service made here carries a label of this run and is removed after the class.
 */
final class EndToEndSwarm implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
        TestWatcher {
    private static final String RUN_LABEL = "io.swarmgate.e2e-run";
    private static final String RUN = UUID.randomUUID().toString();
    private static final List<String> IMAGES =
            List.of(WebService.IMAGE, WebService.NEXT_IMAGE, SwarmgateImage.JRE_IMAGE);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String problem; // why there is no swarm to test with
    private String proxy;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) {
        problem = problem();
        if (problem != null) {
            if (System.getenv("CI") != null) {
                TestSwarm.unavailable(problem);
            }
            return;
        }
        port = freePort();
        proxy = TestSwarm.uniqueName("e2e-proxy");
        create(List.of("--name", proxy, "--network", "proxy",
                "--publish", "mode=host,published=" + port + ",target=80",
                "--mount", "type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock",
                // As stack.yml: the image's unprivileged user may not open the socket (root:docker, 0660).
                "--user", "root",
                SwarmgateImage.build()));
    }

    /** Skips each test, so that every one is reported with the reason. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (problem != null) {
            TestSwarm.unavailable(problem);
        }
    }

    /** The proxy's log explains most failures, and it goes with the service. */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.out.println("The proxy's last log lines:\n" + DockerCli.run("service", "logs", "--tail", "60", proxy));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (proxy == null) {
            return; // skipped or failed before anything was created
        }
        List<String> ours = DockerCli.lines("service", "ls", "-q", "--filter", "label=" + RUN_LABEL + "=" + RUN);
        if (!ours.isEmpty()) {
            List<String> remove = new ArrayList<>(List.of("service", "rm"));
            remove.addAll(ours);
            DockerCli.run(remove);
        }
    }

    /** The proxy's data plane as the host reaches it: loopback, on the port published in host mode. */
    URI proxyUrl(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** What the proxy's {@code /metrics} says about retries and ejections for {@code web}, read in its container. */
    String proxyHealthMetrics(WebService web) {
        String metrics = api(DockerCli.containersOf(proxy).get(0), "/metrics");
        String series = "{service=\"" + web.name() + "\"}";
        return metrics.lines()
                .filter(line -> line.startsWith("swarmgate_retries_total" + series)
                        || line.startsWith("swarmgate_task_ejections_total" + series))
                .collect(Collectors.joining(", "));
    }

    /**
     * A GET of a Swarmgate container's configuration API, sent from inside it: the API port is not published.
     *
     * @throws IllegalStateException unless the answer is a 200
     */
    static String api(String container, String pathAndQuery) {
        return DockerCli.run("exec", container, "wget", "-q", "-O", "-", "http://127.0.0.1:8080" + pathAndQuery);
    }

    /** As {@link #api(String, String)}, to an API protected by {@code CONFIG_API_TOKEN=token}. */
    static String api(String container, String pathAndQuery, String token) {
        return DockerCli.run("exec", container, "wget", "-q", "-O", "-", "--header", "Authorization: Bearer " + token,
                "http://127.0.0.1:8080" + pathAndQuery);
    }

    /**
     * Another Swarmgate service of {@code replicas} tasks on {@code proxy}, with its own name as {@code SERVICE_NAME}
     * and nothing published: reached through {@link #api} only. Returns its containers once each one's API answers and
     * Docker's DNS names every task in {@code tasks.<name>}.
     */
    List<String> createProxyReplicas(int replicas, String... environment) {
        return createProxyReplicas(replicas, List.of(), environment);
    }

    /** As {@link #createProxyReplicas(int, String...)}, with more {@code docker service create} options. */
    List<String> createProxyReplicas(int replicas, List<String> options, String... environment) {
        String name = TestSwarm.uniqueName("e2e-replicas");
        List<String> arguments = new ArrayList<>(List.of("--name", name, "--network", "proxy", "--replicas",
                Integer.toString(replicas), "--env", "SERVICE_NAME=" + name));
        arguments.addAll(options);
        for (String variable : environment) {
            arguments.addAll(List.of("--env", variable));
        }
        arguments.add(SwarmgateImage.build());
        create(arguments);
        // A replica took over 20 s to start on the shared 2-core test machine at load 20: the bound is generous.
        await().atMost(Duration.ofSeconds(180)).ignoreExceptions().until(() -> {
            List<String> containers = DockerCli.containersOf(name);
            containers.forEach(container -> api(container, "/v1/docker-flow-proxy/ping"));
            return containers.size() == replicas && containers.stream().allMatch(container -> DockerCli.run(
                    "exec", container, "nslookup", "tasks." + name, "127.0.0.11").lines()
                    .filter(line -> line.startsWith("Address: ")).count() == replicas);
        });
        return DockerCli.containersOf(name);
    }

    /** The service of a container {@link #createProxyReplicas} made. */
    static String serviceOf(String container) {
        return DockerCli.run("inspect", "--format", "{{index .Config.Labels \"com.docker.swarm.service.name\"}}",
                container);
    }

    /** A GET through the proxy, as the host sends it. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(proxyUrl(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A busybox httpd service of {@code replicas} tasks that Swarmgate routes at {@code /<its name>/}; returns once
     * they all run and the proxy answers for the service (it may still be starting: until it listens, Docker's port
     * publisher accepts connections and closes them).
     */
    WebService createRoutedWeb(int replicas) {
        WebService web = new WebService(TestSwarm.uniqueName("e2e-web"));
        create(web.createArguments(replicas));
        await().atMost(Duration.ofSeconds(60)).until(() -> web.runningTasks().size() == replicas);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(web.path()).statusCode() == 200);
        return web;
    }

    /** A service of this run, removed with the others after the class. */
    static void create(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("service", "create", "--detach", "--no-resolve-image",
                "--label", RUN_LABEL + "=" + RUN));
        command.addAll(arguments);
        DockerCli.run(command);
    }

    /** Why the test bed cannot run the end-to-end tests, or {@code null} when it can. */
    static String problem() {
        try {
            DockerCli.run("version", "--format", "{{.Server.Version}}"); // fails saying why no engine answers
            if (!"true".equals(DockerCli.run("info", "--format", "{{.Swarm.ControlAvailable}}"))) {
                return "the Docker engine is not a swarm manager";
            }
            for (String image : IMAGES) {
                if (DockerCli.run("images", "-q", image).isEmpty()) {
                    return "the image " + image + " is missing";
                }
            }
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** A port free on every host address right now, for Docker to publish on. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

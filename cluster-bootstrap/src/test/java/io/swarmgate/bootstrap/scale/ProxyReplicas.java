package io.swarmgate.bootstrap.scale;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.lab.LabLayout;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Swarmgate's replicas on the lab nodes, asked through their own configuration API. The API's port is not published,
 * and the host must not send to overlay addresses: so each replica is asked from inside its container ({@code docker
 * exec wget} on 127.0.0.1:8080), through the engine of the node it runs on.
 */
public final class ProxyReplicas implements Closeable {
    private static final String API = "http://127.0.0.1:8080";

    private final String service;
    private final List<Engine> nodes;

    public ProxyReplicas(String service, int nodes) {
        this.service = service;
        this.nodes = IntStream.rangeClosed(1, nodes).mapToObj(node -> Engine.connect(LabLayout.engine(node)))
                .toList();
    }

    /** {@code swarmgate_retries_total} of a routed service, summed over the replicas. */
    public long retries(String routed) {
        return sum("swarmgate_retries_total", routed);
    }

    /** {@code swarmgate_task_ejections_total} of a routed service, summed over the replicas. */
    public long ejections(String routed) {
        return sum("swarmgate_task_ejections_total", routed);
    }

    /** Each replica's {@code config/version} answer, node by node. */
    public List<String> versions() {
        return nodes.stream().map(ProxyReplicas.this::version).toList();
    }

    /** The {@code config/version} answer of the replica on node K (1-based). */
    public String version(int node) {
        return version(nodes.get(node - 1));
    }

    /** The lines of the replica on node K's log that name a routed service's failed requests, the last 20 of them. */
    public List<String> failures(int node, String routed) {
        String container = container(nodes.get(node - 1));
        List<String> lines = new ArrayList<>();
        try {
            nodes.get(node - 1).api().logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(2000)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            String line = new String(frame.getPayload(), StandardCharsets.UTF_8).strip();
                            if (line.contains(" for service " + routed + ":")) {
                                lines.add(line);
                            }
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }

    private String version(Engine node) {
        return get(node, "/v1/docker-flow-proxy/config/version");
    }

    private long sum(String counter, String routed) {
        return nodes.stream().mapToLong(node -> counter(get(node, "/metrics"), counter, routed)).sum();
    }

    /** The value of a counter's series for one service in a Prometheus scrape; 0 when it has none yet. */
    static long counter(String scrape, String name, String routed) {
        String series = name + "{service=\"" + routed + "\"} ";
        return scrape.lines().filter(line -> line.startsWith(series))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(series.length()).trim()))
                .sum();
    }

    private String container(Engine node) {
        List<Container> containers = node.api().listContainersCmd()
                .withLabelFilter(Map.of("com.docker.swarm.service.name", service)).exec();
        if (containers.size() != 1) {
            throw new IllegalStateException(node.uri() + ": " + containers.size() + " container(s) of " + service);
        }
        return containers.get(0).getId();
    }

    private String get(Engine node, String path) {
        String exec = node.api().execCreateCmd(container(node)).withAttachStdout(true)
                .withAttachStderr(true).withCmd("wget", "-q", "-O", "-", API + path).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            node.api().execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString();
    }

    @Override
    public void close() {
        nodes.forEach(Engine::close);
    }
}

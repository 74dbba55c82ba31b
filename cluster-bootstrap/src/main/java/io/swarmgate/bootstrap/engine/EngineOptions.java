package io.swarmgate.bootstrap.engine;

import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.lab.LabLayout;
import java.util.List;
import picocli.CommandLine.Option;

/** Which engines a command talks to: the local lab's, or endpoints given; the first one is the manager. */
public final class EngineOptions {
    @Option(names = "--lab", description = "use the engines of the local lab (see `lab up`)")
    private boolean lab;

    @Option(names = "--engine", paramLabel = "URI", description = "a Docker endpoint (unix:///path, tcp://host:2376 "
            + "with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as for the docker CLI); repeatable, the first is the "
            + "manager. Default: DOCKER_HOST, else unix:///var/run/docker.sock")
    private List<String> engines;

    public boolean lab() {
        return lab;
    }

    /** The endpoints, the manager's first. */
    public List<String> endpoints() {
        if (lab) {
            if (engines != null) {
                throw new BootstrapException("--lab and --engine exclude each other");
            }
            List<Integer> nodes = LabLayout.existingNodes();
            if (nodes.isEmpty()) {
                throw new BootstrapException("--lab: no lab here; run `lab up --nodes 3` first");
            }
            return nodes.stream().map(LabLayout::engine).toList();
        }
        if (engines != null && !engines.isEmpty()) {
            return engines;
        }
        String dockerHost = System.getenv("DOCKER_HOST");
        return List.of(dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost);
    }

    /** A client of the manager, answering or failing with what to do. */
    public Engine manager() {
        Engine engine = Engine.connect(endpoints().get(0));
        if (!engine.answers()) {
            engine.close();
            throw new BootstrapException("no Docker engine answers at " + endpoints().get(0)
                    + (lab ? " (is the lab up? `lab up --nodes 3`)" : ""));
        }
        return engine;
    }
}

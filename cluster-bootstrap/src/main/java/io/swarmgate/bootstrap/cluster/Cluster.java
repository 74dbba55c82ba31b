package io.swarmgate.bootstrap.cluster;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeSpec;
import com.github.dockerjava.api.model.SwarmNodeState;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.Wait;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A swarm over given engines: {@code swarm init} on the first (advertising its address, with an explicit overlay
 * address pool), the next ones joined as managers, the rest as workers, labels on every node, then a bounded wait
 * until every node is Ready. Engines already in this swarm are left alone.
 */
public final class Cluster {
    private static final Duration NODES_READY = Duration.ofSeconds(60);
    private static final int SWARM_PORT = 2377;

    private final Console console;

    public Cluster(Console console) {
        this.console = console;
    }

    /** One engine of the swarm to be: its endpoint and the address it advertises (null: the engine chooses). */
    public record Member(String endpoint, String advertiseAddress) {
    }

    public void up(List<Member> members, int managers, String pool, Map<String, String> nodeLabels) {
        if (managers < 1 || managers > members.size()) {
            throw new BootstrapException("--managers " + managers + " (expected: 1-" + members.size() + ")");
        }
        List<Engine> engines = members.stream().map(member -> answering(member.endpoint())).toList();
        try {
            Engine first = engines.get(0);
            init(first, members.get(0), pool);
            Set<String> nodeIds = first.api().listSwarmNodesCmd().exec().stream().map(SwarmNode::getId)
                    .collect(Collectors.toSet());
            SwarmInfo managerInfo = first.api().infoCmd().exec().getSwarm();
            String managerAddress = managerInfo.getNodeAddr() + ":" + SWARM_PORT;
            var tokens = first.api().inspectSwarmCmd().exec().getJoinTokens();
            for (int i = 1; i < engines.size(); i++) {
                boolean manager = i < managers;
                join(engines.get(i), members.get(i), nodeIds, manager ? tokens.getManager() : tokens.getWorker(),
                        managerAddress, manager ? "manager" : "worker");
            }
            awaitReady(first, engines.size());
            label(first, nodeLabels);
        } finally {
            engines.forEach(Engine::close);
        }
    }

    /** Every engine leaves its swarm: the others first, the first (the manager that made it) last. */
    public void down(List<String> endpoints) {
        for (int i = endpoints.size() - 1; i >= 0; i--) {
            try (Engine engine = Engine.connect(endpoints.get(i))) {
                if (!engine.answers()) {
                    console.unchanged("engine " + engine.uri() + ": not answering, skipped");
                    continue;
                }
                LocalNodeState state = engine.api().infoCmd().exec().getSwarm().getLocalNodeState();
                if (state == LocalNodeState.INACTIVE) {
                    console.unchanged("engine " + engine.uri() + ": already outside any swarm");
                } else {
                    engine.api().leaveSwarmCmd().withForceEnabled(true).exec();
                    console.did("engine " + engine.uri() + ": left the swarm");
                }
            }
        }
    }

    private void init(Engine engine, Member member, String pool) {
        SwarmInfo swarm = engine.api().infoCmd().exec().getSwarm();
        if (swarm.getLocalNodeState() == LocalNodeState.ACTIVE) {
            if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
                throw new BootstrapException("engine " + engine.uri() + " is a worker of a swarm; the first engine "
                        + "must be a manager (or run `cluster down` first)");
            }
            console.unchanged("engine " + engine.uri() + ": already manager of swarm " + clusterId(engine)
                    + " at " + swarm.getNodeAddr());
            return;
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("ListenAddr", "0.0.0.0:" + SWARM_PORT);
        if (member.advertiseAddress() != null) {
            request.put("AdvertiseAddr", member.advertiseAddress());
        }
        request.put("DefaultAddrPool", List.of(pool));
        request.put("SubnetSize", 24);
        request.put("Spec", Map.of());
        // docker-java's InitializeSwarmCmd has no DefaultAddrPool: the request is sent as the API defines it.
        engine.post("/swarm/init", request);
        SwarmInfo made = engine.api().infoCmd().exec().getSwarm();
        console.did("engine " + engine.uri() + ": swarm " + clusterId(engine) + " initialised, advertising "
                + made.getNodeAddr() + ", overlay pool " + pool);
    }

    private void join(Engine engine, Member member, Set<String> nodeIds, String token, String managerAddress,
            String role) {
        SwarmInfo swarm = engine.api().infoCmd().exec().getSwarm();
        if (swarm.getLocalNodeState() == LocalNodeState.ACTIVE) {
            if (!nodeIds.contains(swarm.getNodeID())) {
                throw new BootstrapException("engine " + engine.uri() + " is in another swarm; run `cluster down` "
                        + "for it first");
            }
            boolean isManager = Boolean.TRUE.equals(swarm.getControlAvailable());
            console.unchanged("engine " + engine.uri() + ": already in the swarm as "
                    + (isManager ? "manager" : "worker"));
            return;
        }
        var join = engine.api().joinSwarmCmd().withJoinToken(token).withRemoteAddrs(List.of(managerAddress))
                .withListenAddr("0.0.0.0:" + SWARM_PORT);
        if (member.advertiseAddress() != null) {
            join.withAdvertiseAddr(member.advertiseAddress());
        }
        join.exec();
        console.did("engine " + engine.uri() + ": joined as " + role + " via " + managerAddress);
    }

    private void awaitReady(Engine manager, int expected) {
        String state = Wait.until(expected + " nodes Ready", NODES_READY, console, () -> {
            List<SwarmNode> nodes = manager.api().listSwarmNodesCmd().exec();
            long ready = nodes.stream().filter(node -> node.getStatus().getState() == SwarmNodeState.READY).count();
            String description = ready + " of " + nodes.size() + " node(s) Ready";
            return ready >= expected ? Wait.State.done(description) : Wait.State.waiting(description);
        });
        console.did("swarm: " + state);
    }

    private void label(Engine manager, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return;
        }
        for (SwarmNode node : manager.api().listSwarmNodesCmd().exec()) {
            SwarmNodeSpec spec = node.getSpec();
            Map<String, String> merged = new HashMap<>(spec.getLabels() == null ? Map.of() : spec.getLabels());
            String hostname = node.getDescription().getHostname();
            if (merged.entrySet().containsAll(labels.entrySet())) {
                console.unchanged("node " + hostname + ": labels " + labels + " already there");
                continue;
            }
            merged.putAll(labels);
            manager.api().updateSwarmNodeCmd().withSwarmNodeId(node.getId())
                    .withVersion(node.getVersion().getIndex())
                    .withSwarmNodeSpec(spec.withLabels(merged)).exec();
            console.did("node " + hostname + ": labelled " + labels);
        }
    }

    private static Engine answering(String endpoint) {
        Engine engine = Engine.connect(endpoint);
        if (!engine.answers()) {
            engine.close();
            throw new BootstrapException("no Docker engine answers at " + endpoint);
        }
        return engine;
    }

    private static String clusterId(Engine manager) {
        return manager.api().inspectSwarmCmd().exec().getId();
    }
}

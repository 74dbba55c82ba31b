package io.swarmgate.bootstrap.scale;

import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.lab.LabLayout;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Which lab node to cut off the bridge ({@code lab partition}) so that the rest of the swarm works on. */
public final class LinkCuts {
    private LinkCuts() {
    }

    /**
     * The highest-numbered of the lab's {@code nodes} that is neither the swarm's leader (cutting it off would stop
     * every change until the others elect another) nor running a task of {@code service} (the other nodes' Swarmgate
     * could not reach it).
     */
    public static int nodeToCut(Engine manager, String service, int nodes) {
        Set<String> spared = manager.api().listTasksCmd().withServiceFilter(service).exec().stream()
                .filter(task -> task.getDesiredState() == TaskState.RUNNING).map(Task::getNodeId)
                .collect(Collectors.toSet());
        List<SwarmNode> swarm = manager.api().listSwarmNodesCmd().exec();
        swarm.stream().filter(node -> node.getManagerStatus() != null && node.getManagerStatus().isLeader())
                .forEach(node -> spared.add(node.getId()));
        Set<String> candidates = swarm.stream().filter(node -> !spared.contains(node.getId()))
                .map(node -> node.getDescription().getHostname()).collect(Collectors.toSet());
        return IntStream.rangeClosed(1, nodes).filter(node -> candidates.contains(LabLayout.hostname(node))).max()
                .orElseThrow(() -> new IllegalStateException("no node to cut: all of " + nodes + " lead or run "
                        + service));
    }
}

package io.swarmgate.bootstrap.cluster;

import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.engine.Engine;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;

/** The swarm as its manager sees it: nodes (role, state, leader) and services (running of desired tasks). */
public final class ClusterStatus {
    private ClusterStatus() {
    }

    public static void print(Engine manager, PrintWriter out) {
        SwarmInfo swarm = manager.api().infoCmd().exec().getSwarm();
        if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
            throw new BootstrapException("engine " + manager.uri() + " is not a swarm manager (state "
                    + swarm.getLocalNodeState() + "); run `cluster up` first");
        }
        out.printf("swarm %s, manager %s%n", manager.api().inspectSwarmCmd().exec().getId(), swarm.getNodeAddr());
        out.printf("%-16s %-8s %-8s %-10s %s%n", "NODE", "ROLE", "STATE", "AVAIL", "MANAGER");
        List<SwarmNode> nodes = manager.api().listSwarmNodesCmd().exec().stream()
                .sorted(Comparator.comparing(node -> node.getDescription().getHostname())).toList();
        for (SwarmNode node : nodes) {
            String managerStatus = node.getManagerStatus() == null ? ""
                    : node.getManagerStatus().isLeader() ? "Leader" : String.valueOf(
                            node.getManagerStatus().getReachability()).toLowerCase(java.util.Locale.ROOT);
            out.printf("%-16s %-8s %-8s %-10s %s%n", node.getDescription().getHostname(),
                    lower(node.getSpec().getRole()), lower(node.getStatus().getState()),
                    lower(node.getSpec().getAvailability()), managerStatus);
        }
        List<Service> services = manager.api().listServicesCmd().exec().stream()
                .sorted(Comparator.comparing(service -> service.getSpec().getName())).toList();
        out.printf("%-24s %-9s %s%n", "SERVICE", "RUNNING", "IMAGE");
        for (Service service : services) {
            List<Task> tasks = manager.api().listTasksCmd().withServiceFilter(service.getId()).exec();
            long desired = tasks.stream().filter(task -> task.getDesiredState() == TaskState.RUNNING).count();
            long running = tasks.stream().filter(task -> task.getDesiredState() == TaskState.RUNNING
                    && task.getStatus().getState() == TaskState.RUNNING).count();
            out.printf("%-24s %-9s %s%n", service.getSpec().getName(), running + "/" + desired,
                    service.getSpec().getTaskTemplate().getContainerSpec().getImage());
        }
        out.flush();
    }

    private static String lower(Object value) {
        return String.valueOf(value).toLowerCase(java.util.Locale.ROOT);
    }
}

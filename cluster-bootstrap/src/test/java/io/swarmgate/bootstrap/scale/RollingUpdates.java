package io.swarmgate.bootstrap.scale;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.service.Services;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code docker service update --force}, waited for: every task replaced, one after the other, as Swarm rolls. */
public final class RollingUpdates {
    private static final Duration POLL = Duration.ofMillis(250);

    private RollingUpdates() {
    }

    /**
     * Forces one rolling update of the service and waits until it completed with {@code replicas} tasks running
     * that it started; fails at once when Swarm rolled it back or paused it. Answers how long it took.
     */
    public static Duration force(Engine manager, String name, int replicas, Duration timeout) {
        Service service = Services.find(manager, name).orElseThrow();
        Set<String> before = running(manager, name).stream().map(Task::getId).collect(Collectors.toSet());
        ServiceSpec spec = service.getSpec();
        TaskSpec template = spec.getTaskTemplate();
        int force = template.getForceUpdate() == null ? 0 : template.getForceUpdate();
        long started = System.nanoTime();
        manager.api().updateServiceCmd(service.getId(), spec.withTaskTemplate(template.withForceUpdate(force + 1)))
                .withVersion(service.getVersion().getIndex()).exec();
        await("update " + (force + 1) + " of " + name).atMost(timeout).pollInterval(POLL)
                .until(() -> completed(manager, name, replicas, before));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static boolean completed(Engine manager, String name, int replicas, Set<String> before) {
        Service service = Services.find(manager, name).orElseThrow();
        ServiceUpdateState state = service.getUpdateStatus() == null ? null : service.getUpdateStatus().getState();
        if (state != null && state != ServiceUpdateState.UPDATING && state != ServiceUpdateState.COMPLETED) {
            throw new IllegalStateException(name + ": update " + state + ": "
                    + service.getUpdateStatus().getMessage());
        }
        long replaced = running(manager, name).stream().filter(task -> !before.contains(task.getId())).count();
        return state == ServiceUpdateState.COMPLETED && replaced >= replicas;
    }

    private static List<Task> running(Engine manager, String name) {
        return manager.api().listTasksCmd().withServiceFilter(name).exec().stream()
                .filter(task -> task.getDesiredState() == TaskState.RUNNING
                        && task.getStatus().getState() == TaskState.RUNNING)
                .toList();
    }
}

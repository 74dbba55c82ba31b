package io.swarmgate.bootstrap.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.Wait;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Services made idempotent: the wanted spec's digest is a label of the service, so a second run with the same spec
 * leaves it alone, and a changed spec becomes a rolling update (as its update_config says).
 */
public final class Services {
    public static final String SPEC_LABEL = "io.swarmgate.bootstrap.spec-sha256";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Services() {
    }

    /** What {@link #apply} did. */
    public enum Outcome {
        CREATED, UPDATED, UNCHANGED
    }

    public static Optional<Service> find(Engine manager, String name) {
        return manager.api().listServicesCmd().withNameFilter(List.of(name)).exec().stream()
                .filter(service -> name.equals(service.getSpec().getName())).findFirst();
    }

    /** Creates the service, or updates it when its spec changed; says which. */
    public static Outcome apply(Engine manager, ServiceSpec wanted, Console console) {
        Map<String, String> labels = new HashMap<>(wanted.getLabels() == null ? Map.of() : wanted.getLabels());
        labels.remove(SPEC_LABEL);
        String digest = digest(wanted.withLabels(labels));
        labels.put(SPEC_LABEL, digest);
        ServiceSpec spec = wanted.withLabels(labels);
        Optional<Service> existing = find(manager, spec.getName());
        if (existing.isEmpty()) {
            manager.api().createServiceCmd(spec).exec();
            console.did("service " + spec.getName() + ": created (" + image(spec) + ")");
            return Outcome.CREATED;
        }
        Service service = existing.get();
        if (digest.equals(service.getSpec().getLabels() == null ? null
                : service.getSpec().getLabels().get(SPEC_LABEL))) {
            console.unchanged("service " + spec.getName() + ": unchanged");
            return Outcome.UNCHANGED;
        }
        manager.api().updateServiceCmd(service.getId(), spec).withVersion(service.getVersion().getIndex()).exec();
        console.did("service " + spec.getName() + ": updated, rolling (" + image(spec) + ")");
        return Outcome.UPDATED;
    }

    /**
     * Waits until {@code replicas} tasks of the service run its current image and no update is under way; fails at
     * once when Swarm rolled an update back or paused it.
     */
    public static void awaitConverged(Engine manager, String name, int replicas, Duration timeout, Console console) {
        String state = Wait.until("service " + name + " to run " + replicas + " task(s)", timeout, console, () -> {
            Service service = find(manager, name)
                    .orElseThrow(() -> new BootstrapException("service " + name + " is gone"));
            String update = service.getUpdateStatus() == null || service.getUpdateStatus().getState() == null ? ""
                    : String.valueOf(service.getUpdateStatus().getState()).toLowerCase(java.util.Locale.ROOT);
            if (update.startsWith("rollback") || update.equals("paused")) {
                throw new BootstrapException("service " + name + ": update " + update + ": "
                        + service.getUpdateStatus().getMessage());
            }
            String image = image(service.getSpec());
            List<Task> tasks = manager.api().listTasksCmd().withServiceFilter(service.getId()).exec();
            long running = tasks.stream().filter(task -> task.getDesiredState() == TaskState.RUNNING
                    && task.getStatus().getState() == TaskState.RUNNING
                    && image.equals(task.getSpec().getContainerSpec().getImage())).count();
            String errors = tasks.stream().filter(task -> task.getDesiredState() == TaskState.RUNNING)
                    .map(task -> task.getStatus().getErr()).filter(err -> err != null && !err.isBlank())
                    .findFirst().map(err -> "; task error: " + err).orElse("");
            String description = running + " of " + replicas + " task(s) running" + errors;
            boolean updating = update.equals("updating");
            return running >= replicas && !updating ? Wait.State.done(description) : Wait.State.waiting(description);
        });
        console.did("service " + name + ": " + state);
    }

    /** The image a spec runs (a running task carries it pinned, as the manager resolved it). */
    public static String image(ServiceSpec spec) {
        return spec.getTaskTemplate().getContainerSpec().getImage();
    }

    private static String digest(ServiceSpec spec) {
        try {
            byte[] json = JSON.writeValueAsBytes(spec);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the spec of " + spec.getName(), e);
        }
    }
}

package io.swarmgate.e2e;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A busybox httpd service, {@code --endpoint-mode dnsrr} on the overlay {@code proxy}, labelled for discovery with
 * {@code com.df.discoveryType=DNS} so that Swarmgate balances over its tasks. Each task answers its own task ID, which
 * tells the tests which task served a request.
 */
final class WebService {
    static final String IMAGE = "swarmgate-testbed/busybox:1";
    /** The same files under another tag: updating to it replaces every task, as a new release does. */
    static final String NEXT_IMAGE = "swarmgate-testbed/busybox:2";
    private static final String SERVE_TASK_ID = "mkdir -p /www$SERVICE_PATH"
            + " && echo $TASK_ID > /www$SERVICE_PATH/index.html && exec httpd -f -p 8080 -h /www";

    private final String name;

    WebService(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The path Swarmgate routes to this service. */
    String path() {
        return "/" + name + "/";
    }

    /** What follows {@code docker service create} to make this service. */
    List<String> createArguments(int replicas) {
        return List.of("--name", name, "--network", "proxy", "--endpoint-mode", "dnsrr",
                "--replicas", Integer.toString(replicas),
                // No grace: a stopping task is killed at once, the harshest case for the proxy (and httpd, as PID 1,
                // would ignore SIGTERM anyway).
                "--stop-grace-period", "0s",
                "--label", "com.df.notify=true", "--label", "com.df.servicePath=/" + name,
                "--label", "com.df.port=8080", "--label", "com.df.discoveryType=DNS",
                "--env", "TASK_ID={{.Task.ID}}", "--env", "SERVICE_PATH=/" + name,
                IMAGE, "sh", "-c", SERVE_TASK_ID);
    }

    /** The IDs of the tasks that run now and are meant to. */
    Set<String> runningTasks() {
        return DockerCli.lines("service", "ps", "--no-trunc", "--filter", "desired-state=running",
                        "--format", "{{.ID}} {{.CurrentState}}", name).stream()
                .filter(line -> line.contains(" Running"))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .collect(Collectors.toSet());
    }

    /** Starts a rolling update to {@code image}, one task at a time, in this order; returns at once. */
    void startUpdate(String image, String order) {
        DockerCli.run("service", "update", "--detach", "--no-resolve-image", "--image", image,
                "--update-order", order, name);
    }

    /** Asks Swarm for {@code replicas} tasks; returns at once. */
    void scale(int replicas) {
        DockerCli.run("service", "scale", "--detach", name + "=" + replicas);
    }

    void remove() {
        DockerCli.run("service", "rm", name);
    }

    /** Kills one task's container at once (SIGKILL), as a crash would; Swarm starts a new task in its place. */
    void killOneTask() {
        DockerCli.run("kill", DockerCli.containersOf(name).get(0));
    }

    /** {@code completed} once a rolling update has finished; empty before the first. */
    String updateState() {
        return DockerCli.run("service", "inspect", "--format", "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}",
                name);
    }
}

package io.swarmgate.proxy.upstream;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the proxy learns the addresses of a service's running tasks, for the backends that {@linkplain Backend#tasks
 * balance over them}, instead of resolving {@code tasks.<service>}: e.g. Swarm's tasks API, which follows scaling and
 * rolling updates as soon as a task runs and tells of a change without waiting for the next lookup. A source that does
 * not know a service leaves it to DNS, as without a source.
 */
public interface TaskAddresses {
    /** Knows no service: every task-balanced backend resolves {@code tasks.<service>}. */
    TaskAddresses DNS = service -> Optional.empty();

    /**
     * The addresses of the running tasks of {@code service} (as {@link Backend#host()} names it, in lower case), an
     * empty list when it has none; or empty when this source does not know, and {@code tasks.<service>} is resolved
     * instead. Called on an event loop each time the proxy refreshes the service's tasks (when a request finds them
     * older than the refresh interval, when a task fails, and when {@linkplain #watch told} of a change): answer from
     * memory, never block.
     */
    Optional<List<InetAddress>> running(String service);

    /**
     * Called once by each proxy that starts with this source, with where to tell it of changes: {@code
     * changed.accept(service)} makes the proxy read {@link #running} again at once for every backend of that service,
     * without waiting for the refresh interval. By default the proxy is never told and reads at its own pace.
     */
    default void watch(Consumer<String> changed) {
    }

    /**
     * A request to one of the tasks of {@code service} failed (refused, reset or silent): a task may have gone without
     * the source hearing of it (Swarm sends no event when a task dies on another node), and a source that polls may
     * look again soon. Called on an event loop: return at once. By default nothing happens.
     */
    default void failed(String service) {
    }
}

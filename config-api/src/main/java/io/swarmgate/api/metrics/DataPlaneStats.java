package io.swarmgate.api.metrics;

import io.swarmgate.proxy.TaskState;
import java.util.List;

/**
 * The data plane's counts at one moment, for Docker Flow Proxy's statistics (the CSV and the page).
 *
 * @param openConnections  client connections open now
 * @param connections      client connections accepted since the start
 * @param all              every exchange, those no route took included
 * @param services         each routed service, by name
 * @param tasks            the tasks of task-balanced services
 */
public record DataPlaneStats(long openConnections, long connections, ServiceStats all, List<ServiceStats> services,
                             List<TaskState> tasks) {
}

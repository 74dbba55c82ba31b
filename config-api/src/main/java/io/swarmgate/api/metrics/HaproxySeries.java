package io.swarmgate.api.metrics;

import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.TaskState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The series of HAProxy's Prometheus exporter that Docker Flow Proxy's {@code /metrics} served, from Swarmgate's own
 * counts, so that dashboards and alert rules written for DFP (Docker Flow Monitor's among them) work unchanged: the
 * frontend {@code services}, one backend per service named as DFP names it ({@code <aclName>-be<port>_<index>}, of
 * the service's first destination), and one server per task of a task-balanced service.
 *
 * <p>Served: {@code haproxy_up}; {@code haproxy_frontend_current_sessions}, {@code _connections_total},
 * {@code _bytes_in_total}, {@code _bytes_out_total}, {@code _http_requests_total}, {@code _http_responses_total};
 * {@code haproxy_backend_up}, {@code _sessions_total}, {@code _bytes_in_total}, {@code _bytes_out_total},
 * {@code _retry_warnings_total}, {@code _http_responses_total}, and {@code _current_sessions} for task-balanced
 * services; {@code haproxy_server_up} and {@code haproxy_server_current_sessions} for their tasks. The rest (queues,
 * session rates and limits, weights, health-check times, redispatches, denials) has no counterpart here: there is no
 * queue, no weight and no reload, and those series are absent rather than a constant that would mislead an alert.
 */
final class HaproxySeries {
    private static final String FRONTEND = "services";
    private static final String[] CODES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};

    private final StringBuilder text = new StringBuilder(4096);

    private HaproxySeries() {
    }

    /** The series in Prometheus' text format, each family with its HELP and TYPE lines. */
    static String render(DataPlaneStats stats, List<ServiceSpec> services) {
        Map<String, String> backends = new HashMap<>();
        services.forEach(s -> backends.put(s.serviceName(), backendName(s)));
        HaproxySeries series = new HaproxySeries();
        series.family("haproxy_up", "gauge", "Whether the proxy answers (always 1: there is no HAProxy to scrape).")
                .sample("haproxy_up", "", 1);
        series.frontend(stats);
        series.backends(stats, backends);
        series.servers(stats, backends);
        return series.text.toString();
    }

    /** DFP's name for the backend of a service's first destination. */
    private static String backendName(ServiceSpec service) {
        String acl = service.aclName().isEmpty() ? service.serviceName() : service.aclName();
        if (service.destinations().isEmpty()) {
            return acl + "-be";
        }
        DestinationSpec first = service.destinations().get(0);
        int port = first.port() != 0 ? first.port() : first.httpsPort();
        return acl + "-be" + port + "_" + first.index();
    }

    private void frontend(DataPlaneStats stats) {
        String labels = "frontend=\"" + FRONTEND + "\"";
        gauge("haproxy_frontend_current_sessions", "Current number of active sessions.", labels,
                stats.openConnections());
        counter("haproxy_frontend_connections_total", "Total number of connections.", labels, stats.connections());
        counter("haproxy_frontend_bytes_in_total", "Current total of incoming bytes.", labels,
                stats.all().receivedBytes());
        counter("haproxy_frontend_bytes_out_total", "Current total of outgoing bytes.", labels,
                stats.all().sentBytes());
        counter("haproxy_frontend_http_requests_total", "Total HTTP requests.", labels, stats.all().requests());
        family("haproxy_frontend_http_responses_total", "counter", "Total of HTTP responses.");
        responses("haproxy_frontend_http_responses_total", labels, stats.all());
    }

    private void backends(DataPlaneStats stats, Map<String, String> backends) {
        family("haproxy_backend_up", "gauge", "Current health status of the backend (1 = UP, 0 = DOWN).");
        for (ServiceStats service : stats.services()) {
            List<TaskState> tasks = tasksOf(stats, service.service());
            boolean up = tasks.isEmpty() || tasks.stream().anyMatch(TaskState::healthy);
            sample("haproxy_backend_up", backendLabels(backends, service.service()), up ? 1 : 0);
        }
        family("haproxy_backend_current_sessions", "gauge", "Current number of active sessions.");
        for (ServiceStats service : stats.services()) {
            List<TaskState> tasks = tasksOf(stats, service.service());
            if (!tasks.isEmpty()) {
                sample("haproxy_backend_current_sessions", backendLabels(backends, service.service()),
                        tasks.stream().mapToInt(TaskState::inFlight).sum());
            }
        }
        perBackend(stats, backends, "haproxy_backend_sessions_total", "Total number of sessions.",
                ServiceStats::requests);
        perBackend(stats, backends, "haproxy_backend_bytes_in_total", "Current total of incoming bytes.",
                ServiceStats::receivedBytes);
        perBackend(stats, backends, "haproxy_backend_bytes_out_total", "Current total of outgoing bytes.",
                ServiceStats::sentBytes);
        perBackend(stats, backends, "haproxy_backend_retry_warnings_total", "Total of retry warnings.",
                ServiceStats::retries);
        family("haproxy_backend_http_responses_total", "counter", "Total of HTTP responses.");
        for (ServiceStats service : stats.services()) {
            responses("haproxy_backend_http_responses_total", backendLabels(backends, service.service()), service);
        }
    }

    private void perBackend(DataPlaneStats stats, Map<String, String> backends, String name, String help,
                            ToLongFunction<ServiceStats> value) {
        family(name, "counter", help);
        for (ServiceStats service : stats.services()) {
            sample(name, backendLabels(backends, service.service()), value.applyAsLong(service));
        }
    }

    private void servers(DataPlaneStats stats, Map<String, String> backends) {
        family("haproxy_server_up", "gauge", "Current health status of the server (1 = UP, 0 = DOWN).");
        for (TaskState task : stats.tasks()) {
            sample("haproxy_server_up", serverLabels(backends, task), task.healthy() ? 1 : 0);
        }
        family("haproxy_server_current_sessions", "gauge", "Current number of active sessions.");
        for (TaskState task : stats.tasks()) {
            sample("haproxy_server_current_sessions", serverLabels(backends, task), task.inFlight());
        }
    }

    private static List<TaskState> tasksOf(DataPlaneStats stats, String service) {
        return stats.tasks().stream().filter(t -> t.service().equals(service)).toList();
    }

    private static String backendLabels(Map<String, String> backends, String service) {
        return "backend=\"" + escaped(backends.getOrDefault(service, service + "-be")) + "\"";
    }

    private static String serverLabels(Map<String, String> backends, TaskState task) {
        return backendLabels(backends, task.service()) + ",server=\"" + escaped(task.task()) + "\"";
    }

    private void responses(String name, String labels, ServiceStats stats) {
        for (int i = 0; i < CODES.length; i++) {
            sample(name, labels + ",code=\"" + CODES[i] + "\"", stats.responses()[i]);
        }
    }

    private void gauge(String name, String help, String labels, long value) {
        family(name, "gauge", help).sample(name, labels, value);
    }

    private void counter(String name, String help, String labels, long value) {
        family(name, "counter", help).sample(name, labels, value);
    }

    private HaproxySeries family(String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    private HaproxySeries sample(String name, String labels, long value) {
        text.append(name);
        if (!labels.isEmpty()) {
            text.append('{').append(labels).append('}');
        }
        text.append(' ').append(value).append('\n');
        return this;
    }

    /** Prometheus' label value escapes. */
    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

package io.swarmgate.api.stats;

import io.swarmgate.api.metrics.DataPlaneStats;
import io.swarmgate.api.metrics.ServiceStats;
import io.swarmgate.proxy.TaskState;
import java.util.Locale;

/** The statistics as a page for people: one table of services, one of tasks. */
final class StatsHtml {
    private StatsHtml() {
    }

    static String render(DataPlaneStats stats) {
        StringBuilder html = new StringBuilder(2048)
                .append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Swarmgate statistics</title>")
                .append("<style>body{font-family:sans-serif}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #999;padding:2px 6px;text-align:right}td:first-child{text-align:left}")
                .append("</style></head><body>\n<h1>Swarmgate statistics</h1>\n")
                .append("<p>Client connections open: ").append(stats.openConnections())
                .append(", accepted since the start: ").append(stats.connections()).append("</p>\n")
                .append("<table><tr><th>Service</th><th>Status</th><th>Requests</th><th>1xx</th><th>2xx</th>")
                .append("<th>3xx</th><th>4xx</th><th>5xx</th><th>Cut off</th><th>Bytes in</th><th>Bytes out</th>")
                .append("<th>Retries</th><th>Mean time (ms)</th></tr>\n");
        serviceRow(html, "All requests", "", stats.all());
        for (ServiceStats service : stats.services()) {
            boolean down = stats.tasks().stream().filter(t -> t.service().equals(service.service()))
                    .noneMatch(TaskState::healthy)
                    && stats.tasks().stream().anyMatch(t -> t.service().equals(service.service()));
            serviceRow(html, service.service(), down ? "DOWN" : "UP", service);
        }
        html.append("</table>\n");
        if (!stats.tasks().isEmpty()) {
            html.append("<h2>Tasks</h2>\n<table><tr><th>Service</th><th>Task</th><th>Status</th>")
                    .append("<th>Requests in flight</th><th>Pooled connections</th></tr>\n");
            for (TaskState task : stats.tasks()) {
                html.append("<tr><td>").append(escape(task.service())).append("</td><td>")
                        .append(escape(task.task())).append("</td><td>").append(task.healthy() ? "UP" : "DOWN")
                        .append("</td><td>").append(task.inFlight()).append("</td><td>").append(task.pooled())
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static void serviceRow(StringBuilder html, String name, String status, ServiceStats stats) {
        html.append("<tr><td>").append(escape(name)).append("</td><td>").append(status).append("</td><td>")
                .append(stats.requests()).append("</td>");
        for (long count : stats.responses()) {
            html.append("<td>").append(count).append("</td>");
        }
        html.append("<td>").append(stats.receivedBytes()).append("</td><td>").append(stats.sentBytes())
                .append("</td><td>").append(stats.retries()).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.1f", stats.meanMillis())).append("</td></tr>\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

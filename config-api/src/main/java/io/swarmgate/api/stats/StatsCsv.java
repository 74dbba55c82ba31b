package io.swarmgate.api.stats;

import io.swarmgate.api.metrics.DataPlaneStats;
import io.swarmgate.api.metrics.ServiceStats;
import io.swarmgate.proxy.TaskState;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics in the layout of HAProxy's {@code show stat} CSV, which Docker Flow Proxy's
 * {@code /v1/docker-flow-proxy/metrics} returns: the header line, then {@code services,FRONTEND} (every request), a
 * {@code <service>,BACKEND} row per routed service and a {@code <service>,<task>} row per task of a task-balanced
 * service. Columns Swarmgate has no counterpart for stay empty; every line ends with a comma, as HAProxy's.
 */
public final class StatsCsv {
    /** HAProxy's columns, in its order (the first 62, which later versions only extend). */
    private static final List<String> COLUMNS = List.of("pxname", "svname", "qcur", "qmax", "scur", "smax", "slim",
            "stot", "bin", "bout", "dreq", "dresp", "ereq", "econ", "eresp", "wretr", "wredis", "status", "weight",
            "act", "bck", "chkfail", "chkdown", "lastchg", "downtime", "qlimit", "pid", "iid", "sid", "throttle",
            "lbtot", "tracked", "type", "rate", "rate_lim", "rate_max", "check_status", "check_code",
            "check_duration", "hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other", "hanafail",
            "req_rate", "req_rate_max", "req_tot", "cli_abrt", "srv_abrt", "comp_in", "comp_out", "comp_byp",
            "comp_rsp", "lastsess", "last_chk", "last_agt", "qtime", "ctime", "rtime", "ttime");
    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        for (int i = 0; i < COLUMNS.size(); i++) {
            INDEX.put(COLUMNS.get(i), i);
        }
    }

    private StatsCsv() {
    }

    public static String render(DataPlaneStats stats) {
        StringBuilder csv = new StringBuilder(1024).append("# ");
        COLUMNS.forEach(column -> csv.append(column).append(','));
        csv.append('\n');
        Row frontend = new Row("services", "FRONTEND").counts(stats.all())
                .set("scur", stats.openConnections()).set("stot", stats.connections()).set("status", "OPEN")
                .set("type", 0).set("req_tot", stats.all().requests());
        frontend.appendTo(csv);
        for (ServiceStats service : stats.services()) {
            List<TaskState> tasks = stats.tasks().stream().filter(t -> t.service().equals(service.service())).toList();
            long up = tasks.stream().filter(TaskState::healthy).count();
            Row backend = new Row(service.service(), "BACKEND").counts(service)
                    .set("stot", service.requests()).set("wretr", service.retries()).set("type", 1)
                    .set("status", tasks.isEmpty() || up > 0 ? "UP" : "DOWN")
                    .set("ttime", Math.round(service.meanMillis()));
            if (!tasks.isEmpty()) {
                backend.set("scur", tasks.stream().mapToInt(TaskState::inFlight).sum()).set("act", up);
            }
            backend.appendTo(csv);
            for (TaskState task : tasks) {
                new Row(service.service(), task.task()).set("scur", task.inFlight()).set("type", 2)
                        .set("status", task.healthy() ? "UP" : "DOWN").set("act", task.healthy() ? 1 : 0)
                        .appendTo(csv);
            }
        }
        return csv.toString();
    }

    private static final class Row {
        private final String[] cells = new String[COLUMNS.size()];

        Row(String pxname, String svname) {
            Arrays.fill(cells, "");
            set("pxname", pxname).set("svname", svname);
        }

        Row set(String column, Object value) {
            cells[INDEX.get(column)] = String.valueOf(value);
            return this;
        }

        /** The counts a frontend and a backend share: bytes and answers by status class. */
        Row counts(ServiceStats stats) {
            set("bin", stats.receivedBytes()).set("bout", stats.sentBytes());
            String[] classes = {"hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"};
            for (int i = 0; i < classes.length; i++) {
                set(classes[i], stats.responses()[i]);
            }
            return this;
        }

        void appendTo(StringBuilder csv) {
            for (String cell : cells) {
                csv.append(cell).append(',');
            }
            csv.append('\n');
        }
    }
}

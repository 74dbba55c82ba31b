package io.swarmgate.api.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker Flow Proxy's statistics: the HAProxy CSV on the API, and the page on the data plane. */
class DfpStatisticsTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,"
            + "eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,"
            + "lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,"
            + "hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,"
            + "comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,";
    private static final List<String> COLUMNS = Arrays.asList(HEADER.substring(2).split(","));

    @Test
    void metricsAnswersHaproxysCsvWithTheFrontendAndABackendPerService() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            route(server, "go-demo", "/demo", backend);
            try (RawHttpConnection connection = RawHttpConnection.open(server.proxyPorts().get(0))) {
                connection.exchange("GET /demo/1 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /demo/2 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");

                HttpResponse<String> csv = api(server, "/v1/docker-flow-proxy/metrics");

                assertThat(csv.statusCode()).isEqualTo(200);
                List<String> lines = csv.body().lines().toList();
                assertThat(lines.get(0)).isEqualTo(HEADER);
                Map<String, String> frontend = row(lines, "services,FRONTEND,");
                assertThat(frontend).containsEntry("scur", "1").containsEntry("stot", "1")
                        .containsEntry("status", "OPEN").containsEntry("type", "0")
                        .containsEntry("hrsp_2xx", "2").containsEntry("hrsp_5xx", "1")
                        .containsEntry("req_tot", "3").containsEntry("bin", String.valueOf(2 * 33 + 34))
                        .containsEntry("qcur", "");
                Map<String, String> service = row(lines, "go-demo,BACKEND,");
                assertThat(service).containsEntry("stot", "2").containsEntry("hrsp_2xx", "2")
                        .containsEntry("hrsp_5xx", "0").containsEntry("status", "UP").containsEntry("type", "1")
                        .containsEntry("bin", String.valueOf(2 * 33));
                assertThat(Long.parseLong(service.get("bout"))).isPositive();
                assertThat(lines).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(COLUMNS.size() + 1));
            }
        }
    }

    @Test
    void statsUserAndPassServeThePageAtStatsUriBehindBasicAuth() throws Exception {
        try (TestBackend backend = TestBackend.start("admin");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(),
                     Map.of("STATS_USER", "admin", "STATS_PASS", "s3cret"))) {
            route(server, "go-demo", "/admin", backend);
            int port = server.proxyPorts().get(0);

            RawHttpConnection.Response challenge = RawHttpConnection.get(port, "a", "/admin?stats");
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(challenge.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Statistics\"");
            assertThat(withCredentials(port, "/admin?stats", "admin:wrong").status()).isEqualTo(401);

            RawHttpConnection.Response page = withCredentials(port, "/admin?stats", "admin:s3cret");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(page.bodyText()).contains("<title>Swarmgate statistics</title>").contains("<td>go-demo</td>");

            RawHttpConnection.Response other = RawHttpConnection.get(port, "a", "/admin/users");
            assertThat(other.status()).as("the service's own /admin paths").isEqualTo(200);
            assertThat(other.header("X-Backend")).isEqualTo("admin");
        }
    }

    @Test
    void noneForBothServesThePageWithoutAuthAtItsUriAndUnsetServesNone() throws Exception {
        try (SwarmgateServer open = SwarmgateServer.start(ServerSettings.ephemeral(),
                Map.of("STATS_USER", "none", "STATS_PASS", "none", "STATS_URI", "/stats"));
             SwarmgateServer off = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            assertThat(RawHttpConnection.get(open.proxyPorts().get(0), "a", "/stats").bodyText())
                    .contains("Swarmgate statistics");
            assertThat(RawHttpConnection.get(off.proxyPorts().get(0), "a", "/admin?stats").status())
                    .isEqualTo(503);
        }
        assertThatThrownBy(() -> SwarmgateServer.start(ServerSettings.ephemeral(),
                Map.of("STATS_USER", "none", "STATS_PASS", "none", "STATS_URI", "stats")))
                .hasMessage("STATS_URI: 'stats' (expected: a path starting with /)");
    }

    private static RawHttpConnection.Response withCredentials(int port, String target, String credentials)
            throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(port)) {
            return connection.exchange("GET " + target + " HTTP/1.1\r\nHost: a\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n");
        }
    }

    /** The cells of the line that starts with {@code prefix}, by column name. */
    private static Map<String, String> row(List<String> lines, String prefix) {
        String line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError(prefix + " not in " + lines));
        String[] cells = line.split(",", -1);
        Map<String, String> row = new java.util.HashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            row.put(COLUMNS.get(i), cells[i]);
        }
        return row;
    }

    private static void route(SwarmgateServer server, String service, String path, TestBackend backend)
            throws Exception {
        assertThat(api(server, "/v1/docker-flow-proxy/reconfigure?serviceName=" + service + "&servicePath=" + path
                + "&port=" + backend.port() + "&outboundHostname=127.0.0.1").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> api(SwarmgateServer server, String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}

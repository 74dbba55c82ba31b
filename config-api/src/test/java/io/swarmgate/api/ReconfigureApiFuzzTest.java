package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.RawHttpConnection;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Raw, often malformed, query strings sent to the real API on one keep-alive connection (bad percent escapes,
 * repeated and empty names, control and non-ASCII bytes): each gets a 200, 400 or 409 — never a 500 or a dropped
 * connection — and the API and the table still work afterwards.
 */
class ReconfigureApiFuzzTest {
    private static final int REQUESTS = 3_000;
    private static final String[] PIECES = {"serviceName=", "servicePath=", "port=", "serviceDomain=", "users=",
            "pathType=", "reqMode=", "srcPort=", "httpsPort=", "servicePath.1=", "port.1=", "port.11=", "distribute=",
            "s1", "/x", "8080", "70000", "true", "%", "%2", "%zz", "%2F", "%00", "%C3%A9", "%FF%FE", "+", "&", "&&",
            "=", "==", ";", "a:b", ",", "*.a.test", "..", "%2e%2e", "é", "\t", "'", "\"", "<", "{", "|", "\\"};

    @Test
    void answersEveryMalformedQueryWith200Or400Or409() throws Exception {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        try (SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of());
             RawHttpConnection api = RawHttpConnection.open(server.apiPort())) {
            for (int i = 0; i < REQUESTS; i++) {
                StringBuilder query = new StringBuilder();
                int pieces = random.nextInt(12);
                for (int p = 0; p < pieces; p++) {
                    query.append(PIECES[random.nextInt(PIECES.length)]);
                }
                String target = "/v1/docker-flow-proxy/reconfigure?" + query;
                RawHttpConnection.Response answer = api.exchange("GET " + target.replace(" ", "%20").replace("\t",
                        "%09") + " HTTP/1.1\r\nHost: api\r\n\r\n");
                assertThat(answer.status()).as("seed %d: %s", seed, target).isIn(200, 400, 409);
            }
            RawHttpConnection.Response valid = api.exchange("GET /v1/docker-flow-proxy/reconfigure?serviceName=ok"
                    + "&servicePath=/ok&port=8080 HTTP/1.1\r\nHost: api\r\n\r\n");
            assertThat(valid.status()).isEqualTo(200);
            assertThat(server.registry().services()).anyMatch(s -> s.serviceName().equals("ok"));
        }
    }
}

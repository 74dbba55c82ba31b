package io.swarmgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.swarmgate.proxy.route.RouteTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * 100,000 random reconfigures, each built from Docker Flow Proxy's parameters with values drawn from valid ones,
 * edge cases and noise: every one is applied or refused with a 400 or 409, never anything else, and a refused one
 * leaves the published table and the stored services exactly as they were. The seed is printed on failure.
 */
class ReconfigureFuzzTest {
    private static final int QUERIES = 100_000;
    private static final String[] PARAMETERS = {"aclName", "addReqHeader", "addResHeader", "allowedMethods",
            "backendExtra", "balance", "checkResolvers", "checkTcp", "clitcpka", "compressionAlgo", "compressionType",
            "connectionMode", "delReqHeader", "delResHeader", "deniedMethods", "denyHttp", "discoveryType",
            "distribute", "healthCheckPath", "httpsOnly", "httpsPort", "httpsRedirectCode", "ignoreAuthorization",
            "isDefaultBackend", "outboundHostname", "pathType", "port", "redirectFromDomain",
            "redirectUnlessHttpsProto", "redirectWhenHttpProto", "replicas", "reqMode", "reqPathReplace",
            "reqPathSearch", "reqPathSearchReplace", "serviceCert", "serviceDomain", "serviceDomainAlgo",
            "serviceHeader", "servicePath", "servicePathExclude", "sessionType", "setReqHeader", "setResHeader",
            "srcPort", "sslVerifyNone", "timeoutClient", "timeoutServer", "timeoutTunnel", "userAgent", "userDef",
            "upgradeProtocols", "users", "usersPassEncrypted", "usersSecret", "verifyClientSsl"};
    private static final String[] VALUES = {"", "0", "1", "80", "8080", "65535", "65536", "-1", "true", "false",
            "TRUE", "yes", "/", "/demo", "/demo,/api", "demo", "//x", "/a/../b", "example.com", "*.example.com",
            "a..b", "http", "tcp", "sni", "DNS", "Overlay", "leastconn", "roundrobin", "random", "path_reg", "path",
            "path_beg", "path_dir", "hdr", "^/v[0-9]+/", "(unclosed", "(a+)+$", "a{1001}", "X-A value",
            "X-A %[src]", "Bad(name) v", "admin:pw", "admin", "bob:$6$salt$hash", "GET,POST", "3", "10s", "soon",
            "gzip", "br", "text/html", "http-keep-alive", "http-server-close", "sometimes", "301", "200", "/health",
            "../etc/passwd", "X-V:1", "Mozilla", "%", "%zz", "\u0000", "\r\n", "é", "\uD83D\uDE00",
            "-----BEGIN CERTIFICATE-----", "a".repeat(300), "/" + "x".repeat(5000), "h2c", "websocket,foo/2"};

    private final ReconfigureParameters parser = ReconfigureParameters.defaults();

    @Test
    void onlyAppliesOrRefusesWith400Or409AndARefusalChangesNothing() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        List<RouteTable> published = new ArrayList<>();
        ServiceRegistry registry = new ServiceRegistry(published::add);
        int applied = 0;
        int refused = 0;
        for (int i = 0; i < QUERIES; i++) {
            Map<String, List<String>> query = randomQuery(random);
            RouteTable tableBefore = registry.routes();
            List<ServiceSpec> servicesBefore = registry.services();
            try {
                registry.apply(parser.parse(query));
                applied++;
            } catch (InvalidServiceException e) {
                refused++;
                if (e.httpStatus() != 400 && e.httpStatus() != 409) {
                    fail("seed " + seed + ": " + query + " got " + e.httpStatus() + " " + e.getMessage());
                }
                if (registry.routes() != tableBefore || !registry.services().equals(servicesBefore)) {
                    fail("seed " + seed + ": refused " + query + " yet changed the table");
                }
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + query + " threw", e);
            }
        }
        assertThat(applied).as("valid reconfigures among them").isGreaterThan(QUERIES / 100);
        assertThat(refused).as("invalid ones").isGreaterThan(QUERIES / 10);
    }

    private static Map<String, List<String>> randomQuery(SplittableRandom random) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (random.nextInt(20) > 0) {
            query.put("serviceName", new ArrayList<>(List.of(random.nextInt(10) > 0 ? "s" + random.nextInt(50) : pick(random, VALUES))));
        }
        if (random.nextInt(4) > 0) { // most have what a route needs, so that the rules behind it are reached
            query.put("servicePath", new ArrayList<>(List.of(random.nextInt(5) > 0 ? "/p" + random.nextInt(20)
                    : pick(random, VALUES))));
            query.put("port", new ArrayList<>(List.of(random.nextInt(5) > 0 ? "8080" : pick(random, VALUES))));
        }
        int extra = random.nextInt(6);
        for (int i = 0; i < extra; i++) {
            String name = pick(random, PARAMETERS);
            if (random.nextInt(4) == 0) {
                name += "." + (1 + random.nextInt(11));
            }
            if (random.nextInt(10) == 0) {
                name = name.toLowerCase(Locale.ROOT);
            }
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(pick(random, VALUES));
        }
        return query;
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}

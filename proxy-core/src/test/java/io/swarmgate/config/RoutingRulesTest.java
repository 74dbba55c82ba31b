package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.testing.Credentials;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.time.Duration;
import org.apache.commons.codec.digest.Crypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Docker Flow Proxy's routing rules, configured through the reconfigure parameters and seen through a real socket:
 * what the client gets and what the backend receives.
 */
class RoutingRulesTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b").build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("outboundHostname=127.0.0.1&port="
                + proxy.backend().port() + "&" + parameters)));
    }

    private static Response send(String request) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange(request);
        }
    }

    private static Response get(String path, String... headers) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n" + String.join("", headers) + "\r\n");
    }

    @Test
    void allowedAndDeniedMethodsAnswer403() throws IOException {
        configure("serviceName=methods&servicePath=/methods&allowedMethods=GET,POST&deniedMethods=POST");

        assertThat(get("/methods").status()).isEqualTo(200);
        assertThat(send("POST /methods HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").status()).isEqualTo(403);
        assertThat(send("DELETE /methods HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(403);
    }

    @Test
    void denyHttpRefusesPlainHttp() throws IOException {
        configure("serviceName=tlsonly&servicePath=/tlsonly&denyHttp=true");

        assertThat(get("/tlsonly").status()).isEqualTo(403);
    }

    @Test
    void basicAuthChallengesAndHidesTheCredentialsFromTheBackend() throws IOException {
        String hash = Crypt.crypt("hashed-secret", "$6$saltsalt");
        configure("serviceName=auth&servicePath=/auth&usersPassEncrypted=false&users=alice:wonder");
        configure("serviceName=authhash&servicePath=/authhash&usersPassEncrypted=true&users="
                + "bob:" + hash);

        Response challenged = get("/auth");
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.header("WWW-Authenticate")).isEqualTo("Basic realm=\"authRealm\"");
        assertThat(get("/auth", Credentials.basicHeader("alice", "wrong")).status()).isEqualTo(401);
        assertThat(get("/auth", Credentials.basicHeader("mallory", "wonder")).status()).isEqualTo(401);
        Response admitted = get("/auth", Credentials.basicHeader("alice", "wonder"));
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.bodyText()).doesNotContain("authorization");

        assertThat(get("/authhash", Credentials.basicHeader("bob", "hashed-secret")).status()).isEqualTo(200);
        assertThat(get("/authhash", Credentials.basicHeader("bob", "hashed-secreT")).status()).isEqualTo(401);
    }

    @Test
    void dotSegmentsCannotReachAProtectedRouteUnprotected() throws IOException {
        configure("serviceName=admin&servicePath=/admin&users=root:toor");
        configure("serviceName=public&servicePath=/public");

        assertThat(get("/public/../admin").status()).isEqualTo(401);
        assertThat(get("/public/%2e%2e/admin").status()).isEqualTo(401);
        assertThat(get("/public/..%2Fadmin").status()).isEqualTo(400);
        assertThat(get("/admin/../public/x").bodyText()).startsWith("GET /public/x HTTP/1.1\n");
    }

    @Test
    void aPathThatAnotherRouteTakesOnceItsSeparatorsAreDecodedGets400() throws IOException {
        configure("serviceName=site&servicePath=/site");
        configure("serviceName=site-admin&servicePath=/site/admin&users=root:toor");

        assertThat(get("/site/admin").status()).isEqualTo(401);
        // A backend that reads \, %5C or %2F as / would serve these as /site/admin, past its route's rules.
        assertThat(get("/site\\admin").status()).isEqualTo(400);
        assertThat(get("/site%5Cadmin").status()).isEqualTo(400);
        assertThat(get("/site%2Fadmin/x?a=b").status()).isEqualTo(400);
        // Read either way, these stay with /site: they are forwarded as they came.
        assertThat(get("/site\\about").bodyText()).startsWith("GET /site\\about HTTP/1.1\n");
        assertThat(get("/site/page?next=\\site\\admin").status()).isEqualTo(200);
    }

    @Test
    void pathTypesMatchAsHaproxysPathFetches() throws IOException {
        configure("serviceName=exact&servicePath=/exact&pathType=path");
        configure("serviceName=dir&servicePath=/dir&pathType=path_dir");
        configure("serviceName=images&servicePath=.png,.jpg&pathType=path_end&serviceDomain=img.test");
        configure("serviceName=reg&servicePath=^/v[0-9]+/&pathType=path_reg&serviceDomain=api.test");

        assertThat(served("app.test", "/exact")).isEqualTo(200);
        assertThat(served("app.test", "/exact/more")).isEqualTo(503);
        assertThat(served("app.test", "/dir/x")).isEqualTo(200);
        assertThat(served("app.test", "/directory")).isEqualTo(503);
        assertThat(served("img.test", "/a/b.png?x=1")).isEqualTo(200);
        assertThat(served("img.test", "/a/b.gif")).isEqualTo(503);
        assertThat(served("api.test", "/v2/users")).isEqualTo(200);
        assertThat(served("api.test", "/vx/users")).isEqualTo(503);
    }

    @Test
    @Timeout(10)
    void aPatternThatBacktracksCatastrophicallyElsewhereAnswersAtOnce() throws IOException {
        configure("serviceName=evil&servicePath=^/(a+)+$&pathType=path_reg&serviceDomain=evil.test");
        configure("serviceName=rewrite-evil&servicePath=/rw&serviceDomain=rw.test"
                + "&reqPathSearchReplace=^/rw/(x+x+)+y,/z");
        String attack = "/" + "a".repeat(5_000) + "!";

        long start = System.nanoTime();
        assertThat(served("evil.test", attack)).isEqualTo(503);
        assertThat(served("evil.test", "/aaaa")).isEqualTo(200);
        assertThat(served("rw.test", "/rw/" + "x".repeat(5_000))).isEqualTo(200);
        // java.util.regex needs longer than the age of the universe for either; RE2/J is linear in the input.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aBodyLargerThanTheServiceTakesGets413AndNeverReachesTheBackend() throws IOException {
        configure("serviceName=small&servicePath=/small&maxRequestBodySize=1k");
        int before = proxy.backend().requests();

        Response declared = send("POST /small/declared HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1025\r\n\r\n");
        String chunk = "x".repeat(600);
        Response chunked = send("POST /small/chunked HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
        Response fits = send("POST /small/fits HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1024\r\n\r\n"
                + "y".repeat(1024));

        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.header("Connection")).isEqualTo("close");
        assertThat(declared.bodyText()).contains("larger than this service takes");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(fits.status()).isEqualTo(200);
        assertThat(proxy.backend().requests() - before).as("requests that reached the backend whole")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void compressionAlgoCompressesTheAnswersOfClientsThatAcceptIt() throws IOException {
        configure("serviceName=zipped&servicePath=/zipped&compressionAlgo=deflate gzip");

        Response accepted = get("/zipped/a", "Accept-Encoding: gzip\r\n");
        Response plain = get("/zipped/b");
        Response head;
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            connection.send("HEAD /zipped/c HTTP/1.1\r\nHost: app.test\r\nAccept-Encoding: gzip\r\n\r\n");
            head = connection.readHeadResponse();
        }

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.bodyText()).startsWith("GET /zipped/b");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Encoding")).isNull();
    }

    @Test
    void excludedPathsHeadersAndUserAgentsNarrowADestination() throws IOException {
        configure("serviceName=excl&servicePath=/excl&servicePathExclude=/excl/private");
        configure("serviceName=canary&servicePath=/shop&serviceHeader=X-Version:2&aclName=00-canary");
        configure("serviceName=amiga&servicePath.1=/app&userAgent.1=Amiga&servicePath.2=/app");

        assertThat(served("h.test", "/excl/public")).isEqualTo(200);
        assertThat(served("h.test", "/excl/private/x")).isEqualTo(503);
        assertThat(get("/shop", "X-Version: 2\r\n").status()).isEqualTo(200);
        assertThat(get("/shop", "X-Version: 3\r\n").status()).isEqualTo(503);
        assertThat(get("/app", "User-Agent: Mozilla (AmigaOS 4)\r\n").bodyText()).contains("x-forwarded-host");
        String viaUserAgent = get("/app/x", "User-Agent: Mozilla (AmigaOS 4)\r\n").bodyText();
        String catchAll = get("/app/x", "User-Agent: curl\r\n").bodyText();
        assertThat(registryRoute("/app", "Amiga").index()).isEqualTo(1);
        assertThat(registryRoute("/app", "curl").index()).isEqualTo(2);
        assertThat(viaUserAgent).startsWith("GET /app/x");
        assertThat(catchAll).startsWith("GET /app/x");
    }

    @Test
    void theDefaultBackendTakesWhatNothingElseMatches() throws IOException {
        assertThat(served("nowhere.test", "/unmatched")).isEqualTo(503);
        configure("serviceName=fallback&servicePath=/fallback-only&isDefaultBackend=true");

        assertThat(served("nowhere.test", "/unmatched")).isEqualTo(200);
        registry.remove("fallback");
    }

    @Test
    void domainAlgorithmsOtherThanExact() throws IOException {
        configure("serviceName=beg&serviceDomain=shop&serviceDomainAlgo=hdr_beg(host)");

        assertThat(served("shop.example.org", "/")).isEqualTo(200);
        assertThat(served("myshop.example.org", "/")).isEqualTo(503);
    }

    private static int served(String host, String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").status();
    }

    private static io.swarmgate.proxy.route.Route registryRoute(String path, String userAgent) {
        return registry.routes().find("app.test", path, 80,
                name -> name.equalsIgnoreCase("User-Agent") ? userAgent : null);
    }

    @Test
    void ignoreAuthorizationOpensOneDestination() throws IOException {
        configure("serviceName=mixed&users=alice:wonder&servicePath.1=/private&servicePath.2=/public"
                + "&ignoreAuthorization.2=true");

        assertThat(get("/private").status()).isEqualTo(401);
        assertThat(get("/public").status()).isEqualTo(200);
    }

    @Test
    void redirectsToHttpsKeepingHostPathAndQuery() throws IOException {
        configure("serviceName=secure&servicePath=/secure&httpsOnly=true&httpsRedirectCode=301");
        configure("serviceName=offloaded&servicePath=/offloaded&redirectWhenHttpProto=true");

        Response redirected = get("/secure/a?b=c");
        assertThat(redirected.status()).isEqualTo(301);
        assertThat(redirected.header("Location")).isEqualTo("https://app.test/secure/a?b=c");
        Response viaBalancer = get("/offloaded/x", "X-Forwarded-Proto: http\r\n");
        assertThat(viaBalancer.status()).isEqualTo(302);
        assertThat(viaBalancer.header("Location")).isEqualTo("https://app.test/offloaded/x");
        assertThat(get("/offloaded/x", "X-Forwarded-Proto: https\r\n").status()).isEqualTo(200);
    }

    @Test
    void redirectsOldDomainsToTheFirstServiceDomain() throws IOException {
        configure("serviceName=moved&serviceDomain=new.test&redirectFromDomain=old.test,older.test");

        Response moved = send("GET /page?x=1 HTTP/1.1\r\nHost: OLD.test:80\r\n\r\n");
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.header("Location")).isEqualTo("http://new.test/page?x=1");
    }

    @Test
    void rewritesThePathKeepingTheQueryAndTellsTheBackendThePrefix() throws IOException {
        configure("serviceName=rewrite&servicePath=/api/v1&reqPathSearchReplace=^/api/v1/(.*),/\\1");

        String echoed = get("/api/v1/users/7?sort=a+b").bodyText();
        assertThat(echoed).startsWith("GET /users/7?sort=a+b HTTP/1.1\n").contains("x-forwarded-prefix: /api/v1\n");
    }

    @Test
    void editsRequestHeadersWithSamplesAndResponseHeadersWithLiterals() throws IOException {
        configure("serviceName=headers&servicePath=/headers&delReqHeader=X-Drop&setReqHeader=X-Client %[src]"
                + "&addReqHeader=X-Port %[dst_port],X-Copy \"of %[req.hdr(X-Orig)]\""
                + "&setResHeader=X-Backend hidden&addResHeader=Strict-Transport-Security \"max-age=60\"");

        Response response = get("/headers", "X-Drop: 1\r\nX-Client: forged\r\nX-Orig: abc\r\n");
        assertThat(response.bodyText())
                .doesNotContain("x-drop").doesNotContain("forged")
                .contains("x-client: 127.0.0.1\n")
                .contains("x-port: " + proxy.port() + "\n")
                .contains("x-copy: of abc\n");
        assertThat(response.headerValues("X-Backend")).containsExactly("hidden");
        assertThat(response.header("Strict-Transport-Security")).isEqualTo("max-age=60");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            no body,        0
            small body,     11
            chunked body,   -1
            streamed body,  3000000
            """)
    void authRewriteAndHeaderRulesHoldForEveryKindOfBodyOnAKeptConnection(String kind, int length) throws IOException {
        configure("serviceName=matrix&servicePath=/matrix&users=eve:pw&reqPathSearchReplace=^/matrix/,/"
                + "&addReqHeader=X-Matrix yes");
        String auth = Credentials.basicHeader("eve", "pw");
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            String head = "POST /matrix/upload HTTP/1.1\r\nHost: a\r\n" + auth;
            Response upload;
            if (length < 0) {
                connection.send(head + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
                upload = connection.readResponse();
                assertThat(upload.bodyText()).isEqualTo("received 11");
            } else {
                connection.send(head + "Content-Length: " + length + "\r\n\r\n");
                byte[] chunk = new byte[8192];
                for (int sent = 0; sent < length; sent += chunk.length) {
                    connection.output().write(chunk, 0, Math.min(chunk.length, length - sent));
                }
                upload = connection.readResponse();
                assertThat(upload.bodyText()).isEqualTo("received " + length);
            }
            assertThat(upload.status()).isEqualTo(200);

            String echoed = connection.exchange("GET /matrix/echo?q=1 HTTP/1.1\r\nHost: a\r\n" + auth + "\r\n")
                    .bodyText();
            assertThat(echoed).startsWith("GET /echo?q=1 HTTP/1.1\n").contains("x-matrix: yes\n")
                    .contains("x-forwarded-prefix: /matrix\n").doesNotContain("authorization");
            assertThat(connection.exchange("POST /matrix/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
                    .status()).isEqualTo(401);
        }
    }

    @Test
    void timeoutServerPerDestination() throws IOException {
        configure("serviceName=patient&servicePath=/slow&timeoutServer=1");

        long start = System.nanoTime();
        assertThat(get("/slow").status()).isEqualTo(504);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 5_000L);
    }

    @Test
    void theRequestAfterTheRateLimitsBurstGets429WithRetryAfterAndNeverReachesTheBackend() throws IOException {
        configure("serviceName=limited&servicePath=/limited&rateLimit=1/m&rateLimitBurst=3");
        int before = proxy.backend().requests();

        for (int i = 0; i < 3; i++) {
            assertThat(get("/limited").status()).as("request " + (i + 1)).isEqualTo(200);
        }
        Response refused = get("/limited");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused.bodyText()).contains("Too many requests");
        assertThat(proxy.backend().requests() - before).as("requests that reached the backend").isEqualTo(3);
    }

    @Test
    void aRateLimitByHeaderGivesEachApiKeyItsOwnBucket() throws IOException {
        configure("serviceName=keyed&servicePath=/keyed&rateLimit=1/m&rateLimitBurst=1&rateLimitBy=header:X-Api-Key");

        assertThat(get("/keyed", "X-Api-Key: alpha\r\n").status()).isEqualTo(200);
        assertThat(get("/keyed", "X-Api-Key: alpha\r\n").status()).isEqualTo(429);
        assertThat(get("/keyed", "X-Api-Key: beta\r\n").status()).isEqualTo(200);
        assertThat(get("/keyed").status()).as("without a key: by address").isEqualTo(200);
        assertThat(get("/keyed").status()).isEqualTo(429);
    }

    @Test
    void anEmptiedRateLimitBucketServesAgainOnceATokenIsDue() {
        configure("serviceName=refill&servicePath=/refill&rateLimit=4/s&rateLimitBurst=1");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> get("/refill").status() == 429);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> get("/refill").status() == 200);
    }

    @Test
    void theProxyAnswersACorsPreflightAndEveryAnswerCarriesTheAllowedOrigin() throws IOException {
        configure("serviceName=cors&servicePath=/cors&corsAllowOrigins=https://app.test&corsAllowMethods=PUT"
                + "&corsAllowHeaders=X-Api-Key&corsMaxAge=600&users=alice:wonder");
        int before = proxy.backend().requests();

        Response preflight = send("OPTIONS /cors/items HTTP/1.1\r\nHost: api.test\r\nOrigin: https://app.test\r\n"
                + "Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-api-key\r\n\r\n");
        Response otherOrigin = send("OPTIONS /cors/items HTTP/1.1\r\nHost: api.test\r\nOrigin: https://evil.test\r\n"
                + "Access-Control-Request-Method: PUT\r\n\r\n");
        Response simple = get("/cors/items", "Origin: https://app.test\r\n",
                Credentials.basicHeader("alice", "wonder"));

        assertThat(preflight.status()).as("answered before basic auth: a preflight has no credentials").isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.test");
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST, PUT");
        assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("X-Api-Key");
        assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(otherOrigin.status()).isEqualTo(403);
        assertThat(simple.status()).isEqualTo(200);
        assertThat(simple.header("Access-Control-Allow-Origin")).isEqualTo("https://app.test");
        assertThat(simple.header("Vary")).isEqualTo("Origin");
        assertThat(proxy.backend().requests() - before).as("only the simple request reached the backend").isEqualTo(1);
    }
}

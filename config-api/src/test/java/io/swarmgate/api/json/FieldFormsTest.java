package io.swarmgate.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.api.replicas.ReplicaState;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.Queries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every field set, in every form it leaves the process: the reconfigure answer, {@code /config?type=json} and the
 * replicas' state. The expected texts were first written by the code before the field model (Swarmgate's own fields
 * added since are appended), so these pin DFP's names, order and string forms byte for byte.
 */
class FieldFormsTest {
    /** Every service-level parameter and every destination parameter of an http service, two destinations. */
    static final String EVERY_HTTP_FIELD = "serviceName=shop&aclName=01-shop&addReqHeader=X-A a,X-B b"
            + "&addResHeader=X-C c&checkResolvers=true&compressionAlgo=gzip&compressionType=text/html"
            + "&connectionMode=http-keep-alive&delReqHeader=X-D&delResHeader=X-E&discoveryType=DNS"
            + "&isDefaultBackend=true&proxyInstanceName=docker-flow&redirectWhenHttpProto=true"
            + "&redirectUnlessHttpsProto=true&replicas=3&reqPathSearch=/old&reqPathReplace=/new"
            + "&serviceDomainAlgo=hdr_dom(host)&sessionType=sticky-server&setReqHeader=X-F f&setResHeader=X-G g"
            + "&users=admin:s3cret,bob:pw&usersSecret=admins&balance=leastconn&healthCheckPath=/health"
            + "&maxRequestBodySize=10m&letsencrypt.host=shop.test&letsencrypt.email=ops@shop.test"
            + "&servicePath.1=/a,/b&port.1=8080&serviceDomain.1=shop.test,*.shop.test&allowedMethods.1=GET,POST"
            + "&denyHttp.1=true&httpsPort.1=8443&httpsRedirectCode.1=301&ignoreAuthorization.1=true"
            + "&outboundHostname.1=backend.test&pathType.1=path_beg&redirectFromDomain.1=old.test"
            + "&reqPathSearchReplace.1=/x,/y:/z,/w&serviceHeader.1=X-V:1&servicePathExclude.1=/a/private"
            + "&srcPort.1=8081&srcHttpsPort.1=8444&timeoutServer.1=30&timeoutClient.1=40&timeoutTunnel.1=3600"
            + "&verifyClientSsl.1=true&userAgent.1=curl,Mozilla 5&userDef.1=free&allowedIps.1=10.0.0.0/8,::1/128"
            + "&corsAllowOrigins.1=*&corsAllowMethods.1=PUT&corsAllowHeaders.1=X-Key&corsMaxAge.1=60"
            + "&servicePath.2=/c&port.2=9090&httpsOnly.2=true&deniedMethods.2=DELETE&upgradeProtocols.2=foo"
            + "&deniedIps.2=192.0.2.0/24&rateLimit.2=10/s&rateLimitBurst.2=3&rateLimitBy.2=header:X-Key"
            + "&securityHeaders.1=strict&canaryService.1=shop-v2&canaryWeight.1=5&canaryHeader.1=X-Canary"
            + "&canaryCookie.1=variant&mirrorService.2=shop-shadow:9090&mirrorPercent.2=10"
            + "&authUrl.2=http://auth/v&authRequestHeaders.2=Authorization&authResponseHeaders.2=X-User"
            + "&authTimeout.2=2s&retryAttempts.1=2&retryOn.1=connect,503&retryBackoff.1=100ms&retryBudget.1=20%"
            + "&retryNonIdempotent.1=true&breakerErrorRatio.2=50&breakerLatency.2=p90:1s&breakerMinRequests.2=10"
            + "&breakerWindow.2=5s&breakerOpenFor.2=3s&breakerProbes.2=2&concurrencyLimit.1=10"
            + "&concurrencyLimitPerClient.1=2&backendProxyProtocol.2=v2";
    static final String TCP = "serviceName=redis&reqMode=tcp&srcPort=6379&port=6379&clitcpka=true&checkTcp=true"
            + "&backendProtocol=https&sslVerifyNone=true";
    static final String SNI = "serviceName=tls&reqMode=sni&srcPort=443&port=8443&servicePath=tls.test";
    static final String PLAIN = "serviceName=web&serviceDomain=web.test&port=80&backendProtocol=h2c";

    private static List<ServiceSpec> services() {
        return List.of(Queries.service(EVERY_HTTP_FIELD), Queries.service(TCP), Queries.service(SNI),
                Queries.service(PLAIN));
    }

    @Test
    void theReconfigureAnswerIsDfpsText() throws IOException {
        StringBuilder answers = new StringBuilder();
        for (ServiceSpec service : services()) {
            answers.append(DfpJson.ok(service)).append('\n');
        }
        assertThat(answers.toString()).isEqualTo(expected("reconfigure-answers.jsonl"));
    }

    @Test
    void theConfigListingIsDfpsText() throws IOException {
        List<ServiceSpec> formatted = services().stream().map(ServiceSpec::formatted).toList();
        assertThat(DfpJson.services(formatted, Map.of("broken", "com.df.port: 'x'")) + "\n")
                .isEqualTo(expected("config-listing.json"));
    }

    @Test
    void theStateFileKeepsItsTextAndReadsBack() throws Exception {
        List<ServiceSpec> formatted = services().stream().map(ServiceSpec::formatted).toList();
        ReplicaState state = new ReplicaState("i-1", formatted, Map.of("a.pem", "-----BEGIN x"));

        assertThat(state.toJson() + "\n").isEqualTo(expected("replica-state.json"));
        assertThat(ReplicaState.fromJson(state.toJson(), "test")).isEqualTo(state);
    }

    private static String expected(String name) throws IOException {
        try (InputStream in = FieldFormsTest.class.getResourceAsStream("/field-forms/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

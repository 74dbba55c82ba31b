package io.swarmgate.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.TestCertificates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class DfpJsonTest {
    /** DFP's reconfigure answer, key by key (reference §1.1). */
    public static final List<String> RESPONSE_KEYS = List.of("Status", "Message", "ServiceName",
            "AclName", "AddReqHeader", "AddResHeader", "BackendExtra", "CheckResolvers", "CompressionAlgo",
            "CompressionType", "ConnectionMode", "Debug", "DebugFormat", "DelReqHeader", "DelResHeader",
            "DiscoveryType", "Distribute", "IsDefaultBackend", "ProxyInstanceName", "RedirectWhenHttpProto",
            "RedirectUnlessHttpsProto", "Replicas", "ReqPathReplace", "ReqPathSearch", "ServiceCert",
            "ServiceDomainAlgo", "SessionType", "SetReqHeader", "SetResHeader", "TemplateBePath", "TemplateFePath",
            "UseGlobalUsers", "Users", "ServicePort", "AclCondition", "IsGlobal", "LookupRetry",
            "LookupRetryInterval", "ServiceDest", "Tasks");

    /** DFP's Service as stored: ServiceName in its struct position. */
    static final List<String> SERVICE_KEYS = storedServiceKeys();

    /** DFP's ServiceDest, key by key, then Swarmgate's own: UpgradeProtocols and the route policies. */
    static final List<String> DESTINATION_KEYS = List.of("AllowedMethods", "BalanceGroup", "CheckTCP", "Clitcpka",
            "DeniedMethods", "DenyHttp", "HttpsOnly", "HttpsPort", "HttpsRedirectCode", "IgnoreAuthorization",
            "OutboundHostname", "PathType", "Port", "RedirectFromDomain", "ReqMode", "ReqModeFormatted",
            "ReqPathSearchReplace", "ServiceDomain", "ServiceGroup", "ServiceHeader", "ServicePath",
            "ServicePathExclude", "SrcPort", "SrcHttpsPort", "SrcPortAcl", "SrcPortAclName", "SrcHttpsPortAcl",
            "SrcHttpsPortAclName", "SslVerifyNone", "TimeoutServer", "TimeoutClient", "TimeoutTunnel",
            "VerifyClientSsl", "UserAgent", "UserDef", "Index", "ReqPathSearchReplaceFormatted",
            "IncludeSrcPortACL", "IncludeSrcHttpsPortACL", "UpgradeProtocols", "AllowedIps", "DeniedIps", "RateLimit",
            "RateLimitBurst", "RateLimitBy", "CorsAllowOrigins", "CorsAllowMethods", "CorsAllowHeaders", "CorsMaxAge",
            "SecurityHeaders", "CanaryService", "CanaryWeight", "CanaryHeader", "CanaryCookie",
            "MirrorService", "MirrorPercent",
            "AuthUrl", "AuthRequestHeaders", "AuthResponseHeaders", "AuthTimeout", "RetryAttempts", "RetryOn",
            "RetryBackoff", "RetryBudget", "RetryNonIdempotent", "BreakerErrorRatio", "BreakerLatency",
            "BreakerMinRequests", "BreakerWindow", "BreakerOpenFor", "BreakerProbes", "ConcurrencyLimit",
            "ConcurrencyLimitPerClient", "BackendProxyProtocol");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<String> storedServiceKeys() {
        List<String> keys = new ArrayList<>(RESPONSE_KEYS.subList(3, RESPONSE_KEYS.size()));
        keys.add(keys.indexOf("ServiceDomainAlgo") + 1, "ServiceName");
        return List.copyOf(keys);
    }

    private static ServiceSpec parse(String... pairs) {
        return Queries.service(String.join("&", pairs));
    }

    @Test
    void echoesTheParsedServiceWithDfpsNamesAndOrder() throws Exception {
        JsonNode answer = MAPPER.readTree(DfpJson.ok(parse("serviceName=go-demo", "servicePath=/demo", "port=8080")));

        assertThat(keys(answer)).containsExactlyElementsOf(RESPONSE_KEYS);
        assertThat(keys(answer.get("ServiceDest").get(0))).containsExactlyElementsOf(DESTINATION_KEYS);
        assertThat(answer.get("Status").asText()).isEqualTo("OK");
        assertThat(answer.get("ServiceName").asText()).isEqualTo("go-demo");
        assertThat(answer.get("AclName").asText()).isEmpty();
        assertThat(answer.get("AddReqHeader").isNull()).isTrue();
        assertThat(answer.get("Users").isNull()).isTrue();
        assertThat(answer.get("Tasks").isNull()).isTrue();
        assertThat(answer.get("IsGlobal").asBoolean()).isTrue();
        assertThat(answer.get("Replicas").isInt()).isTrue();
        JsonNode destination = answer.get("ServiceDest").get(0);
        assertThat(destination.get("Port").isTextual()).isTrue();
        assertThat(destination.get("Port").asText()).isEqualTo("8080");
        assertThat(destination.get("PathType").asText()).isEmpty();
        assertThat(destination.get("ReqMode").asText()).isEqualTo("http");
        assertThat(destination.get("ServicePath").toString()).isEqualTo("[\"/demo\"]");
        assertThat(destination.get("AllowedMethods").toString()).isEqualTo("[]");
        assertThat(destination.get("ServiceHeader").toString()).isEqualTo("{}");
        assertThat(destination.get("UserAgent").toString()).isEqualTo("{\"Value\":null,\"AclName\":\"\"}");
        assertThat(destination.get("ReqPathSearchReplaceFormatted").toString()).isEqualTo("[]");
        assertThat(destination.get("SrcPort").isInt()).isTrue();
        assertThat(destination.get("Index").asInt()).isZero();
        assertThat(destination.get("UpgradeProtocols").toString()).isEqualTo("[]");
    }

    @Test
    void echoesTheUpgradeProtocolsAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "upgradeProtocols=foo,Bar/2"))).get("ServiceDest").get(0);

        assertThat(destination.get("UpgradeProtocols").toString()).isEqualTo("[\"foo\",\"Bar/2\"]");
    }

    @Test
    void showsTheClientAddressListsAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "allowedIps=10.0.0.0/8,2001:db8::/32", "deniedIps=10.1.0.0/16"))).get("ServiceDest").get(0);

        assertThat(destination.get("AllowedIps").toString()).isEqualTo("[\"10.0.0.0/8\",\"2001:db8::/32\"]");
        assertThat(destination.get("DeniedIps").toString()).isEqualTo("[\"10.1.0.0/16\"]");
    }

    @Test
    void showsTheRateLimitAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "rateLimit=100/s", "rateLimitBurst=20", "rateLimitBy=header:X-Api-Key"))).get("ServiceDest").get(0);

        assertThat(destination.get("RateLimit").asText()).isEqualTo("100/s");
        assertThat(destination.get("RateLimitBurst").asText()).isEqualTo("20");
        assertThat(destination.get("RateLimitBy").asText()).isEqualTo("header:X-Api-Key");
    }

    @Test
    void showsTheCorsRulesAndTheSecurityPresetAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "corsAllowOrigins=https://app.test", "corsAllowMethods=PUT", "corsAllowHeaders=X-Api-Key",
                "corsMaxAge=600", "securityHeaders=basic"))).get("ServiceDest").get(0);

        assertThat(destination.get("CorsAllowOrigins").toString()).isEqualTo("[\"https://app.test\"]");
        assertThat(destination.get("CorsAllowMethods").toString()).isEqualTo("[\"PUT\"]");
        assertThat(destination.get("CorsAllowHeaders").toString()).isEqualTo("[\"X-Api-Key\"]");
        assertThat(destination.get("CorsMaxAge").asText()).isEqualTo("600");
        assertThat(destination.get("SecurityHeaders").asText()).isEqualTo("basic");
    }

    @Test
    void showsTheCanaryAndTheMirrorAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "canaryService=s-v2:8080", "canaryWeight=2.5", "canaryHeader=X-Canary", "canaryCookie=variant",
                "mirrorService=s-shadow", "mirrorPercent=10")))
                .get("ServiceDest").get(0);

        assertThat(destination.get("CanaryService").asText()).isEqualTo("s-v2:8080");
        assertThat(destination.get("CanaryWeight").asText()).isEqualTo("2.5");
        assertThat(destination.get("CanaryHeader").asText()).isEqualTo("X-Canary");
        assertThat(destination.get("CanaryCookie").asText()).isEqualTo("variant");
        assertThat(destination.get("MirrorService").asText()).isEqualTo("s-shadow");
        assertThat(destination.get("MirrorPercent").asText()).isEqualTo("10");
    }

    @Test
    void showsTheForwardAuthAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "authUrl=http://auth:8080/verify", "authRequestHeaders=Authorization,X-Key",
                "authResponseHeaders=X-User", "authTimeout=800ms"))).get("ServiceDest").get(0);

        assertThat(destination.get("AuthUrl").asText()).isEqualTo("http://auth:8080/verify");
        assertThat(destination.get("AuthRequestHeaders").toString()).isEqualTo("[\"Authorization\",\"X-Key\"]");
        assertThat(destination.get("AuthResponseHeaders").toString()).isEqualTo("[\"X-User\"]");
        assertThat(destination.get("AuthTimeout").asText()).isEqualTo("800ms");
    }

    @Test
    void showsTheRetriesAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "retryAttempts=2", "retryOn=connect,503", "retryBackoff=100ms", "retryBudget=20%",
                "retryNonIdempotent=true"))).get("ServiceDest").get(0);

        assertThat(destination.get("RetryAttempts").asText()).isEqualTo("2");
        assertThat(destination.get("RetryOn").toString()).isEqualTo("[\"connect\",\"503\"]");
        assertThat(destination.get("RetryBackoff").asText()).isEqualTo("100ms");
        assertThat(destination.get("RetryBudget").asText()).isEqualTo("20%");
        assertThat(destination.get("RetryNonIdempotent").asText()).isEqualTo("true");
    }

    @Test
    void showsTheCircuitBreakerAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "breakerErrorRatio=50%", "breakerLatency=p90:500ms", "breakerMinRequests=40", "breakerWindow=30s",
                "breakerOpenFor=5s", "breakerProbes=2"))).get("ServiceDest").get(0);

        assertThat(List.of("BreakerErrorRatio", "BreakerLatency", "BreakerMinRequests", "BreakerWindow",
                "BreakerOpenFor", "BreakerProbes")).extracting(key -> destination.get(key).asText())
                .containsExactly("50%", "p90:500ms", "40", "30s", "5s", "2");
    }

    @Test
    void showsTheConcurrencyLimitsAsGiven() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "concurrencyLimit=100", "concurrencyLimitPerClient=4"))).get("ServiceDest").get(0);

        assertThat(destination.get("ConcurrencyLimit").asText()).isEqualTo("100");
        assertThat(destination.get("ConcurrencyLimitPerClient").asText()).isEqualTo("4");
    }

    @Test
    void listsStoredServicesByNameWithServiceNameInItsStructPosition() throws Exception {
        ServiceSpec b = parse("serviceName=b", "servicePath=/b", "port=1").formatted();
        ServiceSpec a = parse("serviceName=a", "servicePath=/a", "port=1").formatted();
        JsonNode services = MAPPER.readTree(DfpJson.services(List.of(a, b), Map.of()));

        assertThat(keys(services)).containsExactly("a", "b");
        assertThat(keys(services.get("a"))).containsExactlyElementsOf(SERVICE_KEYS);
        assertThat(services.get("a").get("AclName").asText()).isEqualTo("a");
        assertThat(services.get("a").get("ServiceDest").get(0).get("PathType").asText()).isEqualTo("path_beg");
        assertThat(DfpJson.services(List.of(), Map.of())).isEqualTo("{}");
    }

    @Test
    void listsQuarantinedSwarmServicesAfterTheServices() throws Exception {
        ServiceSpec a = parse("serviceName=a", "servicePath=/a", "port=1").formatted();

        JsonNode services = MAPPER.readTree(DfpJson.services(List.of(a),
                Map.of("bad", "port: '70000' (expected: 1-65535)")));

        assertThat(keys(services)).containsExactly("a", "_quarantined");
        assertThat(services.get("_quarantined").get("bad").asText()).isEqualTo("port: '70000' (expected: 1-65535)");
    }

    @Test
    void masksPasswordsAndCertificates() throws Exception {
        JsonNode answer = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "users=alice:secret,bob", "usersPassEncrypted=true", "serviceCert=" + TestCertificates.pem("s.test"))));

        assertThat(answer.get("Users").toString()).isEqualTo("[{\"Username\":\"alice\",\"Password\":\"***\","
                + "\"PassEncrypted\":true},{\"Username\":\"bob\",\"Password\":\"***\",\"PassEncrypted\":true}]");
        assertThat(answer.get("ServiceCert").asText()).isEqualTo("***");
        assertThat(answer.toString()).doesNotContain("secret", "PRIVATE");
    }

    @Test
    void derivesDfpsComputedDestinationFields() throws Exception {
        JsonNode destination = MAPPER.readTree(DfpJson.ok(parse("serviceName=s", "servicePath=/", "port=1",
                "userAgent=Amiga OS,curl/8", "serviceHeader=X-B:2,X-A:1", "reqPathSearch=^/a", "reqPathReplace=/",
                "reqPathSearchReplace=x,y:z,w"))).get("ServiceDest").get(0);

        assertThat(destination.get("UserAgent").toString())
                .isEqualTo("{\"Value\":[\"Amiga OS\",\"curl/8\"],\"AclName\":\"Amiga_OS_curl_8\"}");
        assertThat(keys(destination.get("ServiceHeader"))).containsExactly("X-A", "X-B");
        assertThat(destination.get("ReqPathSearchReplaceFormatted").toString())
                .isEqualTo("[\"^/a,/\",\"x,y\",\"z,w\"]");
    }

    @Test
    void failureAndPingCarryEveryServiceFieldAtItsZeroValue() throws Exception {
        JsonNode failure = MAPPER.readTree(DfpJson.failure("serviceName parameter is mandatory.", ""));
        JsonNode ping = MAPPER.readTree(DfpJson.ok(""));

        assertThat(keys(failure)).containsExactlyElementsOf(RESPONSE_KEYS);
        assertThat(failure.get("Status").asText()).isEqualTo("NOK");
        assertThat(failure.get("Message").asText()).isEqualTo("serviceName parameter is mandatory.");
        assertThat(keys(ping)).containsExactlyElementsOf(RESPONSE_KEYS);
        assertThat(ping.get("ServiceDest").isNull()).isTrue();
        assertThat(ping.get("IsGlobal").asBoolean()).isFalse();
        assertThat(Arrays.asList(ping.get("Status").asText(), ping.get("Message").asText())).containsExactly("OK", "");
    }
}

package io.swarmgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.config.DestinationFields;
import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.docker.SwarmService;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Labels to reconfigure parameters, as Docker Flow Swarm Listener maps them. */
class ServiceLabelsTest {
    private static final ServiceLabels LABELS = new ServiceLabels("com.df.", "com.df.notify");

    private static SwarmService replicated(String name, long replicas, Map<String, String> labels) {
        return new SwarmService("id-" + name, name, labels, false, replicas, false);
    }

    private static Map<String, String> query(SwarmService service) {
        Map<String, String> flat = new TreeMap<>();
        LABELS.parameters(service).orElseThrow().forEach((name, values) -> flat.put(name, values.get(0)));
        return flat;
    }

    @Test
    void turnsEveryPrefixedLabelIntoTheParameterOfTheSameName() {
        SwarmService service = replicated("go-demo", 3, Map.of(
                "com.df.notify", "true",
                "com.df.servicePath.1", "/demo",
                "com.df.port.1", "8080",
                "com.df.alertName", "for-another-tool",
                "com.docker.stack.namespace", "prod",
                "maintainer", "someone"));

        assertThat(query(service)).containsExactly(
                Map.entry("alertName", "for-another-tool"),
                Map.entry("port.1", "8080"),
                Map.entry("replicas", "3"),
                Map.entry("serviceName", "go-demo"),
                Map.entry("servicePath.1", "/demo"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True"})
    void optsInWithTheNotifyLabelTrueInAnyCase(String value) {
        assertThat(LABELS.parameters(replicated("a", 1, Map.of("com.df.notify", value)))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", ""})
    void saysWhyANotifyLabelNeitherTrueNorFalseRoutesNothing(String value) {
        assertThat(LABELS.unreadableOptIn(replicated("a", 1, Map.of("com.df.notify", value))))
                .isEqualTo("com.df.notify: '" + value + "' (expected: true to route the service, or false)");
        assertThat(LABELS.unreadableOptIn(replicated("a", 1, Map.of("com.df.notify", "False")))).isNull();
        assertThat(LABELS.unreadableOptIn(replicated("a", 1, Map.of("com.df.notify", "TRUE")))).isNull();
        assertThat(LABELS.unreadableOptIn(replicated("a", 1, Map.of()))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "1", "yes", ""})
    void ignoresAServiceWithoutTheNotifyLabelTrue(String value) {
        assertThat(LABELS.parameters(replicated("a", 1, Map.of("com.df.notify", value)))).isEmpty();
        assertThat(LABELS.parameters(replicated("a", 1, Map.of("com.df.servicePath", "/a")))).isEmpty();
    }

    @Test
    void givesAGlobalServiceNoReplicaCount() {
        SwarmService global = new SwarmService("id", "agent", Map.of("com.df.notify", "true"), true, 0, false);

        assertThat(query(global)).containsOnlyKeys("serviceName");
    }

    @Test
    void theSwarmNameWinsOverAServiceNameLabel() {
        assertThat(query(replicated("real", 1, Map.of("com.df.notify", "true", "com.df.serviceName", "other"))))
                .containsEntry("serviceName", "real");
    }

    @Test
    void shortNameStripsTheStackPrefixOnly() {
        Map<String, String> labels = Map.of("com.df.notify", "true", "com.df.shortName", "true",
                "com.docker.stack.namespace", "prod");

        assertThat(query(replicated("prod_web", 1, labels))).containsEntry("serviceName", "web");
        assertThat(query(replicated("other_web", 1, labels))).containsEntry("serviceName", "other_web");
        assertThat(query(replicated("prod_web", 1, Map.of("com.df.notify", "true",
                "com.docker.stack.namespace", "prod")))).containsEntry("serviceName", "prod_web");
    }

    @Test
    void readsAnotherPrefixAndNotifyLabel() {
        ServiceLabels custom = new ServiceLabels("proxy.", "proxy.expose");

        assertThat(custom.parameters(replicated("a", 1, Map.of("proxy.expose", "true", "proxy.port", "80",
                "com.df.servicePath", "/ignored")))).hasValueSatisfying(parameters -> assertThat(parameters)
                .containsOnlyKeys("port", "replicas", "serviceName"));
    }

    @Test
    void parsesIntoTheSameModelAsTheReconfigureApi() {
        SwarmService service = replicated("go-demo", 2, Map.of("com.df.notify", "true",
                "com.df.servicePath", "/demo,/api", "com.df.port", "8080", "com.df.serviceDomain", "example.com"));

        ServiceSpec fromLabels = ReconfigureParameters.defaults().parse(LABELS.parameters(service).orElseThrow());
        ServiceSpec fromQuery = ReconfigureParameters.defaults().parse(Map.of("serviceName", List.of("go-demo"),
                "replicas", List.of("2"), "servicePath", List.of("/demo,/api"), "port", List.of("8080"),
                "serviceDomain", List.of("example.com")));

        assertThat(fromLabels).isEqualTo(fromQuery);
    }

    @Test
    void carriesUpgradeProtocolsAndRefusesH2cAsTheApiDoes() {
        Map<String, String> labels = new TreeMap<>(Map.of("com.df.notify", "true", "com.df.servicePath", "/tunnel",
                "com.df.port", "8080", "com.df.upgradeProtocols", "foo"));
        ServiceSpec allowed = ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("tunnel", 1, labels)).orElseThrow());
        assertThat(allowed.destinations().get(0).upgradeProtocols()).containsExactly("foo");

        labels.put("com.df.upgradeProtocols", "h2c");
        assertThatThrownBy(() -> ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("tunnel", 1, labels)).orElseThrow()))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith("upgradeProtocols: 'h2c' (refused: ");
    }

    @Test
    void carriesTheClientAddressListsAndRefusesAMalformedBlockAsTheApiDoes() {
        Map<String, String> labels = new TreeMap<>(Map.of("com.df.notify", "true", "com.df.servicePath", "/admin",
                "com.df.port", "8080", "com.df.allowedIps", "10.0.0.0/8,2001:db8::/32",
                "com.df.deniedIps", "10.9.0.0/16"));
        ServiceSpec listed = ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("admin", 1, labels)).orElseThrow());
        assertThat(listed.destinations().get(0).allowedIps()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        assertThat(listed.destinations().get(0).deniedIps()).containsExactly("10.9.0.0/16");

        labels.put("com.df.deniedIps", "10.9.0.0/40");
        assertThatThrownBy(() -> ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("admin", 1, labels)).orElseThrow()))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith("deniedIps: '10.9.0.0/40'");
    }

    @Test
    void carriesTheRateLimitAndRefusesAMalformedRateAsTheApiDoes() {
        Map<String, String> labels = new TreeMap<>(Map.of("com.df.notify", "true", "com.df.servicePath", "/api",
                "com.df.port", "8080", "com.df.rateLimit", "100/s", "com.df.rateLimitBurst", "20",
                "com.df.rateLimitBy", "header:X-Api-Key"));
        DestinationSpec limited = ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()).destinations().get(0);
        assertThat(List.of(limited.rateLimit(), limited.rateLimitBurst(), limited.rateLimitBy()))
                .containsExactly("100/s", "20", "header:X-Api-Key");

        labels.put("com.df.rateLimit", "100/h");
        assertThatThrownBy(() -> ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith("rateLimit: '100/h'");
    }

    @Test
    void carriesTheCorsRulesAndTheSecurityPresetAndRefusesAMalformedOriginAsTheApiDoes() {
        Map<String, String> labels = new TreeMap<>(Map.of("com.df.notify", "true", "com.df.servicePath", "/api",
                "com.df.port", "8080", "com.df.corsAllowOrigins", "https://app.test,https://other.test",
                "com.df.corsMaxAge", "600", "com.df.securityHeaders", "strict"));
        DestinationSpec cors = ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()).destinations().get(0);
        assertThat(cors.corsAllowOrigins()).containsExactly("https://app.test", "https://other.test");
        assertThat(cors.corsMaxAge()).isEqualTo("600");
        assertThat(cors.get(DestinationFields.SECURITY_HEADERS)).isEqualTo("strict");

        labels.put("com.df.corsAllowOrigins", "https://app.test,*");
        assertThatThrownBy(() -> ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith("corsAllowOrigins: 'https://app.test,*'");
    }

    @Test
    void carriesTheCanaryAndTheMirrorAndRefusesAMalformedWeightAsTheApiDoes() {
        Map<String, String> labels = new TreeMap<>(Map.of("com.df.notify", "true", "com.df.servicePath", "/api",
                "com.df.port", "8080", "com.df.canaryService", "api-v2", "com.df.canaryWeight", "5",
                "com.df.canaryHeader", "X-Canary", "com.df.canaryCookie", "api-variant", "com.df.mirrorService",
                "api-shadow:9090", "com.df.mirrorPercent", "10"));
        DestinationSpec canary = ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()).destinations().get(0);
        assertThat(List.of(DestinationFields.CANARY_SERVICE, DestinationFields.CANARY_WEIGHT,
                DestinationFields.CANARY_HEADER, DestinationFields.CANARY_COOKIE, DestinationFields.MIRROR_SERVICE,
                DestinationFields.MIRROR_PERCENT).stream().map(canary::get))
                .containsExactly("api-v2", "5", "X-Canary", "api-variant", "api-shadow:9090", "10");

        labels.put("com.df.canaryWeight", "five");
        assertThatThrownBy(() -> ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith("canaryWeight: 'five'");
    }

    @Test
    void carriesTheForwardAuthAndRefusesAnHttpsUrlAsTheApiDoes() {
        Map<String, String> labels = new TreeMap<>(Map.of("com.df.notify", "true", "com.df.servicePath", "/api",
                "com.df.port", "8080", "com.df.authUrl", "http://auth:8080/verify", "com.df.authResponseHeaders",
                "X-User", "com.df.authTimeout", "800ms"));
        DestinationSpec guarded = ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()).destinations().get(0);
        assertThat(guarded.guards().authUrl()).isEqualTo("http://auth:8080/verify");
        assertThat(guarded.guards().authResponseHeaders()).containsExactly("X-User");
        assertThat(guarded.guards().authTimeout()).isEqualTo("800ms");

        labels.put("com.df.authUrl", "https://auth:8443/verify");
        assertThatThrownBy(() -> ReconfigureParameters.defaults()
                .parse(LABELS.parameters(replicated("api", 1, labels)).orElseThrow()))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith("authUrl: 'https://auth:8443/verify'");
    }

    @Test
    void theLetsEncryptCompanionLabelsAskForACertificateAsTheParameterDoes() {
        SwarmService service = replicated("web", 2, Map.of("com.df.notify", "true", "com.df.port", "8080",
                "com.df.serviceDomain", "example.com", "com.df.letsencrypt.host", "example.com",
                "com.df.letsencrypt.email", "ops@example.com"));

        ServiceSpec fromLabels = ReconfigureParameters.defaults().parse(LABELS.parameters(service).orElseThrow());

        assertThat(fromLabels.letsencryptHost()).containsExactly("example.com");
        assertThat(fromLabels.letsencryptEmail()).isEqualTo("ops@example.com");
    }
}

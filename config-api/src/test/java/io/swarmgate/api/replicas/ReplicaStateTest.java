package io.swarmgate.api.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.config.ServiceSpec;
import io.swarmgate.config.User;
import io.swarmgate.testing.Queries;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReplicaStateTest {
    @Test
    void servicesSurviveTheRoundTripWithEveryFieldAndSecret() throws Exception {
        ServiceSpec rich = Queries.service("serviceName=shop&servicePath.1=/a,/b&port.1=8080"
                + "&serviceDomain.1=shop.test,*.shop.test&users=admin:s3cret,bob:pw&addReqHeader=X-A value,X-B other"
                + "&servicePath.2=/c&port.2=9090&httpsOnly.2=true&replicas=3&discoveryType=DNS&balance=leastconn"
                + "&serviceHeader.1=X-V:1&upgradeProtocols.2=foo&allowedIps.1=10.0.0.0/8,::1/128"
                + "&deniedIps.2=192.0.2.0/24"
                + "&rateLimit.2=10/s&rateLimitBurst.2=3&rateLimitBy.2=header:X-Key&corsAllowOrigins.1=*"
                + "&corsAllowMethods.1=PUT&corsAllowHeaders.1=X-Key&corsMaxAge.1=60&securityHeaders.2=strict"
                + "&canaryService.1=shop-v2&canaryWeight.1=5&canaryHeader.1=X-C&canaryCookie.1=v"
                + "&mirrorService.2=shop-shadow&mirrorPercent.2=10"
                + "&authUrl.2=http://auth/v&authResponseHeaders.2=X-User&authTimeout.2=2s"
                + "&retryOn.1=connect,503&retryBudget.1=20%&breakerErrorRatio.2=50%&breakerLatency.2=p90:1s"
                + "&concurrencyLimit.1=10&concurrencyLimitPerClient.1=2&backendProxyProtocol.2=v1")
                .formatted();
        ServiceSpec plain = Queries.service("serviceName=web&servicePath=/&port=80").formatted();
        ReplicaState state = new ReplicaState("i-1", List.of(rich, plain), Map.of("a.pem", "-----BEGIN x"));

        ReplicaState read = ReplicaState.fromJson(state.toJson(), "test");

        assertThat(read).isEqualTo(state);
        assertThat(read.services().get(0).users()).extracting(User::password).containsExactly("s3cret", "pw");
    }

    @Test
    void aStateStreamedIsItsJsonAndTheStreamStaysOpen() throws Exception {
        ServiceSpec web = Queries.service("serviceName=web&servicePath=/&port=80&users=admin:pw").formatted();
        ReplicaState state = new ReplicaState("i-1", List.of(web), Map.of("a.pem", "-----BEGIN x"));
        AtomicBoolean closed = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        state.writeJson(out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(state.toJson());
        assertThat(closed).isFalse();
    }

    @Test
    void aStateWrittenBeforeUpgradeProtocolsAndTheRoutePoliciesExistedReadsWithNone() throws Exception {
        ServiceSpec web = Queries.service("serviceName=web&servicePath=/&port=80").formatted();
        ReplicaState state = new ReplicaState("i-1", List.of(web), Map.of());
        String older = state.toJson().replace(",\"upgradeProtocols\":[]", "").replace(",\"allowedIps\":[]", "")
                .replace(",\"deniedIps\":[]", "").replaceAll(",\"rateLimit[A-Za-z]*\":\"\"", "")
                .replaceAll(",\"corsAllow[A-Za-z]*\":\\[]", "").replace(",\"corsMaxAge\":\"\"", "")
                .replace(",\"securityHeaders\":\"\"", "").replaceAll(",\"canary[A-Za-z]*\":\"\"", "")
                .replaceAll(",\"mirror[A-Za-z]*\":\"\"", "")
                .replaceAll(",\"(auth|retry|breaker|concurrency)[A-Za-z]*\":(\"\"|\\[])", "")
                .replace(",\"backendProxyProtocol\":\"\"", "");

        assertThat(older).doesNotContain("upgradeProtocols", "allowedIps", "deniedIps", "rateLimit", "cors",
                "securityHeaders", "canary", "mirror", "auth", "retry", "breaker", "concurrency",
                "backendProxyProtocol");
        assertThat(ReplicaState.fromJson(older, "an older file")).isEqualTo(state);
    }
}

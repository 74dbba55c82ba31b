package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code timeoutServer} and {@code timeoutTunnel}: each given timeout is set on the exchange, the other left alone. */
class RouteTimeoutsTest {
    @Test
    void setsTheTimeoutsGivenAndLeavesTheOthersToTheServer() {
        TestRequest both = new TestRequest("GET", "a", "/");
        TestRequest backendOnly = new TestRequest("GET", "a", "/");

        assertThat(new RouteTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(2)).onRequest(both))
                .isSameAs(PolicyResult.PROCEED);
        new RouteTimeouts(Duration.ofSeconds(5), null).onRequest(backendOnly);

        assertThat(both.backendTimeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(both.tunnelTimeout).isEqualTo(Duration.ofMinutes(2));
        assertThat(backendOnly.backendTimeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(backendOnly.tunnelTimeout).isNull();
    }

    @Test
    void refusesNoTimeoutAtAllAndOneThatIsNotPositive() {
        assertThatThrownBy(() -> new RouteTimeouts(null, null)).hasMessageContaining("none given");
        assertThatThrownBy(() -> new RouteTimeouts(Duration.ZERO, null)).hasMessageContaining("backend");
    }
}

package io.swarmgate.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a route relays by default and with {@code upgradeProtocols}, as an embedder's builder sees it. */
class UpgradeProtocolsTest {

    @Test
    void aRouteRelaysWebSocketAloneByDefault() {
        UpgradeProtocols protocols = Route.builder("s").backend("127.0.0.1", 80).build().upgradeProtocols();

        assertThat(protocols).isSameAs(UpgradeProtocols.WEBSOCKET);
        assertThat(protocols.allows("websocket")).isTrue();
        assertThat(protocols.allows("WebSocket")).isTrue();
        assertThat(protocols.allows("foo")).isFalse();
        assertThat(protocols.allows("h2c")).isFalse();
    }

    @Test
    void namedProtocolsAreComparedByNameInAnyCase() {
        UpgradeProtocols protocols = UpgradeProtocols.of(List.of("Foo", "bar/2", "WEBSOCKET", "foo"));

        assertThat(protocols.names()).containsExactly("foo", "bar");
        assertThat(protocols.allows("FOO/1")).isTrue();
        assertThat(protocols.allows("bar")).isTrue();
        assertThat(protocols.allows("websocket")).isTrue();
        assertThat(protocols.allows("fo")).isFalse();
        assertThat(protocols.allows("foobar")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "H2C", "h2c/1", "h2"})
    void anUpgradeToHttp2IsRefusedWithTheReason(String protocol) {
        assertThatThrownBy(() -> UpgradeProtocols.of(List.of("foo", protocol)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("upgradeProtocols: '" + protocol + "' (refused: ")
                .hasMessageContaining("bypass the route's rules");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo bar", "foo/", "/2", "a,b", "wé"})
    void aValueThatIsNotAnUpgradeTokenIsRefused(String protocol) {
        assertThatThrownBy(() -> UpgradeProtocols.of(List.of(protocol)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upgradeProtocols: '" + protocol + "' (expected: upgrade tokens such as foo or foo/2)");
    }
}

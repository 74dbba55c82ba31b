package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code TRUSTED_PROXIES}: which {@code X-Forwarded-For} entry is the client. */
class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, 192.0.2.7,2001:db8::/32");

    @Test
    void theClientIsTheRightmostEntryThatIsNoTrustedProxy() {
        assertThat(proxies.client("10.0.0.1", "203.0.113.5, 198.51.100.1, 10.1.1.1,192.0.2.7"))
                .isEqualTo("198.51.100.1");
        assertThat(proxies.client("10.0.0.1", "2001:db8::9, 2001:db9::1")).isEqualTo("2001:db9::1");
    }

    @Test
    void withoutTheHeaderOrWithOnlyTrustedEntriesItIsThePeerOrTheLeftmost() {
        assertThat(proxies.client("10.0.0.1", null)).isEqualTo("10.0.0.1");
        assertThat(proxies.client("10.0.0.1", "10.2.2.2, 10.3.3.3")).isEqualTo("10.2.2.2");
    }

    @Test
    void anEntryThatIsNoAddressEndsTheWalkAtTheTrustedHopRightOfIt() {
        assertThat(proxies.client("10.0.0.1", "203.0.113.5, unknown, 10.1.1.1")).isEqualTo("10.1.1.1");
        assertThat(proxies.client("10.0.0.1", "203.0.113.5,")).isEqualTo("10.0.0.1");
        assertThat(proxies.client("10.0.0.1", "203.0.113.5:4711")).isEqualTo("10.0.0.1");
    }

    @Test
    void trustsOnlyTheListedPeers() {
        assertThat(proxies.trusts("10.9.9.9")).isTrue();
        assertThat(proxies.trusts("::ffff:10.9.9.9")).as("an IPv4 client of an IPv6 socket").isTrue();
        assertThat(proxies.trusts("192.0.2.8")).isFalse();
        assertThat(TrustedProxies.parse("").trusts("10.9.9.9")).isFalse();
        assertThat(TrustedProxies.parse(" ")).isSameAs(TrustedProxies.NONE);
    }

    @Test
    void refusesAnEntryThatIsNoBlock() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8,10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> TrustedProxies.parse("lb.internal"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lb.internal");
    }
}

package io.swarmgate.proxy.policy;

import static io.swarmgate.proxy.policy.MethodRuleTest.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code allowedIps} and {@code deniedIps}: CIDR blocks of IPv4 and IPv6 addresses, 403 for a client refused. */
class IpAccessTest {
    @Test
    void anAllowListLetsItsBlocksThroughAndRefusesTheRest() {
        IpAccess access = new IpAccess(ranges("10.0.0.0/8", "2001:db8::/32", "192.168.1.7"), List.of());

        assertThat(decide(access, "10.255.3.4")).isSameAs(PolicyResult.PROCEED);
        assertThat(decide(access, "192.168.1.7")).isSameAs(PolicyResult.PROCEED);
        assertThat(decide(access, "2001:db8:ffff::1")).isSameAs(PolicyResult.PROCEED);
        assertThat(decide(access, "::ffff:10.1.2.3")).as("IPv4-mapped").isSameAs(PolicyResult.PROCEED);
        assertThat(status(decide(access, "11.0.0.1"))).isEqualTo(403);
        assertThat(status(decide(access, "192.168.1.8"))).isEqualTo(403);
        assertThat(status(decide(access, "2001:db9::1"))).isEqualTo(403);
    }

    @Test
    void aDenyListRefusesItsBlocksEvenInsideAnAllowedOne() {
        IpAccess access = new IpAccess(ranges("10.0.0.0/8"), ranges("10.1.0.0/16", "::1"));

        assertThat(status(decide(access, "10.1.200.9"))).isEqualTo(403);
        assertThat(decide(access, "10.2.0.1")).isSameAs(PolicyResult.PROCEED);
        assertThat(status(decide(new IpAccess(List.of(), ranges("::1")), "::1"))).isEqualTo(403);
        assertThat(decide(new IpAccess(List.of(), ranges("::1")), "127.0.0.1")).isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void prefixesThatDoNotEndOnAByteBoundaryMatchBitByBit() {
        IpAccess access = new IpAccess(ranges("172.16.0.0/12", "fe80::/10"), List.of());

        assertThat(decide(access, "172.31.255.255")).isSameAs(PolicyResult.PROCEED);
        assertThat(status(decide(access, "172.32.0.0"))).isEqualTo(403);
        assertThat(decide(access, "febf::1")).isSameAs(PolicyResult.PROCEED);
        assertThat(status(decide(access, "fec0::1"))).isEqualTo(403);
        assertThat(decide(new IpAccess(ranges("0.0.0.0/0"), List.of()), "8.8.8.8")).isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void anAddressItCannotReadIsRefused() {
        IpAccess access = new IpAccess(List.of(), ranges("10.0.0.0/8"));

        assertThat(status(decide(access, "unknown"))).isEqualTo(403);
    }

    @Test
    void malformedBlocksAreRefusedWhenParsed() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "::1/129", "10.0.0.0/", "10.0.0.0/-1", "host.test",
                "10.0.0.0/8/8")) {
            assertThatThrownBy(() -> IpRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(IpRange.parse(" 10.1.2.3/8 ")).hasToString("10.0.0.0/8");
    }

    private static List<IpRange> ranges(String... cidrs) {
        return Stream.of(cidrs).map(IpRange::parse).toList();
    }

    private static PolicyResult decide(IpAccess access, String client) {
        TestRequest request = new TestRequest("GET", "a", "/");
        request.clientAddress = client;
        return access.onRequest(request);
    }
}

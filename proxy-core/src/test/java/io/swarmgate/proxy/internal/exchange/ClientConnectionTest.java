package io.swarmgate.proxy.internal.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's address as X-Forwarded-For and the policies get it. */
class ClientConnectionTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "9.8.7.6", "10.0.12.1", "100.99.10.255", "255.255.255.255", "172.16.0.100"})
    void anIpv4AddressIsItsDottedDecimalText(String address) throws Exception {
        ClientConnection connection = new ClientConnection(
                new InetSocketAddress(InetAddress.getByName(address), 40000), LOCAL, false);

        assertThat(new String(connection.address(), StandardCharsets.US_ASCII)).isEqualTo(address);
        assertThat(connection.addressText()).isEqualTo(address);
    }

    @Test
    void anIpv6AddressIsTheJdksText() throws Exception {
        ClientConnection connection = new ClientConnection(
                new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40000), LOCAL, false);

        assertThat(connection.addressText()).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void anUnresolvedAddressIsUnknown() {
        ClientConnection connection = new ClientConnection(
                InetSocketAddress.createUnresolved("client.test", 40000), LOCAL, false);

        assertThat(connection.addressText()).isEqualTo("unknown");
        assertThat(connection.localPortText()).asString(StandardCharsets.US_ASCII).isEqualTo("8080");
    }
}

package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code allowedIps} / {@code deniedIps} through real sockets: the connection's address on a plain port, the PROXY
 * protocol's on an {@code accept-proxy} port, and never an {@code X-Forwarded-For} the client wrote.
 */
class ClientAddressListsTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.http(0, true)).build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("outboundHostname=127.0.0.1&port="
                + proxy.backend().port() + "&" + parameters)));
    }

    private static int acceptProxyPort() {
        return proxy.ports().get(0);
    }

    private static int plainPort() {
        return proxy.ports().get(1);
    }

    private static Response send(int port, String preface, String path, String... headers) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(port)) {
            return connection.exchange(preface + "GET " + path + " HTTP/1.1\r\nHost: app.test\r\n"
                    + String.join("", headers) + "\r\n");
        }
    }

    @Test
    void aClientOutsideTheAllowedBlocksGets403AndTheBackendNeverSeesIt() throws IOException {
        configure("serviceName=internal&servicePath=/internal&allowedIps=10.0.0.0/8,2001:db8::/32");
        configure("serviceName=local&servicePath=/local&allowedIps=127.0.0.0/8,::1");
        int before = proxy.backend().requests();

        Response refused = send(plainPort(), "", "/internal", "X-Forwarded-For: 10.1.2.3\r\n");
        Response served = send(plainPort(), "", "/local");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.bodyText()).contains("Your address is not allowed");
        assertThat(served.status()).isEqualTo(200);
        assertThat(proxy.backend().requests() - before).as("requests that reached the backend").isEqualTo(1);
    }

    @Test
    void aDeniedBlockWinsOverAnAllowedOne() throws IOException {
        configure("serviceName=denied&servicePath=/denied&allowedIps=127.0.0.0/8&deniedIps=127.0.0.1/32");
        configure("serviceName=other&servicePath=/other&deniedIps=127.0.0.2,2001:db8::/32");

        assertThat(send(plainPort(), "", "/denied").status()).isEqualTo(403);
        assertThat(send(plainPort(), "", "/other").status()).isEqualTo(200);
    }

    @Test
    void onAnAcceptProxyPortTheProxyProtocolsAddressDecides() throws IOException {
        configure("serviceName=office&servicePath=/office&allowedIps=203.0.113.0/24");

        assertThat(send(acceptProxyPort(), "PROXY TCP4 203.0.113.7 192.0.2.1 51234 80\r\n", "/office").status())
                .isEqualTo(200);
        assertThat(send(acceptProxyPort(), "PROXY TCP4 198.51.100.7 192.0.2.1 51234 80\r\n", "/office").status())
                .isEqualTo(403);
        assertThat(send(acceptProxyPort(), "PROXY TCP6 2001:db8::7 2001:db8::1 51234 80\r\n", "/office").status())
                .isEqualTo(403);
    }

    @Test
    void eachDestinationHasItsOwnLists() throws IOException {
        configure("serviceName=split&servicePath.1=/split/open&port.1=" + proxy.backend().port()
                + "&servicePath.2=/split/closed&port.2=" + proxy.backend().port() + "&deniedIps.2=127.0.0.0/8");

        assertThat(send(plainPort(), "", "/split/open").status()).isEqualTo(200);
        assertThat(send(plainPort(), "", "/split/closed").status()).isEqualTo(403);
    }
}

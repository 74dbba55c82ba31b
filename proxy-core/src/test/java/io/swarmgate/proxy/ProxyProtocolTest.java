package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TlsTestClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Listeners with {@code accept-proxy}: the PROXY protocol header (v1 or v2) before HTTP or TLS gives the client address
 * that {@code X-Forwarded-For}, header samples and the observer (the access log) see.
 */
class ProxyProtocolTest {
    private static final String REQUEST = "GET /demo HTTP/1.1\r\nHost: a\r\n\r\n";

    private final Queue<String> observedClients = new ConcurrentLinkedQueue<>();
    private final ProxyObserver observer = new ProxyObserver() {
        @Override
        public void exchangeCompleted(CompletedExchange exchange) {
            observedClients.add(((InetSocketAddress) exchange.client()).getAddress().getHostAddress());
        }
    };
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.http(0, true).https(0, true)
                    .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(20),
                            Duration.ofSeconds(1), Duration.ofSeconds(15)))
                    .observer(observer))
            .routes(p -> List.of(Route.builder("echo").path("/demo")
                    .backend("127.0.0.1", p.backend().port()).build()))
            .build();

    private int proxied() {
        return proxy.ports().get(0);
    }

    @Test
    void takesTheClientAddressOfAVersion1Header() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(proxied())) {
            RawHttpConnection.Response answer = connection.exchange(
                    "PROXY TCP4 203.0.113.7 192.0.2.1 51234 80\r\n" + REQUEST);
            RawHttpConnection.Response second = connection.exchange(REQUEST);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).contains("x-forwarded-for: 203.0.113.7\n");
            assertThat(second.bodyText()).contains("x-forwarded-for: 203.0.113.7\n");
        }
        await().until(() -> observedClients.size() == 2);
        assertThat(observedClients).containsOnly("203.0.113.7");
    }

    @Test
    void takesTheClientAddressOfAVersion2HeaderBeforeTls() throws Exception {
        byte[] header = version2("2001:db8::7", "2001:db8::1");

        try (TlsTestClient client = TlsTestClient.openAfter(header, proxy.httpsPorts().get(0), "localhost")) {
            assertThat(client.exchange(REQUEST)).startsWith("HTTP/1.1 200 ")
                    .contains("x-forwarded-for: 2001:db8:0:0:0:0:0:7\n", "x-forwarded-proto: https\n");
        }
    }

    private static byte[] version2(String source, String destination) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP6, source, destination, 40000, 443));
        ByteBuf encoded = encoder.readOutbound();
        try {
            return ByteBufUtil.getBytes(encoded);
        } finally {
            encoded.release();
            encoder.finishAndReleaseAll();
        }
    }

    @Test
    void keepsTheConnectionsAddressForALocalHeader() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(proxied())) {
            connection.send("PROXY UNKNOWN\r\n");

            assertThat(connection.exchange(REQUEST).bodyText()).contains("x-forwarded-for: 127.0.0.1\n");
        }
    }

    @Test
    void closesAConnectionWithAMalformedHeaderOrNone() throws Exception {
        try (RawHttpConnection garbage = RawHttpConnection.open(proxied());
             RawHttpConnection plainHttp = RawHttpConnection.open(proxied());
             RawHttpConnection silent = RawHttpConnection.open(proxied())) {
            garbage.send("PROXY TCP4 not-an-address 192.0.2.1 1 2\r\n" + REQUEST);
            plainHttp.send(REQUEST);

            assertThat(garbage.isClosedByPeer()).isTrue();
            assertThat(plainHttp.isClosedByPeer()).isTrue();
            assertThat(silent.isClosedByPeer()).isTrue(); // after the request timeout
        }
        assertThat(proxy.backend().requests()).isZero();
    }

    @Test
    void aListenerWithoutItTakesNoHeader() throws Exception {
        RawHttpConnection.Response answer = RawHttpConnection.get(proxy.ports().get(1), "a", "/demo");

        assertThat(answer.bodyText()).contains("x-forwarded-for: 127.0.0.1\n");
        byte[] spoofed = ("PROXY TCP4 203.0.113.7 192.0.2.1 51234 80\r\n" + REQUEST)
                .getBytes(StandardCharsets.US_ASCII);
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.ports().get(1))) {
            connection.output().write(spoofed);
            assertThat(connection.readResponse().status()).isEqualTo(400);
        }
    }
}

package io.swarmgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.Timeouts;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyExtensionTest {
    private static final Timeouts TIMEOUTS = Timeouts.DEFAULTS.withServer(Duration.ofSeconds(3));

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class OnAStaticField {
        @RegisterExtension
        static final ProxyExtension proxy = ProxyExtension.builder().backend("one").backend("two")
                .routes(p -> List.of(p.route("one", "/one"), p.route("two", "/two")))
                .settings(builder -> builder.timeouts(TIMEOUTS).https(0))
                .build();
        private static ProxyServer first;

        @Test
        @Order(1)
        void routesToItsBackendsWithTheSettingsGiven() throws Exception {
            first = proxy.server();

            HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(proxy.uri("/two/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.headers().firstValue("X-Backend")).hasValue("two");
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/one").header("X-Backend")).isEqualTo("one");
            assertThat(proxy.backend().name()).isEqualTo("one");
            assertThat(proxy.server().timeouts()).isEqualTo(TIMEOUTS);
            assertThat(proxy.httpsPorts()).hasSize(1);
            assertThat(proxy.ports()).hasSize(1);
        }

        @Test
        @Order(2)
        void servesEveryTestOfTheClassWithOneProxyWhoseRoutesATestMayChange() throws Exception {
            assertThat(proxy.server()).isSameAs(first);

            proxy.routes(proxy.route("two", "/one"));

            assertThat(RawHttpConnection.get(proxy.port(), "a", "/one").header("X-Backend")).isEqualTo("two");
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/two").status()).isEqualTo(503);
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class OnAnInstanceField {
        private static int previousPort;
        private static int previousBackendPort;

        @RegisterExtension
        final ProxyExtension proxy = ProxyExtension.builder().backend("b").routes(p -> List.of(p.route("b", "/")))
                .build();

        @Test
        @Order(1)
        void startsAProxyForTheTest() throws Exception {
            previousPort = proxy.port();
            previousBackendPort = proxy.backend().port();

            assertThat(RawHttpConnection.get(proxy.port(), "a", "/").header("X-Backend")).isEqualTo("b");
        }

        @Test
        @Order(2)
        void stoppedThePreviousTestsProxyAndBackend() {
            assertThat(proxy.port()).isNotEqualTo(previousPort);
            assertThatThrownBy(() -> RawHttpConnection.get(previousPort, "a", "/")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> RawHttpConnection.get(previousBackendPort, "a", "/"))
                    .isInstanceOf(IOException.class);
        }
    }

    @Nested
    class StartedByATest {
        @RegisterExtension
        final ProxyExtension proxy = ProxyExtension.builder().backend("b").routes(p -> List.of(p.route("b", "/")))
                .autoStart(false).build();

        @Test
        void startsWhenTheTestGivesItsOwnSettings() throws Exception {
            assertThatThrownBy(proxy::server).isInstanceOf(IllegalStateException.class);
            assertThat(proxy.backend().port()).as("the backend runs already").isPositive();

            proxy.start(ProxyServer.builder().maxConnections(7));

            assertThat(proxy.server().settings().maxConnections()).isEqualTo(7);
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/").header("X-Backend")).isEqualTo("b");
            assertThatThrownBy(() -> proxy.start(ProxyServer.builder())).hasMessage("already started");
        }
    }
}

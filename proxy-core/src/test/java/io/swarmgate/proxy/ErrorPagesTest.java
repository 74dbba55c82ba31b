package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.policy.MethodRule;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The user's HTML pages replace the proxy's own plain-text answers for the statuses they cover. */
class ErrorPagesTest {
    @RegisterExtension
    final ProxyExtension proxyExtension = ProxyExtension.builder().autoStart(false).build();
    @TempDir
    Path pages;

    @Test
    void servesTheUsersPagesForTheStatusesTheyCoverAndTheBuiltInTextOtherwise() throws Exception {
        Files.writeString(pages.resolve("503.html"), "<h1>Back soon</h1>");
        Files.writeString(pages.resolve("403.html"), "<h1>Not for you</h1>");
        Files.writeString(pages.resolve("notes.txt"), "ignored");
        Route guarded = Route.builder("guarded").path("/guarded").backend("127.0.0.1", 1)
                .policies(RoutePolicies.of(List.of(new MethodRule(Set.of("GET"), Set.of())), HeaderEdits.NONE)).build();
        try (ProxyServer proxy = proxyExtension.start(ProxyServer.builder()
                .errorPages(ErrorPages.fromDirectory(pages))
                .routes(RouteTable.of(List.of(guarded))))) {
            Response noRoute = RawHttpConnection.get(proxy.port(), "a", "/nothing-here");
            assertThat(noRoute.status()).isEqualTo(503);
            assertThat(noRoute.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(noRoute.bodyText()).isEqualTo("<h1>Back soon</h1>");

            try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                Response denied = connection.exchange("DELETE /guarded HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(denied.status()).isEqualTo(403);
                assertThat(denied.bodyText()).isEqualTo("<h1>Not for you</h1>");
            }
            Response malformed = RawHttpConnection.get(proxy.port(), "a", "/bad%zz");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.header("Content-Type")).startsWith("text/plain");
        }
    }

    @Test
    void refusesPagesForStatusesThatAreNotErrors() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ErrorPages.of(Map.of(200, "ok")))
                .hasMessageContaining("200");
    }
}

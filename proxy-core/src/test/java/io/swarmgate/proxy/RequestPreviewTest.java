package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.MethodRule;
import io.swarmgate.proxy.policy.PathRewrite;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A request head taken through routing and its route's policies outside a server, as the data plane takes it. */
class RequestPreviewTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.7.21", 51234);
    private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.7.2", 80);

    private final Route guarded = Route.builder("demo").path("/demo").backend("demo", 8080)
            .policies(RoutePolicies.of(List.of(new MethodRule(Set.of("GET"), Set.of()),
                    new PathRewrite(List.of(new PathRewrite.Rule(Pattern.compile("^/demo/"), "/")))),
                    HeaderEdits.NONE))
            .build();
    private final RouteTable table = RouteTable.of(List.of(guarded));

    @Test
    void forwardsTheHeadTheBackendGetsWithThePoliciesChanges() {
        try (RequestPreview preview = RequestPreview.of(head("GET /demo/items?page=2"), CLIENT, PROXY, false)) {
            Route route = preview.route(table);
            assertThat(route).isSameAs(guarded);
            ByteBuf forwarded = preview.forward(route, UnpooledByteBufAllocator.DEFAULT);
            String text = forwarded.toString(StandardCharsets.ISO_8859_1);
            forwarded.release();

            assertThat(text).startsWith("GET /items?page=2 HTTP/1.1\r\n").contains("X-Forwarded-For: 10.0.7.21\r\n");
        }
    }

    @Test
    void givesThePoliciesAnswerInsteadOfAHead() {
        try (RequestPreview preview = RequestPreview.of(head("DELETE /demo/items"), CLIENT, PROXY, false)) {
            assertThat(preview.forward(preview.route(table), UnpooledByteBufAllocator.DEFAULT)).isNull();
            assertThat(preview.answer().status()).isEqualTo(403);
        }
    }

    @Test
    void findsNoRouteForAPathAnotherRouteTakesOnceItsBackslashIsReadAsASlash() {
        Route admin = Route.builder("demo-admin").path("/demo/admin").backend("demo", 8080).build();
        RouteTable both = RouteTable.of(List.of(guarded, admin));
        try (RequestPreview ambiguous = RequestPreview.of(head("GET /demo\\admin"), CLIENT, PROXY, false);
             RequestPreview plain = RequestPreview.of(head("GET /demo\\items"), CLIENT, PROXY, false)) {
            assertThat(ambiguous.route(both)).isNull();
            assertThat(plain.route(both)).isSameAs(guarded);
        }
    }

    @Test
    void findsNoRouteForARequestNoRouteTakes() {
        try (RequestPreview preview = RequestPreview.of(head("GET /other"), CLIENT, PROXY, false)) {
            assertThat(preview.route(table)).isNull();
        }
    }

    @Test
    void refusesBytesThatAreNotAWholeHead() {
        byte[] partial = "GET /demo HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> RequestPreview.of(partial, CLIENT, PROXY, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("request:");
    }

    private static byte[] head(String requestLine) {
        return (requestLine + " HTTP/1.1\r\nHost: demo.example.com\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}

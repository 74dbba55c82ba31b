package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A status page answers every request with the page as it is at that moment. */
class StatusPageTest {
    @Test
    void answersEachRequestWithThePageRenderedAnew() {
        AtomicInteger renders = new AtomicInteger();
        StatusPage page = new StatusPage("text/html; charset=utf-8", () -> "<p>" + renders.incrementAndGet() + "</p>");

        LocalResponse first = (LocalResponse) page.onRequest(new TestRequest("GET", "a", "/stats"));
        LocalResponse second = (LocalResponse) page.onRequest(new TestRequest("GET", "a", "/stats"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(text(first)).contains("Content-Type: text/html; charset=utf-8\r\n").endsWith("<p>1</p>");
        assertThat(text(second)).endsWith("<p>2</p>");
        assertThat(renders).hasValue(2);
    }

    private static String text(LocalResponse answer) {
        ByteBuf wire = answer.encode(UnpooledByteBufAllocator.DEFAULT, true);
        try {
            return wire.toString(StandardCharsets.UTF_8);
        } finally {
            wire.release();
        }
    }
}

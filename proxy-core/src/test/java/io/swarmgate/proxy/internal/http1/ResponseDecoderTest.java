package io.swarmgate.proxy.internal.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.swarmgate.proxy.policy.HeaderEdits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseDecoderTest {
    private final ResponseDecoder responses = new ResponseDecoder();
    private final DecodedMessages decoder = new DecodedMessages(responses);

    @Test
    void aHeadRequestsAnswerHasNoBodyWhateverItsLength() {
        responses.expect(true, false, false);
        assertThat(decoder.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))
                .containsExactly("head 200 NONE", "MessageEnd");
    }

    @Test
    void interimAnswersHaveNoEndOfTheirOwn() {
        responses.expect(false, false, false);
        assertThat(decoder.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"))
                .containsExactly("head 100 NONE", "head 204 NONE", "MessageEnd");
    }

    @Test
    void knowsWhetherTheBackendSentExactlyTheAnswersAskedFor() {
        assertThat(responses.answeredExactly()).as("nothing asked yet").isTrue();
        responses.expect(false, false, false);
        assertThat(responses.answeredExactly()).as("an answer is due").isFalse();
        decoder.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\no");
        assertThat(responses.answeredExactly()).as("the answer is not over").isFalse();
        decoder.feed("k");
        assertThat(responses.answeredExactly()).isTrue();
        decoder.feed("HTTP/1.1 2");
        assertThat(responses.answeredExactly()).as("the start of an answer nobody asked for").isFalse();
    }

    @Test
    void anAnswerNobodyAskedForCountsEvenWhenItArrivesWithTheAskedOne() {
        responses.expect(false, false, false);
        decoder.feed("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");

        assertThat(responses.answeredExactly()).isFalse();
    }

    @Test
    void aBodyWithoutLengthEndsWhenTheBackendCloses() {
        responses.expect(false, false, false);
        assertThat(decoder.feed("HTTP/1.0 200 OK\r\n\r\nsome")).containsExactly("head 200 CLOSE", "body some");
        assertThat(decoder.feed(" more")).containsExactly("body  more");
        assertThat(decoder.close()).containsExactly("MessageEnd");
    }

    @Test
    void aTruncatedBodyHasNoEnd() {
        responses.expect(false, false, false);
        assertThat(decoder.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
                .containsExactly("head 200 LENGTH", "body abc");
        assertThat(decoder.close()).isEmpty();
    }

    @Test
    void passesChunksWithTheirFramingOrAsDataAlone() {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\nX-Sum: 1\r\n\r\n";
        responses.expect(false, false, false);
        assertThat(DecodedMessages.merged(decoder.feed(chunked))).containsExactly("head 200 CHUNKED",
                "body 2\r\nab\r\n1\r\nc\r\n0\r\nX-Sum: 1\r\n\r\n", "MessageEnd");

        responses.expect(false, true, false);
        assertThat(DecodedMessages.merged(decoder.feed(chunked)))
                .containsExactly("head 200 CHUNKED", "body abc", "MessageEnd");
    }

    @Test
    void refusesAmbiguousFramingAndUnaskedUpgrades() {
        responses.expect(false, false, false);
        assertThat(decoder.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .containsExactly("BAD_RESPONSE");
        ResponseDecoder other = new ResponseDecoder();
        assertThat(new DecodedMessages(other).feed("HTTP/1.1 101 Switching Protocols\r\n\r\n"))
                .containsExactly("BAD_RESPONSE");
    }

    @Test
    void aSwitchToAnUpgradeAskedForRelaysEverythingAfterIt() {
        responses.expect(false, false, true);
        assertThat(decoder.feed("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                + "\u0081\u0002hi")).containsExactly("head 101 CLOSE", "body \u0081\u0002hi");
        assertThat(decoder.close()).containsExactly("MessageEnd");
    }

    @Test
    void acceptsTheSameLengthRepeatedButNotTwoLengths() {
        responses.expect(false, false, false);
        assertThat(decoder.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"))
                .containsExactly("head 200 LENGTH", "body x", "MessageEnd");
        assertThat(decoder.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nx"))
                .containsExactly("BAD_RESPONSE");
    }

    @Test
    void rewritesTheHeadForTheClient() {
        EmbeddedChannel channel = new EmbeddedChannel(new ResponseDecoder());
        channel.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 Fine\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
                + "Transfer-Encoding: chunked\r\nX-Kept: yes\r\n\r\n", StandardCharsets.US_ASCII));
        ResponseHead head = channel.readInbound();
        try {
            assertThat(text(head.encodeForClient(ByteBufAllocator.DEFAULT, 1, false, false, false, HeaderEdits.NONE)))
                    .isEqualTo("HTTP/1.1 200 Fine\r\nTransfer-Encoding: chunked\r\nX-Kept: yes\r\nConnection: close\r\n\r\n");
            HeaderEdits edits = HeaderEdits.builder().set("x-kept", "replaced").add("X-New", "1").build();
            assertThat(text(head.encodeForClient(ByteBufAllocator.DEFAULT, 0, false, false, true, edits)))
                    .isEqualTo("HTTP/1.0 200 Fine\r\nx-kept: replaced\r\nX-New: 1\r\n\r\n");
        } finally {
            head.release();
            channel.finishAndReleaseAll();
        }
    }

    private static String text(ByteBuf encoded) {
        try {
            return encoded.toString(StandardCharsets.US_ASCII);
        } finally {
            encoded.release();
        }
    }
}

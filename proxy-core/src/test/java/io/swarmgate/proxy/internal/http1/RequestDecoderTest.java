package io.swarmgate.proxy.internal.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestDecoderTest {
    private final DecodedMessages decoder = new DecodedMessages(new RequestDecoder());

    @Test
    void decodesAHeadWithoutBody() {
        assertThat(decoder.feed("GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"))
                .containsExactly("head GET /a?b=c HTTP/1.1 NONE host=example.com", "MessageEnd");
    }

    @Test
    void decodesTheSameWhetherBytesArriveTogetherOrOneByOne() {
        String requests = "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
                + "PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
                + "GET /last HTTP/1.0\r\n\r\n";
        List<String> whole = DecodedMessages.merged(decoder.feed(requests));
        List<String> bytes = new DecodedMessages(new RequestDecoder()).feedByteByByte(requests);

        assertThat(whole).containsExactly(
                "head POST /up HTTP/1.1 LENGTH host=a", "body hello", "MessageEnd",
                "head PUT /c HTTP/1.1 CHUNKED host=a", "body 3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n", "MessageEnd",
                "head GET /last HTTP/1.0 NONE", "MessageEnd");
        assertThat(bytes).isEqualTo(whole);
    }

    @Test
    void acceptsChunkExtensionsAsTheGrammarAllowsThem() {
        String body = "3 ;a=b; c ;d = e;q=\"x \\\"y\\\" z\" ;f\r\nabc\r\n0;g\r\nX-T: \u00e9 v\r\n\r\n";

        assertThat(DecodedMessages.merged(decoder.feed("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body)))
                .containsExactly("head PUT / HTTP/1.1 CHUNKED", "body " + body, "MessageEnd");
    }

    @Test
    void aConnectionsHeadsReuseTheirTargetAndHostTextOnlyWhileTheBytesAreTheSame() {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder());
        List<RequestHead> heads = new java.util.ArrayList<>();
        for (String target : List.of("/abc", "/abc", "/abd", "/abc?x")) {
            channel.writeInbound(Unpooled.copiedBuffer("GET " + target + " HTTP/1.1\r\nHost: h" + target.length()
                    + "\r\n\r\n", StandardCharsets.US_ASCII));
            RequestHead head = channel.readInbound();
            heads.add(head);
            channel.readInbound(); // its end
        }
        try {
            assertThat(heads).extracting(RequestHead::target).containsExactly("/abc", "/abc", "/abd", "/abc?x");
            assertThat(heads).extracting(RequestHead::host).containsExactly("h4", "h4", "h4", "h6");
            assertThat(heads.get(1).target()).isSameAs(heads.get(0).target());
            assertThat(heads.get(2).host()).isSameAs(heads.get(0).host());
        } finally {
            heads.forEach(RequestHead::release);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void toleratesLineBreaksBetweenRequests() {
        assertThat(decoder.feed("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"))
                .containsExactly("head GET / HTTP/1.1 NONE host=a", "MessageEnd");
    }

    @Test
    void ignoresEverythingAfterAnError() {
        assertThat(decoder.feed("GET / HTTP/1.1\r\nHost : a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"))
                .containsExactly("BAD_REQUEST");
        assertThat(decoder.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Content-Length with Transfer-Encoding | POST / HTTP/1.1\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n
            the same Content-Length twice         | POST / HTTP/1.1\\r\\nContent-Length: 3\\r\\nContent-Length: 3\\r\\n\\r\\n
            a list as Content-Length              | POST / HTTP/1.1\\r\\nContent-Length: 3, 3\\r\\n\\r\\n
            a signed Content-Length               | POST / HTTP/1.1\\r\\nContent-Length: +3\\r\\n\\r\\n
            a huge Content-Length                 | POST / HTTP/1.1\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n
            chunked not last                      | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked, gzip\\r\\n\\r\\n
            Transfer-Encoding in HTTP/1.0         | POST / HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n
            obsolete line folding                 | GET / HTTP/1.1\\r\\nX-A: b\\r\\n  c\\r\\n\\r\\n
            bare LF in a field                    | GET / HTTP/1.1\\r\\nX-A: b\\nHost: a\\r\\n\\r\\n
            bare CR in a value                    | GET / HTTP/1.1\\r\\nX-A: b\\rc\\r\\n\\r\\n
            space before the colon                | GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n
            no colon                              | GET / HTTP/1.1\\r\\nHost a\\r\\n\\r\\n
            empty field name                      | GET / HTTP/1.1\\r\\n: a\\r\\n\\r\\n
            HTTP/2.0 in a request line            | GET / HTTP/2.0\\r\\n\\r\\n
            a lower-case version                  | GET / http/1.1\\r\\n\\r\\n
            two spaces in the request line        | GET  / HTTP/1.1\\r\\n\\r\\n
            a space in the target                 | GET /a b HTTP/1.1\\r\\n\\r\\n
            a non-ASCII target                    | GET /\\u00e9 HTTP/1.1\\r\\n\\r\\n
            a chunk size that is not hex          | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n
            a negative chunk size                 | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-1\\r\\n
            a chunk size over 60 bits             | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n10000000000000000\\r\\n
            chunk data longer than its size       | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\nab\\r\\n
            a chunk size line ending in bare LF   | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\nab\\r\\n
            a non-ASCII chunk extension           | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;\\u0094x\\r\\na\\r\\n
            a control byte in a quoted extension  | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;x="\\u0001"\\r\\na\\r\\n
            a non-ASCII quoted extension          | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;x="\\u00e9"\\r\\na\\r\\n
            two values in one extension           | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;x=1x=1\\r\\na\\r\\n
            an extension without its value        | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;x=\\r\\na\\r\\n
            an extension without its name         | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;=1\\r\\na\\r\\n
            an empty extension                    | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;\\r\\na\\r\\n
            whitespace after a token value        | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;x=1 ;y\\r\\na\\r\\n
            whitespace before the size line's end | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1 \\r\\na\\r\\n
            whitespace after the last chunk size  | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\t\\r\\n\\r\\n
            whitespace after an extension name    | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;x \\r\\na\\r\\n
            text after a quoted extension         | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1;x="a"b\\r\\na\\r\\n
            a trailer without a colon             | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nX-T 1\\r\\n\\r\\n
            a trailer name with a non-token byte  | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nX\\u0094T: 1\\r\\n\\r\\n
            a trailer value with a control byte   | POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\nX-T: \\u0001\\r\\n\\r\\n
            """)
    void rejectsWhatParsersCouldReadDifferently(String name, String escaped) {
        List<String> decoded = decoder.feed(unescape(escaped));

        assertThat(decoded).last().isEqualTo("BAD_REQUEST");
        assertThat(decoded).noneMatch(part -> part.equals("MessageEnd"));
    }

    @Test
    void answersTooLongRequestLinesWith414AndTooLargeHeadsWith431() {
        assertThat(decoder.feed("GET /" + "a".repeat(RequestDecoder.MAX_REQUEST_LINE) + " HTTP/1.1\r\n"))
                .containsExactly("URI_TOO_LONG");
        assertThat(new DecodedMessages(new RequestDecoder())
                .feed("GET / HTTP/1.1\r\nX-A: " + "a".repeat(RequestDecoder.MAX_HEAD_SIZE)))
                .containsExactly("HEADERS_TOO_LARGE");
        assertThat(new DecodedMessages(new RequestDecoder())
                .feed("GET / HTTP/1.1\r\n" + "X-A: b\r\n".repeat(RequestDecoder.MAX_FIELDS + 1)))
                .containsExactly("HEADERS_TOO_LARGE");
    }

    @Test
    void rewritesTheHeadForTheBackend() {
        RequestHead head = decodeHead("GET http://front/a HTTP/1.0\r\nHost: front:81\r\nConnection: keep-alive, X-Secret\r\n"
                + "X-Secret: 1\r\nKeep-Alive: 5\r\nUpgrade: h2c\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                + "Accept: */*\r\nX-Forwarded-For: 10.0.0.2\r\nContent-Length: 0\r\n\r\n");
        try {
            assertThat(head.keepAlive()).isTrue();
            ByteBuf encoded = head.encodeForBackend(ByteBufAllocator.DEFAULT, "/a", null, null, ascii("192.0.2.7"),
                    ascii("http"), ascii("81"), new byte[][] {ascii("accept")}, List.of(ascii("X-Added: yes\r\n")));
            try {
                assertThat(encoded.toString(StandardCharsets.US_ASCII)).isEqualTo("GET /a HTTP/1.1\r\n"
                        + "Host: front:81\r\nContent-Length: 0\r\nX-Added: yes\r\n"
                        + "X-Forwarded-For: 10.0.0.1, 10.0.0.2, 192.0.2.7\r\nX-Forwarded-Proto: http\r\n"
                        + "X-Forwarded-Host: front:81\r\nX-Forwarded-Port: 81\r\n\r\n");
            } finally {
                encoded.release();
            }
        } finally {
            head.release();
        }
    }

    @Test
    void sendsAnotherHostAndOnlyTheRelayedUpgradeWithoutAnyH2cField() {
        RequestHead head = decodeHead("GET http://other/a HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                + "Upgrade: h2c, foo\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nAccept: */*\r\n\r\n");
        try {
            assertThat(head.upgrade()).isTrue();
            ByteBuf encoded = head.encodeForBackend(ByteBufAllocator.DEFAULT, "/a", "other", "foo",
                    ascii("192.0.2.7"), ascii("http"), ascii("80"), new byte[0][], List.of());
            try {
                assertThat(encoded.toString(StandardCharsets.US_ASCII)).isEqualTo("GET /a HTTP/1.1\r\n"
                        + "Host: other\r\nAccept: */*\r\nUpgrade: foo\r\nConnection: Upgrade\r\n"
                        + "X-Forwarded-For: 192.0.2.7\r\nX-Forwarded-Proto: http\r\n"
                        + "X-Forwarded-Host: other\r\nX-Forwarded-Port: 80\r\n\r\n");
            } finally {
                encoded.release();
            }
        } finally {
            head.release();
        }
    }

    @Test
    void keepAliveFollowsTheVersionAndConnectionTokens() {
        assertThat(keepAlive("GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isTrue();
        assertThat(keepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n")).isFalse();
        assertThat(keepAlive("GET / HTTP/1.0\r\n\r\n")).isFalse();
        assertThat(keepAlive("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")).isTrue();
    }

    private static boolean keepAlive(String request) {
        RequestHead head = decodeHead(request);
        try {
            return head.keepAlive();
        } finally {
            head.release();
        }
    }

    private static RequestHead decodeHead(String request) {
        EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        RequestHead head = channel.readInbound();
        channel.finishAndReleaseAll();
        return head;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\u00e9", "\u00e9")
                .replace("\\u0094", "\u0094").replace("\\u0001", "\u0001").replace("\\t", "\t");
    }
}

package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests whose framing or host two HTTP parsers could read differently (the stuff of request smuggling) get 400 and
 * a closed connection, and never reach a backend.
 */
class MalformedRequestTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .routes(p -> List.of(p.route("b", "/"))).build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Content-Length with Transfer-Encoding | POST /x HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            two differing Content-Lengths        | POST /x HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\nab
            space before the colon               | GET /x HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n
            bare LF line ends                    | GET /x HTTP/1.1\\nHost: a\\n\\n
            Transfer-Encoding other than chunked | POST /x HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n
            invalid chunk size                   | POST /x HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n
            invalid method token                 | G(T /x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            NUL in a header value                | GET /x HTTP/1.1\\r\\nHost: a\\r\\nX-A: b\\u0000c\\r\\n\\r\\n
            the same Content-Length twice        | POST /x HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 2\\r\\nContent-Length: 2\\r\\n\\r\\nab
            obsolete line folding                | GET /x HTTP/1.1\\r\\nHost: a\\r\\nX-A: b\\r\\n c\\r\\n\\r\\n
            chunked not the last coding          | POST /x HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, identity\\r\\n\\r\\n
            Transfer-Encoding in HTTP/1.0        | POST /x HTTP/1.0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            a bare CR in a header value          | GET /x HTTP/1.1\\r\\nHost: a\\r\\nX-A: b\\rc\\r\\n\\r\\n
            an unknown HTTP version              | GET /x HTTP/1.2\\r\\nHost: a\\r\\n\\r\\n
            an unclosed IPv6 Host                | GET /x HTTP/1.1\\r\\nHost: [::1\\r\\n\\r\\n
            a Host with a path                   | GET /x HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n
            a Host with user information         | GET /x HTTP/1.1\\r\\nHost: evil@a\\r\\n\\r\\n
            a Host with a space inside           | GET /x HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n
            a Host whose port is not a number    | GET /x HTTP/1.1\\r\\nHost: a:80x\\r\\n\\r\\n
            an absolute target with a bad port   | GET http://a:8o/x HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            a fragment in the target             | GET /x#.png HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            a fragment in an absolute target     | GET http://a/x#y HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            chunked named twice in one line      | POST /x HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            chunked named in two lines           | POST /x HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n
            an asterisk target for a GET         | GET * HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n
            """)
    void getsA400AndTheConnectionClosesWithoutReachingTheBackend(String name, String escaped) throws IOException {
        int before = proxy.backend().requests();
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange(unescape(escaped));

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(connection.isClosedByPeer()).isTrue();
        }
        assertThat(proxy.backend().requests()).isEqualTo(before);
    }

    @Test
    void anOptionsRequestsAsteriskTargetGoesToTheBackendAsTheRoot() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("OPTIONS / HTTP/1.1\n");
        }
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\u0000");
    }
}

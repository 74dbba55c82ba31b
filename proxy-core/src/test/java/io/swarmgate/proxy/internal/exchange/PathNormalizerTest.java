package io.swarmgate.proxy.internal.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.internal.exchange.PathNormalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /demo/items?q=a/../b      | /demo/items?q=a/../b
            /demo/../admin            | /admin
            /demo/%2e%2e/admin        | /admin
            /demo/%2E%2e/%2e/admin    | /admin
            /demo/./x/.               | /demo/x/
            //demo///x                | /demo/x
            /../../etc/passwd         | /etc/passwd
            /a/..                     | /
            /%7euser/%41bc            | /~user/Abc
            /a%2fb                    | /a%2Fb
            /files/a%20b%3f           | /files/a%20b%3F
            """)
    void normalisesWhatRoutesMatchAndBackendsReceive(String target, String normal) {
        assertThat(PathNormalizer.normalizeTarget(target)).isEqualTo(normal);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            /public/..%2Fadmin
            /public/..%5cadmin
            /public/..\\admin
            /a/%2e%2e%2fadmin
            /bad%zz
            /cut%2
            /nul%00byte
            /crlf%0d%0aX-Injected:1
            """)
    void refusesPathsThatABackendCouldReadOtherwise(String target) {
        assertThat(PathNormalizer.normalizeTarget(target)).isNull();
    }
}

package io.swarmgate.proxy.internal.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetsTest {

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "app.test", "APP.test:8080", "a_b-c~d.test", "xn--bcher-kva.test", "10.0.0.1:80",
            "[::1]", "[::1]:443", "[2001:db8::8:800:200c:417a]:8443", "caf%C3%A9.test", "app.test:", "!$&'()*+,;="})
    void authoritiesOfRfc3986AreValid(String authority) {
        assertThat(RequestTargets.validAuthority(authority)).isTrue();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"[::1", "::1", "[::1]x", "[not-ip]", "[::1]:8o", "app.test:80:81", "app test", "a/b",
            "user@app.test", "app.test:-1", "a%zz.test", "a%2", "app.test\t", "appé.test", "a\"b", "a<b>", "a\\b",
            "app.test?x", "app.test#x"})
    void anythingElseIsNot(String authority) {
        assertThat(RequestTargets.validAuthority(authority)).isFalse();
    }
}

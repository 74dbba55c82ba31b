package io.swarmgate.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.swarmgate.proxy.tcp.ServerNameRule.Match;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerNameRuleTest {
    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            EXACT     | Api.Test      | api.test          | true
            EXACT     | api.test      | www.api.test      | false
            WILDCARD  | *.api.test    | a.api.test        | true
            WILDCARD  | *.api.test    | a.b.api.test      | true
            WILDCARD  | *.api.test    | api.test          | false
            WILDCARD  | *.api.test    | evilapi.test      | false
            PREFIX    | api.          | api.example.test  | true
            PREFIX    | api.          | www.api.test      | false
            SUFFIX    | .test         | api.test          | true
            SUFFIX    | api.test      | api.test          | true
            SUBSTRING | pi.te         | api.test          | true
            REGEX     | ^db[0-9]+\\.  | db12.test         | true
            REGEX     | ^db[0-9]+\\.  | DB12.test         | true
            REGEX     | ^db[0-9]+\\.  | web.db1.test      | false
            """)
    void comparesServerNamesAsHaproxysMatchMethods(Match match, String value, String serverName, boolean matches) {
        assertThat(ServerNameRule.of(match, value).matches(serverName.toLowerCase(java.util.Locale.ROOT)))
                .isEqualTo(matches);
        assertThat(ServerNameRule.of(match, value).matches(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            REGEX    | (unclosed | server name: '(unclosed' (expected: a regular expression; missing closing ))
            WILDCARD | api.test  | server name: 'api.test' (expected: *.<domain>)
            EXACT    | ''        | server name: must not be empty
            """)
    void refusesValuesThatCannotMatch(Match match, String value, String message) {
        assertThatThrownBy(() -> ServerNameRule.of(match, value)).hasMessage(message);
    }

    /** The name comes from the client: Java's backtracking engine spent 23 s on this one. */
    @Test
    void aPatternThatBacktracksTakesLinearTimeOnACraftedName() {
        ServerNameRule rule = ServerNameRule.of(Match.REGEX, "^(.*a){20}$");
        String crafted = "a".repeat(30) + "-";

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThat(rule.matches(crafted)).isFalse());
        assertThat(rule.matches("a".repeat(30))).isTrue();
    }
}

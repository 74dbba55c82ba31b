package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code letsencrypt.host}: only names the service routes, never a wildcard, each refusal naming the parameter. */
class AcmeNamesTest {
    private static final ReconfigureParameters PARSER = ReconfigureParameters.defaults();
    private static final String ROUTED = "serviceName=s&servicePath=/&port=80&serviceDomain=a.test,*.wild.test";

    @Test
    void acceptsRoutedNamesExactlyOrUnderAWildcardDomain() {
        ServiceSpec service = PARSER.parse(query(ROUTED + "&letsencrypt.host=A.test,x.wild.test"
                + "&letsencrypt.email=ops@a.test"));

        assertThat(AcmeNames.of(service)).containsExactly("a.test", "x.wild.test");
        assertThat(service.letsencryptEmail()).isEqualTo("ops@a.test");
    }

    @Test
    void aServiceWithoutTheParameterAsksForNothing() {
        assertThat(AcmeNames.of(PARSER.parse(query(ROUTED)))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*.wild.test|no wildcard: ACME validates a wildcard by DNS only, which the proxy cannot answer",
        "b.test|one of the service's serviceDomain names, which the CA reaches through the proxy",
        "x.y.wild.test|one of the service's serviceDomain names, which the CA reaches through the proxy",
        "localhost|a fully qualified host name",
        "a..test|a fully qualified host name"})
    void refusesNamesTheCaCouldNotValidateThroughTheProxy(String name, String expected) {
        assertThatThrownBy(() -> PARSER.parse(query(ROUTED + "&letsencrypt.host=" + name)))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessage("letsencrypt.host: '" + name + "' (expected: " + expected + ")");
    }

    @Test
    void refusesAContactThatIsNoAddress() {
        assertThatThrownBy(() -> PARSER.parse(query(ROUTED + "&letsencrypt.host=a.test&letsencrypt.email=ops")))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessage("letsencrypt.email: 'ops' (expected: an e-mail address)");
    }
}

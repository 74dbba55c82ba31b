package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.Credentials;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** USERS, usersSecret and CONNECTION_MODE: rules from the environment and secrets, seen through a real socket. */
class GlobalRulesTest {
    @TempDir
    Path secrets;
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("b").build();
    private ServiceRegistry registry;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(secrets.resolve("dfp_users_team"), "carol:team-pw\ndave:other\n");
        registry = new ServiceRegistry(proxy::routes, GlobalRules.fromEnvironment(
                Map.of("USERS", "admin:root-pw", "CONNECTION_MODE", "http-server-close"), secrets, ""));
    }

    private void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("outboundHostname=127.0.0.1&port="
                + proxy.backend().port() + "&" + parameters)));
    }

    private Response get(String path, String... headers) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + String.join("", headers) + "\r\n");
        }
    }


    @Test
    void usersFromTheEnvironmentProtectEveryServiceThatHasNoneOfItsOwn() throws IOException {
        configure("serviceName=plain&servicePath=/plain");
        configure("serviceName=open&servicePath=/open&ignoreAuthorization=true");

        Response challenged = get("/plain");
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(challenged.header("WWW-Authenticate")).isEqualTo("Basic realm=\"defaultRealm\"");
        assertThat(get("/plain", Credentials.basicHeader("admin", "root-pw")).status()).isEqualTo(200);
        assertThat(get("/open").status()).isEqualTo(200);
    }

    @Test
    void aUsersSecretGivesTheServiceItsOwnUsers() throws IOException {
        configure("serviceName=team&servicePath=/team&usersSecret=team&users=admin");

        assertThat(get("/team").header("WWW-Authenticate")).isEqualTo("Basic realm=\"teamRealm\"");
        assertThat(get("/team", Credentials.basicHeader("carol", "team-pw")).status()).isEqualTo(200);
        // A listed user without a password takes it from USERS.
        assertThat(get("/team", Credentials.basicHeader("admin", "root-pw")).status()).isEqualTo(200);
        assertThat(get("/team", Credentials.basicHeader("carol", "root-pw")).status()).isEqualTo(401);
    }

    @Test
    void connectionModesCloseTheBackendOrBothConnections() throws IOException {
        configure("serviceName=server-close&servicePath=/sc&ignoreAuthorization=true");
        configure("serviceName=both&servicePath=/both&ignoreAuthorization=true&connectionMode=httpclose");

        int before = proxy.backend().connectionsOpened();
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                Response response = connection.exchange("GET /sc HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("Connection")).isNull();
            }
        }
        assertThat(proxy.backend().connectionsOpened() - before).as("a backend connection per request").isEqualTo(3);

        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange("GET /both HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(connection.isClosedByPeer()).isTrue();
        }
    }
}

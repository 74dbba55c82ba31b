package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.Timeouts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A port that cannot be bound stops the start with the cause and what to do about it. */
class BindErrorsTest {
    @Test
    void aProxyPortInUseNamesThePortAndTheSettingsThatChooseIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ServerSettings settings = new ServerSettings("127.0.0.1", 0, List.of(port), ",", false,
                    Timeouts.DEFAULTS, ServerSettings.DEFAULT_SHUTDOWN_GRACE);

            assertThatThrownBy(() -> SwarmgateServer.start(settings, Map.of()))
                    .hasMessageStartingWith("cannot bind the data plane to 0.0.0.0 port " + port + ": ")
                    .hasMessageContaining("Address already in use")
                    .hasMessageEndingWith(" (another process listens on port " + port + ": stop it, or choose "
                            + "another port). DEFAULT_PORTS and BIND_PORTS choose the proxy's ports, e.g. "
                            + "DEFAULT_PORTS=8080,8443:ssl");
        }
    }

    @Test
    void anApiPortInUseSaysSoAndNamesPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ServerSettings settings = new ServerSettings("127.0.0.1", port, List.of(0), ",", false,
                    Timeouts.DEFAULTS, ServerSettings.DEFAULT_SHUTDOWN_GRACE);

            assertThatThrownBy(() -> SwarmgateServer.start(settings, Map.of()))
                    .hasMessageStartingWith("cannot bind the configuration API to 127.0.0.1:" + port + ": ")
                    .hasMessageContaining("Address already in use")
                    .hasMessageEndingWith(" (another process listens there: stop it, or set PORT to another port)");
        }
    }
}

package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.testing.LogCapture;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code TRANSPORT} chooses the data plane's sockets as a Swarmgate started from its environment reads it. */
class TransportSettingTest {
    private SwarmgateServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest
    @CsvSource({"io_uring, IO_URING", "EPOLL, EPOLL", "nio, NIO", "auto, EPOLL"})
    void theDataPlaneListensWithTheTransportAskedFor(String value, String transport) {
        try (LogCapture log = LogCapture.of(ProxyServer.class)) {
            server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of("TRANSPORT", value));

            assertThat(log.messages()).anyMatch(line -> line.contains("(" + transport + " transport"));
        }
    }

    @Test
    void anUnknownTransportStopsTheStartWithItsName() {
        assertThatThrownBy(() -> server = SwarmgateServer.start(ServerSettings.ephemeral(),
                Map.of("TRANSPORT", "kqueue")))
                .hasMessageContaining("TRANSPORT: kqueue (expected: auto, io_uring, epoll or nio)");
    }
}

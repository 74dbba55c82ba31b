package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.TestSwarm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Swarmgate's image runs Netty's native epoll transport. Without the libraries it loads (librt, libpthread, libdl in
 * a glibc base) Netty falls back to Java NIO and the JDK's TLS without a word but the start line's transport, so this
 * reads that line. The container has no network: it only starts, logs, and is removed.
 */
class NativeTransportIT {

    @Test
    void theImagesProxyListensWithTheEpollTransport() {
        String problem = EndToEndSwarm.problem();
        if (problem != null) {
            TestSwarm.unavailable(problem);
        }
        String container = DockerCli.run("run", "--detach", "--rm", "--network", "none",
                "--env", "DEFAULT_PORTS=8081", "--env", "DISCOVERY=off", SwarmgateImage.build());
        try {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> DockerCli.run("logs", container).contains("Data plane listening on"));

            assertThat(DockerCli.run("logs", container))
                    .contains("Data plane listening on [8081] (EPOLL transport, ");
        } finally {
            DockerCli.run("rm", "--force", container);
        }
    }
}

package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultDiscoveryTypeTest {
    @TempDir
    Path dir;

    private Path resolvConf(String content) throws IOException {
        return Files.writeString(dir.resolve("resolv.conf"), content);
    }

    @Test
    void balancesOverTasksByDefaultWhereDockersDnsAnswers() throws IOException {
        Path inContainer = resolvConf("search example\nnameserver 127.0.0.11\noptions ndots:0\n");
        assertThat(DefaultDiscoveryType.of(Map.of(), inContainer)).isEqualTo("DNS");
        assertThat(DefaultDiscoveryType.of(Map.of("DEFAULT_DISCOVERY_TYPE", "Overlay"), inContainer)).isEmpty();
    }

    @Test
    void keepsTheVipElsewhereUnlessAskedFor() throws IOException {
        Path onAHost = resolvConf("nameserver 192.168.1.1\n");
        assertThat(DefaultDiscoveryType.of(Map.of(), onAHost)).isEmpty();
        assertThat(DefaultDiscoveryType.of(Map.of(), dir.resolve("missing"))).isEmpty();
        assertThat(DefaultDiscoveryType.of(Map.of("DEFAULT_DISCOVERY_TYPE", "DNS"), onAHost)).isEqualTo("DNS");
        assertThatThrownBy(() -> DefaultDiscoveryType.of(Map.of("DEFAULT_DISCOVERY_TYPE", "ipvs"), onAHost))
                .hasMessageContaining("DEFAULT_DISCOVERY_TYPE: 'ipvs'");
    }
}

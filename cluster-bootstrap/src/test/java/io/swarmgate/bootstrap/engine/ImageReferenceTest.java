package io.swarmgate.bootstrap.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
    @Test
    void aFirstPartWithAPortOrADotIsARegistry() {
        assertThat(ImageReference.parse("192.168.79.11:5000/shop:abc"))
                .isEqualTo(new ImageReference("192.168.79.11:5000", "shop", "abc"));
        assertThat(ImageReference.parse("registry.example.com/team/app"))
                .isEqualTo(new ImageReference("registry.example.com", "team/app", "latest"));
    }

    @Test
    void aPlainRepositoryHasNoRegistry() {
        ImageReference ref = ImageReference.parse("swarmgate-testbed/busybox:1");

        assertThat(ref.hasRegistry()).isFalse();
        assertThat(ref.in("127.0.0.1:5000").toString()).isEqualTo("127.0.0.1:5000/swarmgate-testbed/busybox:1");
    }
}

package io.swarmgate.bootstrap.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StackFileTest {
    @Test
    void saysWhatTheServiceSpecSays() {
        ProxySettings settings = new ProxySettings("proxy", "registry:5000/swarmgate:1", 3, List.of(80, 8080), true,
                "proxy", "/var/run/docker.sock");

        String stack = StackFile.of(settings);
        var spec = ProxyService.spec(settings);

        assertThat(stack).contains("image: registry:5000/swarmgate:1", "replicas: 3", "mode: host",
                "endpoint_mode: dnsrr", "failure_action: rollback", "parallelism: 1", "delay: 10s",
                "read_only: true", "constraints: [\"node.role==manager\"]", "external: true");
        assertThat(spec.getMode().getReplicated().getReplicas()).isEqualTo(3);
        assertThat(spec.getUpdateConfig().getParallelism()).isEqualTo(1);
        assertThat(spec.getUpdateConfig().getDelay()).isEqualTo(10_000_000_000L);
        assertThat(spec.getTaskTemplate().getContainerSpec().getMounts().get(0).getReadOnly()).isTrue();
        assertThat(spec.getTaskTemplate().getPlacement().getConstraints()).containsExactly("node.role==manager");
    }

    @Test
    void leavesTheUnprotectedApiUnpublishedByDefaultAndSaysHowToReachIt() {
        String defaultPorts = new CommandLine(new ProxyCommand()).getSubcommands().get("deploy").getCommandSpec()
                .findOption("--port").defaultValue();
        ProxySettings settings = new ProxySettings("proxy", "swarmgate", 3, List.of(Integer.valueOf(defaultPorts)),
                true, "proxy", "/var/run/docker.sock");

        assertThat(defaultPorts).isEqualTo("80");
        assertThat(ProxyService.spec(settings).getEndpointSpec().getPorts())
                .extracting(port -> port.getPublishedPort()).containsExactly(80);
        assertThat(StackFile.of(settings)).contains("published: 80").doesNotContain("published: 8080")
                .contains("# configuration API: not published; reach it from a container on the network proxy, "
                        + "e.g. docker run --rm --network proxy busybox wget -qO- "
                        + "http://proxy:8080/v1/docker-flow-proxy/config");
    }

    @Test
    void warnsWhenTheApiIsPublished() {
        ProxySettings settings = new ProxySettings("proxy", "swarmgate", 3, List.of(80, 8080), true, "proxy",
                "/var/run/docker.sock");

        assertThat(settings.apiAccess()).isEqualTo("configuration API: published on port 8080 with no token: anyone "
                + "who reaches it can reroute every service; publish only 80 (the default) and reach it from the "
                + "network proxy");
    }

    @Test
    void ingressPortsNeedTheVirtualIp() {
        ProxySettings settings = new ProxySettings("proxy", "swarmgate", 2, List.of(80), false, "proxy",
                "/var/run/docker.sock");

        assertThat(StackFile.of(settings)).contains("mode: ingress", "endpoint_mode: vip", "order: start-first");
        assertThat(ProxyService.spec(settings).getEndpointSpec().getMode().toString()).isEqualToIgnoringCase("vip");
    }
}

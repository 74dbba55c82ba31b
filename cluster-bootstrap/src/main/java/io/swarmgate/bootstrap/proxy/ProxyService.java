package io.swarmgate.bootstrap.proxy;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import java.util.List;
import java.util.Map;

/** Swarmgate's service spec, as the Docker API takes it. */
final class ProxyService {
    private ProxyService() {
    }

    static ServiceSpec spec(ProxySettings settings) {
        UpdateConfig rolling = new UpdateConfig().withParallelism(1L)
                .withDelay(ProxySettings.UPDATE_DELAY.toNanos())
                .withMonitor(ProxySettings.UPDATE_MONITOR.toNanos())
                .withFailureAction(UpdateFailureAction.ROLLBACK)
                // Host-mode ports: a node's new replica can bind only once its old one is gone.
                .withOrder(settings.hostMode() ? UpdateOrder.STOP_FIRST : UpdateOrder.START_FIRST);
        List<PortConfig> ports = settings.ports().stream().map(port -> new PortConfig().withTargetPort(port)
                .withPublishedPort(port).withPublishMode(settings.hostMode() ? PortConfig.PublishMode.host
                        : PortConfig.PublishMode.ingress)).toList();
        return new ServiceSpec().withName(settings.name())
                .withLabels(Map.of("io.swarmgate.bootstrap", "proxy"))
                .withMode(new ServiceModeConfig().withReplicated(
                        new ServiceReplicatedModeOptions().withReplicas(settings.replicas())))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(settings.image())
                                .withEnv(settings.environment())
                                .withMounts(List.of(new Mount().withType(MountType.BIND)
                                        .withSource(settings.socket()).withTarget(ProxySettings.SOCKET_IN_CONTAINER)
                                        .withReadOnly(true)))
                                .withHealthCheck(new HealthCheck().withTest(ProxySettings.HEALTH_TEST)
                                        .withInterval(ProxySettings.HEALTH_INTERVAL.toNanos())
                                        .withTimeout(ProxySettings.HEALTH_TIMEOUT.toNanos())
                                        .withRetries(ProxySettings.HEALTH_RETRIES)
                                        .withStartPeriod(ProxySettings.HEALTH_START.toNanos())))
                        .withPlacement(new ServicePlacement().withConstraints(List.of(ProxySettings.CONSTRAINT)))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                                .withDelay(ProxySettings.RESTART_DELAY.toNanos()))
                        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(settings.network()))))
                .withUpdateConfig(rolling)
                .withRollbackConfig(new UpdateConfig().withParallelism(1L)
                        .withOrder(rolling.getOrder()).withFailureAction(UpdateFailureAction.PAUSE))
                // No IPVS, no virtual IP: host-mode ports go with DNS round robin; ingress needs the VIP.
                .withEndpointSpec(new EndpointSpec().withMode(settings.hostMode() ? EndpointResolutionMode.DNSRR
                        : EndpointResolutionMode.VIP).withPorts(ports));
    }
}

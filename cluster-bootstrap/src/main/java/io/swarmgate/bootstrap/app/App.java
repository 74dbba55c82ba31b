package io.swarmgate.bootstrap.app;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An app as the book's go-demo: its service on the proxy network with the {@code com.df.*} labels Swarmgate routes
 * by, and its database reachable from the app alone, on an internal network named after the app. Both use DNS round
 * robin (this kernel has no IPVS for virtual IPs; Swarmgate balances over {@code tasks.<name>}).
 */
public record App(String name, String image, String command, String path, int port, int replicas, String dbImage,
        String dbCommand, String proxyNetwork) {
    /** A database stand-in: answers "db" on 27017. */
    static final String DB_STAND_IN = "mkdir -p /db && echo db > /db/index.html && exec httpd -f -p 27017 -h /db";

    /** busybox httpd answering {@code <path>/hello} with the task's host name (the container ID). */
    public static String helloCommand(String path, int port) {
        return "mkdir -p /www" + path + " && echo \"hello from $(hostname)\" > /www" + path + "/hello"
                + " && exec httpd -f -p " + port + " -h /www";
    }

    String databaseName() {
        return name + "-db";
    }

    ServiceSpec database() {
        return spec(databaseName(), dbImage, dbCommand, 1, List.of(name), Map.of("io.swarmgate.bootstrap", "app"));
    }

    ServiceSpec service() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("io.swarmgate.bootstrap", "app");
        labels.put("com.df.notify", "true");
        labels.put("com.df.servicePath", path);
        labels.put("com.df.port", String.valueOf(port));
        labels.put("com.df.discoveryType", "DNS");
        return spec(name, image, command, replicas, List.of(proxyNetwork, name), labels);
    }

    private ServiceSpec spec(String service, String serviceImage, String shellCommand, int count,
            List<String> networks, Map<String, String> labels) {
        return new ServiceSpec().withName(service).withLabels(labels)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions()
                        .withReplicas(count)))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(serviceImage)
                                .withCommand(List.of("sh", "-c", shellCommand))
                                .withEnv(List.of("DB=" + databaseName())))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                                .withDelay(Duration.ofSeconds(2).toNanos()))
                        .withNetworks(networks.stream()
                                .map(network -> new NetworkAttachmentConfig().withTarget(network)).toList()))
                .withUpdateConfig(new UpdateConfig().withParallelism(1L).withDelay(Duration.ofSeconds(2).toNanos())
                        .withFailureAction(UpdateFailureAction.ROLLBACK).withOrder(UpdateOrder.START_FIRST))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
    }
}

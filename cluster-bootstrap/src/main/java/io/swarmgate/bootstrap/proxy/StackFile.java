package io.swarmgate.bootstrap.proxy;

import java.time.Duration;
import java.util.stream.Collectors;

/** The {@code docker stack deploy} file equivalent to {@link ProxyService#spec}. */
final class StackFile {
    private StackFile() {
    }

    static String of(ProxySettings settings) {
        String ports = settings.ports().stream().map(port -> String.join("\n",
                "      - target: " + port,
                "        published: " + port,
                "        protocol: tcp",
                "        mode: " + (settings.hostMode() ? "host" : "ingress")))
                .collect(Collectors.joining("\n"));
        return String.join("\n",
                "# Swarmgate as `swarmgate-bootstrap proxy deploy` runs it: docker stack deploy -c <this file> <stack>",
                "# " + settings.apiAccess(),
                "version: \"3.8\"",
                "services:",
                "  " + settings.name() + ":",
                "    image: " + settings.image(),
                "    environment:",
                settings.environment().stream().map(variable -> "      - " + variable)
                        .collect(Collectors.joining("\n")),
                "    ports:",
                ports,
                "    volumes:",
                "      - type: bind",
                "        source: " + settings.socket(),
                "        target: " + ProxySettings.SOCKET_IN_CONTAINER,
                "        read_only: true",
                "    networks:",
                "      - " + settings.network(),
                "    healthcheck:",
                "      test: [" + ProxySettings.HEALTH_TEST.stream().map(part -> "\"" + part + "\"")
                        .collect(Collectors.joining(", ")) + "]",
                "      interval: " + seconds(ProxySettings.HEALTH_INTERVAL),
                "      timeout: " + seconds(ProxySettings.HEALTH_TIMEOUT),
                "      retries: " + ProxySettings.HEALTH_RETRIES,
                "      start_period: " + seconds(ProxySettings.HEALTH_START),
                "    deploy:",
                "      replicas: " + settings.replicas(),
                "      endpoint_mode: " + (settings.hostMode() ? "dnsrr" : "vip"),
                "      labels:",
                "        io.swarmgate.bootstrap: proxy",
                "      placement:",
                "        constraints: [\"" + ProxySettings.CONSTRAINT + "\"]",
                "      restart_policy:",
                "        condition: any",
                "        delay: " + seconds(ProxySettings.RESTART_DELAY),
                "      update_config:",
                "        parallelism: 1",
                "        delay: " + seconds(ProxySettings.UPDATE_DELAY),
                "        monitor: " + seconds(ProxySettings.UPDATE_MONITOR),
                "        failure_action: rollback",
                "        order: " + (settings.hostMode() ? "stop-first" : "start-first"),
                "      rollback_config:",
                "        parallelism: 1",
                "        failure_action: pause",
                "        order: " + (settings.hostMode() ? "stop-first" : "start-first"),
                "networks:",
                "  " + settings.network() + ":",
                "    external: true",
                "");
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }
}

package io.swarmgate.api;

import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.ServiceSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, once per service and port, of an HTTP destination whose {@code srcPort} no proxy listener has: its route can
 * never match, and without a word the service would seem routed. A TCP destination opens its own listener.
 */
final class UnlistenedPorts implements Consumer<ServiceSpec> {
    private static final Logger log = LoggerFactory.getLogger(UnlistenedPorts.class);

    private final Set<Integer> listened;
    private final Set<String> told = new HashSet<>();

    UnlistenedPorts(Set<Integer> listened) {
        this.listened = Set.copyOf(listened);
    }

    /** Checks a service as it is applied: the others were checked when they were. */
    @Override
    public synchronized void accept(ServiceSpec service) {
        for (DestinationSpec destination : service.destinations()) {
            int port = destination.srcPort();
            if (!destination.relaysTcp() && port > 0 && !listened.contains(port)
                    && told.add(service.serviceName() + ":" + port)) {
                log.warn("Service {} routes requests on srcPort {}, where the proxy does not listen (it listens on "
                        + "{}): none reaches it. Add the port to BIND_PORTS, or remove srcPort",
                        service.serviceName(), port, listened.stream().sorted().toList());
            }
        }
    }
}

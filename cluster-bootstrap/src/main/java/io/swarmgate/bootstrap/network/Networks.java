package io.swarmgate.bootstrap.network;

import com.github.dockerjava.api.model.Network;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.engine.Engine;
import java.util.Optional;

/** Overlay networks of a swarm, made once: the proxy's (attachable) and per-app ones (internal for databases). */
public final class Networks {
    private Networks() {
    }

    public static void ensureOverlay(Engine manager, String name, boolean attachable, boolean internal,
            Console console) {
        String kind = (internal ? "internal " : "") + (attachable ? "attachable " : "") + "overlay";
        Optional<Network> existing = manager.api().listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(network -> name.equals(network.getName())).findFirst();
        if (existing.isPresent()) {
            Network network = existing.get();
            if (!"overlay".equals(network.getDriver())) {
                throw new BootstrapException("network " + name + " exists with driver " + network.getDriver()
                        + ", not overlay; remove it or choose another name");
            }
            boolean same = Boolean.TRUE.equals(network.isAttachable()) == attachable
                    && Boolean.TRUE.equals(network.getInternal()) == internal;
            console.unchanged("network " + name + ": already there" + (same ? ""
                    : " (left as it is, although not " + kind + ")"));
            return;
        }
        manager.api().createNetworkCmd().withName(name).withDriver("overlay").withAttachable(attachable)
                .withInternal(internal).exec();
        console.did("network " + name + ": created, " + kind);
    }
}

package io.swarmgate.api.acme;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The lock of a proxy without a Docker socket: it is the only replica that orders, so only its own orders exclude. */
public final class LocalOrderLock implements OrderLock {
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<Held> tryLock(String key) {
        return held.add(key) ? Optional.of(() -> held.remove(key)) : Optional.empty();
    }
}

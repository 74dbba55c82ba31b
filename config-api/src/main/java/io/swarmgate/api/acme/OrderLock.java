package io.swarmgate.api.acme;

import java.util.Optional;

/** Grants one replica at a time the right to order a name set's certificate. */
public interface OrderLock extends AutoCloseable {
    /** The lock for {@code key}, if no one holds it; one held longer than an order can take is taken over. */
    Optional<Held> tryLock(String key);

    /** Lets go of what the lock uses to reach others, e.g. its Docker client. */
    @Override
    default void close() {
    }

    /** A lock this replica holds. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}

package io.swarmgate.proxy.policy;

/**
 * A {@link RoutePolicy} that hears how each exchange of its route ended, e.g. to count failures and slow answers. It
 * is told on the I/O thread of the exchange, once per exchange the route took, whoever answered it; it must not block.
 */
@FunctionalInterface
public interface ExchangeObserver {
    void exchangeEnded(ExchangeOutcome outcome);
}

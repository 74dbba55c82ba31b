package io.swarmgate.proxy.internal.exchange;

import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.internal.http1.MessageHead;
import io.swarmgate.proxy.route.UpgradeProtocols;
import java.util.ArrayList;
import java.util.List;

/**
 * Which protocol upgrades an exchange relays. An upgraded connection is a byte tunnel that no route rule sees into, so
 * a request keeps only the protocols its route relays ({@link UpgradeProtocols}) and is served as plain HTTP when none
 * is left; and a backend's 101 starts a tunnel only when it switches to one of those.
 */
final class Upgrades {
    private Upgrades() {
    }

    /**
     * The protocols of the request's upgrade that the route relays, in the request's order, as an {@code Upgrade}
     * value; {@code null} when the request asks for no upgrade or for none of those.
     */
    static String relayed(ClientRequestHead request, UpgradeProtocols allowed) {
        if (!request.upgrade() || !(request instanceof MessageHead fields)) {
            return null; // only HTTP/1.1 upgrades
        }
        StringBuilder kept = null;
        for (String protocol : protocols(fields)) {
            if (allowed.allows(protocol)) {
                kept = kept == null ? new StringBuilder(protocol) : kept.append(", ").append(protocol);
            }
        }
        return kept == null ? null : kept.toString();
    }

    /**
     * Whether a 101 switches to protocols that were relayed: its {@code Upgrade} names some, all among them. Only an
     * HTTP/1.1 response may (HTTP/2 has no 101).
     */
    static boolean switchesToRelayed(BackendResponseHead response, String relayed) {
        if (relayed == null || !(response instanceof MessageHead answer)) {
            return false;
        }
        List<String> asked = split(relayed, new ArrayList<>());
        List<String> named = protocols(answer);
        for (String protocol : named) {
            if (asked.stream().noneMatch(a -> UpgradeProtocols.sameName(a, protocol))) {
                return false;
            }
        }
        return !named.isEmpty();
    }

    /** The protocols of every {@code Upgrade} field of a head. */
    private static List<String> protocols(MessageHead head) {
        List<String> protocols = new ArrayList<>(2);
        for (int f = 0; f < head.fieldCount(); f++) {
            if (head.isKind(f, HeaderKind.UPGRADE)) {
                split(head.value(f), protocols);
            }
        }
        return protocols;
    }

    private static List<String> split(String list, List<String> into) {
        for (String item : list.split(",")) {
            String protocol = item.strip();
            if (!protocol.isEmpty()) {
                into.add(protocol);
            }
        }
        return into;
    }
}

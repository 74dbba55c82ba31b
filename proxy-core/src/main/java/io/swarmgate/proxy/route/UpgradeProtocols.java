package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The protocol upgrades a route relays ({@code upgradeProtocols}): WebSocket always, and the protocols named here.
 * Once an upgrade is relayed the connection is a byte tunnel the proxy no longer reads, so every other upgrade is
 * refused: the request goes on as plain HTTP. Protocols are compared by name ({@code foo} in {@code foo/2}), in any
 * case.
 * {@code h2c} can never be named: its tunnel carries HTTP/2 requests for any path, past every rule of the route.
 */
public final class UpgradeProtocols {
    /** WebSocket alone, the default. */
    public static final UpgradeProtocols WEBSOCKET = new UpgradeProtocols(List.of());
    private static final String WEBSOCKET_NAME = "websocket";
    /** HTTP/2 over cleartext, and HTTP/2's name, which backends also take for an upgrade to it. */
    private static final List<String> HTTP2_NAMES = List.of("h2c", "h2");

    private final List<String> names;

    private UpgradeProtocols(List<String> names) {
        this.names = names;
    }

    /**
     * WebSocket and the given protocols.
     *
     * @throws IllegalArgumentException {@code upgradeProtocols: '<name>' (…)} for a name that is not a protocol
     *                                  token, or that would let requests bypass the route's rules
     */
    public static UpgradeProtocols of(Collection<String> protocols) {
        List<String> names = new ArrayList<>();
        for (String protocol : protocols) {
            String refusal = refusal(protocol);
            if (refusal != null) {
                throw new IllegalArgumentException("upgradeProtocols: '" + protocol + "' (" + refusal + ")");
            }
            String name = nameOf(protocol).toLowerCase(Locale.ROOT);
            if (!name.equals(WEBSOCKET_NAME) && !names.contains(name)) {
                names.add(name);
            }
        }
        return names.isEmpty() ? WEBSOCKET : new UpgradeProtocols(List.copyOf(names));
    }

    /** Why a route cannot relay upgrades to {@code protocol}, or {@code null} when it can. */
    public static String refusal(String protocol) {
        int slash = protocol.indexOf('/');
        String name = slash < 0 ? protocol : protocol.substring(0, slash);
        if (!isToken(name) || (slash >= 0 && !isToken(protocol.substring(slash + 1)))) {
            return "expected: upgrade tokens such as foo or foo/2";
        }
        if (HTTP2_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            return "refused: an upgrade to HTTP/2 turns the connection into a tunnel for requests to any path, "
                    + "which would bypass the route's rules";
        }
        return null;
    }

    /** The protocols named besides WebSocket, in lower case. */
    public List<String> names() {
        return names;
    }

    /** Whether an upgrade to {@code protocol} ({@code name} or {@code name/version}) is relayed. */
    public boolean allows(CharSequence protocol) {
        int nameEnd = nameEnd(protocol);
        if (regionEquals(protocol, nameEnd, WEBSOCKET_NAME)) {
            return true;
        }
        for (int i = 0; i < names.size(); i++) { // indexed: no iterator per upgrade request
            if (regionEquals(protocol, nameEnd, names.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** Whether two protocol tokens name the same protocol, whatever their versions and case. */
    public static boolean sameName(CharSequence a, CharSequence b) {
        int nameEnd = nameEnd(a);
        return nameEnd == nameEnd(b) && a.toString().regionMatches(true, 0, b.toString(), 0, nameEnd);
    }

    private static boolean regionEquals(CharSequence protocol, int nameEnd, String lowerCaseName) {
        return nameEnd == lowerCaseName.length()
                && protocol.toString().regionMatches(true, 0, lowerCaseName, 0, nameEnd);
    }

    private static int nameEnd(CharSequence protocol) {
        for (int i = 0; i < protocol.length(); i++) {
            if (protocol.charAt(i) == '/') {
                return i;
            }
        }
        return protocol.length();
    }

    private static String nameOf(String protocol) {
        return protocol.substring(0, nameEnd(protocol));
    }

    /** RFC 9110 §5.6.2: one or more token characters. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}

package io.swarmgate.testing;

import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.util.List;

/**
 * Runs a proxy in its own JVM, so a test can bound that JVM's memory: routes {@code /} to 127.0.0.1:{@code args[0]},
 * prints {@code PORT <n>} once it listens and runs until its standard input closes.
 */
public final class StandaloneProxy {
    private StandaloneProxy() {
    }

    public static void main(String[] args) throws Exception {
        int backendPort = Integer.parseInt(args[0]);
        ProxyServer server = ProxyServer.builder()
                .http(0)
                .bindAddress("127.0.0.1")
                .routes(RouteTable.of(List.of(Route.builder("backend").path("/").backend("127.0.0.1", backendPort).build())))
                .build()
                .start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() != -1) {
            // runs until the parent closes our input
        }
        server.stop();
    }
}

package io.swarmgate.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for Docker Flow Swarm Listener's {@code get-services} on a free loopback port: answers the services the
 * test sets, 503 while they are null.
 */
final class ListenerStandIn implements AutoCloseable {
    private final AtomicReference<String> services = new AtomicReference<>();
    private final AtomicInteger asked = new AtomicInteger();
    private final HttpServer server;

    ListenerStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/docker-flow-swarm-listener/get-services", exchange -> {
            asked.incrementAndGet();
            String listed = services.get();
            if (listed == null) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                byte[] body = listed.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    /** What get-services answers from now on: a JSON array, or null for a 503. */
    void answer(String servicesJson) {
        services.set(servicesJson);
    }

    int asked() {
        return asked.get();
    }

    /** {@code 127.0.0.1:<port>}, as LISTENER_ADDRESS names it. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

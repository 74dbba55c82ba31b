package io.swarmgate.discovery.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * WireMock standing in for the Docker API to inject faults: it relays every call to the real engine, which the test
 * bed also serves on loopback TCP because WireMock cannot speak over a unix socket, until a fault is injected into
 * the service listings and the event stream.
 *
 * <p>WireMock reads a relayed answer whole before it answers, so Docker's endless event stream cannot pass through.
 * Events are answered here with a stream that stays silent for {@link #EVENT_STREAM_LIFE} and then ends, which
 * discovery treats as a break: it reopens the stream with back-off and lists the services each time it opens. Events
 * themselves are tested against the engine directly.
 *
 * <p>A longer stream life keeps those listings out of a test's time, as with the engine's own stream, which goes on
 * while the swarm refuses reads (it has no leader).
 */
public final class DockerApiFaults implements BeforeEachCallback, AfterEachCallback {
    /** The test bed's engine on loopback TCP. */
    public static final URI ENGINE = URI.create("http://127.0.0.1:2375");
    public static final Duration EVENT_STREAM_LIFE = Duration.ofSeconds(1);
    private static final String EVENTS = "(/v[0-9.]+)?/events";
    private static final String SERVICES = "(/v[0-9.]+)?/services.*";
    private static final String TASKS = "(/v[0-9.]+)?/tasks.*";
    private static final int FAULT = 1;
    private static final int STAND_IN = 5;
    private static final int RELAY = 10;

    /** What the engine seems to do while a fault is injected. */
    public enum Kind {
        /** Answers 500 with Docker's error body. */
        SERVER_ERROR(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"injected failure\"}")),
        /** Resets the connection before answering. */
        CONNECTION_RESET(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        private final ResponseDefinitionBuilder answer;

        Kind(ResponseDefinitionBuilder answer) {
            this.answer = answer;
        }
    }

    private final Duration eventStreamLife;
    private WireMockServer wireMock;
    private UUID eventsFault;

    /** Event streams that last {@link #EVENT_STREAM_LIFE}. */
    public DockerApiFaults() {
        this(EVENT_STREAM_LIFE);
    }

    public DockerApiFaults(Duration eventStreamLife) {
        this.eventStreamLife = eventStreamLife;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String problem = engineProblem();
        if (problem != null) {
            TestSwarm.unavailable(problem);
        }
        wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wireMock.start();
        wireMock.stubFor(any(anyUrl()).atPriority(RELAY).willReturn(aResponse().proxiedFrom(ENGINE.toString())));
        wireMock.stubFor(get(urlPathMatching(EVENTS)).atPriority(STAND_IN).willReturn(silentStreamThenEnd()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (wireMock != null) {
            wireMock.stop();
        }
    }

    /** Where discovery finds the stand-in. */
    public String dockerHost() {
        return "tcp://127.0.0.1:" + wireMock.port();
    }

    /** From now on the service listings and the event stream fail this way; other calls are still relayed. */
    public void inject(Kind kind) {
        wireMock.stubFor(get(urlPathMatching(SERVICES)).atPriority(FAULT).willReturn(kind.answer));
        eventsFault = wireMock.stubFor(get(urlPathMatching(EVENTS)).atPriority(FAULT).willReturn(kind.answer))
                .getId();
    }

    /** From now on the service listings and reads fail this way; the event stream and other calls go on. */
    public void injectIntoServices(Kind kind) {
        wireMock.stubFor(get(urlPathMatching(SERVICES)).atPriority(FAULT).willReturn(kind.answer));
    }

    /** From now on the task listings fail this way; other calls are still relayed. */
    public void injectIntoTasks(Kind kind) {
        wireMock.stubFor(get(urlPathMatching(TASKS)).atPriority(FAULT).willReturn(kind.answer));
    }

    /** Whether discovery tried to open the event stream again and met the fault. */
    public boolean eventStreamRefused() {
        return eventsFault != null && wireMock.getAllServeEvents().stream()
                .anyMatch(served -> served.getStubMapping() != null
                        && eventsFault.equals(served.getStubMapping().getId()));
    }

    /** Relays to the engine again. */
    public void recover() {
        List<StubMapping> faults = wireMock.getStubMappings().stream().filter(s -> s.getPriority() == FAULT).toList();
        faults.forEach(wireMock::removeStub);
        eventsFault = null;
    }

    /** Headers at once, then whitespace (which Docker's JSON stream may carry) until the stream ends. */
    private ResponseDefinitionBuilder silentStreamThenEnd() {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("\n\n").withChunkedDribbleDelay(2, (int) eventStreamLife.toMillis());
    }

    /** Why the engine's TCP address cannot serve as the relay's target, or null when it can. */
    private static String engineProblem() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> ping = http.send(HttpRequest.newBuilder(ENGINE.resolve("/_ping")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ping.statusCode() == 200 ? null : "the engine at " + ENGINE + " answers " + ping.statusCode();
        } catch (IOException e) {
            return "no Docker engine answers at " + ENGINE + " (" + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}

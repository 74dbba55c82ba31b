package io.swarmgate.api.acme;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmgate.proxy.tls.SelfSignedCertificate;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Let's Encrypt's ACME test server, run from the Debian package {@code pebble} on loopback, with real validation:
 * its DNS is {@code pebble-challtestsrv}, which answers 127.0.0.1 for every name unless told otherwise, and it
 * validates HTTP-01 and TLS-ALPN-01 at the ports given, where the proxy under test listens. Its own HTTPS uses a
 * certificate made here, which {@link #caFile()} holds for {@code ACME_CA_FILE}. Orders are counted at the CA side,
 * from its log of requests.
 */
final class Pebble implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path directory;
    private final int acmePort;
    private final int challengeManagementPort;
    private final List<Process> processes = new ArrayList<>();

    private Pebble(Path directory, int acmePort, int challengeManagementPort) {
        this.directory = directory;
        this.acmePort = acmePort;
        this.challengeManagementPort = challengeManagementPort;
    }

    /** Fails under CI ({@code CI=true}), which installs the package, and skips elsewhere, when it is missing. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/pebble"))
                && Files.isExecutable(Path.of("/usr/bin/pebble-challtestsrv"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("pebble is not installed: .ci/run installs it with apt-get install pebble");
        }
        assumeTrue(installed, "pebble is not installed (apt-get install pebble)");
    }

    /**
     * Starts the DNS and the CA.
     *
     * @param httpPort        where it validates HTTP-01
     * @param tlsPort         where it validates TLS-ALPN-01
     * @param validitySeconds the lifetime of the certificates it issues
     * @param blocked         names it refuses to issue for
     */
    static Pebble start(Path directory, int httpPort, int tlsPort, long validitySeconds, List<String> blocked)
            throws IOException {
        assumeInstalled();
        Files.createDirectories(directory);
        int dnsPort = freePort();
        Pebble pebble = new Pebble(directory, freePort(), freePort());
        ServerCertificate tls = SelfSignedCertificate.create("pebble", List.of("localhost"));
        Files.writeString(directory.resolve("key.pem"), pem(new JcaPKCS8Generator(tls.key(), null)));
        Files.writeString(directory.resolve("cert.pem"), pem(tls.chain().get(0)));
        Files.writeString(directory.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false,
                  "certificateValidityPeriod": %d, "domainBlocklist": [%s]}}
                """.formatted(pebble.acmePort, freePort(), directory.resolve("cert.pem"),
                directory.resolve("key.pem"), httpPort, tlsPort, validitySeconds,
                String.join(",", blocked.stream().map(name -> "\"" + name + "\"").toList())));
        try {
            pebble.run("challtestsrv", List.of("pebble-challtestsrv", "-defaultIPv4", "127.0.0.1",
                    "-defaultIPv6", "", "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "",
                    "-tlsalpn01", "", "-management", "127.0.0.1:" + pebble.challengeManagementPort), Map.of());
            pebble.awaitPort(pebble.challengeManagementPort);
            pebble.run("pebble", List.of("pebble", "-config", directory.resolve("pebble.json").toString(),
                    "-dnsserver", "127.0.0.1:" + dnsPort), Map.of(
                    "PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0"));
            pebble.awaitPort(pebble.acmePort);
            return pebble;
        } catch (IOException | RuntimeException e) {
            pebble.close();
            throw e;
        }
    }

    private void run(String name, List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        processes.add(builder.start());
    }

    private void awaitPort(int port) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    }
                });
    }

    /** Its ACME directory. */
    URI directory() {
        return URI.create("https://localhost:" + acmePort + "/dir");
    }

    /** The certificate its ACME API serves, for {@code ACME_CA_FILE}. */
    Path caFile() {
        return directory.resolve("cert.pem");
    }

    /** New orders it received so far, whatever became of them. */
    long orders() {
        try {
            return Files.readAllLines(directory.resolve("pebble.log"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("POST /order-plz")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HTTP-01 validations it attempted so far. */
    long httpValidations() {
        try {
            return Files.readAllLines(directory.resolve("pebble.log"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("Attempting to validate w/ HTTP"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its DNS fails every query for {@code host} from now on: the name leads nowhere, least of all to the proxy. */
    void doesNotResolve(String host) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + challengeManagementPort + "/set-servfail"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"" + host + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("pebble-challtestsrv set-servfail: " + answer.statusCode() + " "
                    + answer.body());
        }
    }

    /** Stops the CA only, as an outage would; the DNS keeps answering. */
    void stopCa() throws InterruptedException {
        Process ca = processes.get(processes.size() - 1);
        ca.destroy();
        ca.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * A port free now, below the kernel's ephemeral range (32768 up): a test binds it later, by name, for Pebble to
     * validate on, and a port the kernel hands out could meanwhile become some outgoing connection's local port.
     */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (BindException taken) {
                // another one
            }
        }
        throw new IOException("no free port between 20000 and 32000 after 100 tries");
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}

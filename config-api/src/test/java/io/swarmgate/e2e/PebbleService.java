package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmgate.discovery.testing.TestSwarm;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pebble, Let's Encrypt's test CA, as a Swarm service on {@code proxy}: the host's Debian binaries (linked to glibc,
 * as the JRE image is) bind-mounted into the test bed's JRE image, with {@code pebble-challtestsrv} as its only DNS.
 * The service's endpoint is {@code dnsrr}, so that its name resolves to the task itself: a VIP needs IPVS, which the
 * test bed's kernel may lack. Its HTTPS certificate, made here, is {@link #caFile} for {@code ACME_CA_FILE}.
 */
final class PebbleService {
    /** Where the service and the proxies that trust it find the CA's files. */
    static final String MOUNTED = "/pebble";
    private static final String CHALLTESTSRV_API = "http://127.0.0.1:8055";

    private final String name;

    private PebbleService(String name) {
        this.name = name;
    }

    /**
     * Creates the service with its files in {@code files} and returns once both its DNS and its ACME API listen.
     * Pebble validates HTTP-01 at port 80 and TLS-ALPN-01 at port 443 of the names' addresses.
     */
    static PebbleService start(Path files) throws IOException, InvalidCertificateException {
        assumeInstalled();
        PebbleService pebble = new PebbleService(TestSwarm.uniqueName("e2e-pebble"));
        String bundle = TestCertificates.pem(pebble.name);
        // Pebble reads its key and its certificate from one bundle (Go skips the other block); the proxies trust
        // the certificate alone.
        Files.writeString(files.resolve("bundle.pem"), bundle);
        Files.writeString(files.resolve("cert.pem"), ServerCertificate.parse("pebble", bundle).chainPem());
        Files.writeString(files.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "0.0.0.0:14000", "managementListenAddress": "127.0.0.1:15000",
                  "certificate": "%1$s/bundle.pem", "privateKey": "%1$s/bundle.pem", "httpPort": 80, "tlsPort": 443,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(MOUNTED));
        EndToEndSwarm.create(List.of("--name", pebble.name, "--network", "proxy", "--endpoint-mode", "dnsrr",
                "--user", "root", // reads the files of the test's temporary directory, whoever owns it
                "--mount", "type=bind,source=/usr/bin/pebble,target=/usr/bin/pebble,readonly",
                "--mount", "type=bind,source=/usr/bin/pebble-challtestsrv,target=/usr/bin/pebble-challtestsrv,readonly",
                "--mount", "type=bind,source=" + files.toAbsolutePath() + ",target=" + MOUNTED + ",readonly",
                "--env", "PEBBLE_VA_NOSLEEP=1", "--env", "PEBBLE_WFE_NONCEREJECT=0",
                "--entrypoint", "sh", SwarmgateImage.JRE_IMAGE, "-c",
                // Full paths: the image's PATH has no /usr/bin. No default address: a name the test did not point
                // at the proxy resolves to nothing.
                "/usr/bin/pebble-challtestsrv -defaultIPv4 '' -defaultIPv6 '' -dns01 127.0.0.1:8053 -http01 ''"
                        + " -https01 '' -tlsalpn01 '' -management 127.0.0.1:8055 2>&1"
                        + " & exec /usr/bin/pebble -config " + MOUNTED
                        + "/pebble.json -dnsserver 127.0.0.1:8053 2>&1")); // one stream: DockerCli reads stdout
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> pebble.log().contains("Listening on: 0.0.0.0:14000"));
        return pebble;
    }

    /** Fails under CI ({@code CI=true}), which installs the package, and skips elsewhere, when it is missing. */
    private static void assumeInstalled() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/pebble"))
                && Files.isExecutable(Path.of("/usr/bin/pebble-challtestsrv"));
        if (!installed && System.getenv("CI") != null) {
            fail("pebble is not installed: .ci/run installs it with apt-get install pebble");
        }
        assumeTrue(installed, "pebble is not installed (apt-get install pebble)");
    }

    /** Its ACME directory, as the containers on {@code proxy} reach it. */
    String directory() {
        return "https://" + name + ":14000/dir";
    }

    /** Its certificate inside the containers that mount the CA's files at {@link #MOUNTED}. */
    static String caFile() {
        return MOUNTED + "/cert.pem";
    }

    /**
     * From now on Pebble resolves {@code domain} to every task of {@code service}, as Docker's DNS names them in
     * {@code tasks.<service>} (no VIP): the CA validates at whichever replica it picks.
     *
     * @return the addresses
     */
    List<String> resolveToTasksOf(String domain, String service, int tasks) {
        String container = container();
        List<String> addresses = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DockerCli.run(
                        "exec", container, "nslookup", "tasks." + service, "127.0.0.11").lines()
                .filter(line -> line.startsWith("Address: ")).map(line -> line.substring("Address: ".length()).trim())
                .toList(), found -> found.size() == tasks);
        String records = addresses.stream().map(address -> "\"" + address + "\"").collect(Collectors.joining(","));
        DockerCli.run("exec", container, "wget", "-q", "-O", "-", "--post-data",
                "{\"host\":\"" + domain + "\",\"addresses\":[" + records + "]}", CHALLTESTSRV_API + "/add-a");
        return addresses;
    }

    /** New orders it received so far, whatever became of them, counted in its log of requests. */
    long orders() {
        return log().lines().filter(line -> line.contains("POST /order-plz")).count();
    }

    /** Its output so far (both programs'), for the count of orders and a failed test's report. */
    String log() {
        return DockerCli.run("logs", container());
    }

    private String container() {
        List<String> containers = DockerCli.containersOf(name);
        if (containers.isEmpty()) {
            throw new IllegalStateException("no running task of " + name);
        }
        return containers.get(0);
    }
}

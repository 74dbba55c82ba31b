package io.swarmgate.bootstrap.engine;

import io.swarmgate.bootstrap.BootstrapException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The registry's HTTP API (plain HTTP, as the lab's insecure registry), for what the engine API cannot tell. */
public final class RegistryClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final String MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

    private RegistryClient() {
    }

    /** Whether {@code http://registry/v2/} answers 200. */
    public static boolean answers(String registry) {
        try {
            return send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/")).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The digest of the tag's manifest in its registry, or empty when the registry does not have it. */
    public static Optional<String> manifestDigest(ImageReference ref) {
        if (!ref.hasRegistry()) {
            throw new BootstrapException("image " + ref + " names no registry");
        }
        URI uri = URI.create("http://" + ref.registry() + "/v2/" + ref.repository() + "/manifests/" + ref.tag());
        try {
            HttpResponse<Void> response = send(HttpRequest.newBuilder(uri).header("Accept", MANIFEST_V2)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest")
                    : Optional.empty();
        } catch (IOException e) {
            throw new BootstrapException("registry " + ref.registry() + " does not answer: " + e.getMessage(), e);
        }
    }

    private static HttpResponse<Void> send(HttpRequest.Builder request) throws IOException {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

package io.swarmgate.bootstrap.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.swarmgate.bootstrap.BootstrapException;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One Docker engine, by its endpoint ({@code unix:///…}, {@code tcp://host:2376}; TLS from {@code DOCKER_TLS_VERIFY}
 * and {@code DOCKER_CERT_PATH} as for the docker CLI), through docker-java.
 */
public final class Engine implements Closeable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** Long enough for an image load or push of a few hundred megabytes; every wait above it is bounded itself. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String uri;
    private final DockerHttpClient http;
    private final DockerClient api;

    private Engine(String uri, DockerHttpClient http, DockerClient api) {
        this.uri = uri;
        this.http = http;
        this.api = api;
    }

    public static Engine connect(String uri) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(uri).build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return new Engine(uri, http, DockerClientImpl.getInstance(config, http));
    }

    public String uri() {
        return uri;
    }

    public DockerClient api() {
        return api;
    }

    /** Whether the engine answers its ping. */
    public boolean answers() {
        try {
            api.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A JSON POST for the fields docker-java does not model (such as {@code DefaultAddrPool} of {@code /swarm/init});
     * answers the body, throws with Docker's message on an error status.
     */
    public String post(String path, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + body, e);
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path)
                .headers(Map.of("Content-Type", "application/json"))
                .body(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                .build();
        try (DockerHttpClient.Response response = http.execute(request); InputStream answer = response.getBody()) {
            String text = new String(answer.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (response.getStatusCode() >= 400) {
                throw new BootstrapException(uri + ": POST " + path + " answered " + response.getStatusCode() + ": "
                        + text);
            }
            return text;
        } catch (IOException e) {
            throw new BootstrapException(uri + ": POST " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            api.close();
        } catch (IOException e) {
            // Closing a client of an engine that is gone: nothing left to release.
        }
    }
}

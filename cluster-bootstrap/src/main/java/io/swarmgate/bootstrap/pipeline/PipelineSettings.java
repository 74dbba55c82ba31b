package io.swarmgate.bootstrap.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One service's CI flow.
 *
 * @param dir the build context, with its Dockerfile
 * @param registry where the image is pushed ({@code host:port}), which every node pulls from
 * @param tag the pushed tag; null: the first 12 digits of the built image's ID, so unchanged sources change nothing
 * @param unitCommand run by {@code sh -c} in {@code testImage} with the sources in {@code /<dir's name>}; null: none
 * @param stagingTest run by {@code sh -c} in {@code testImage} beside the staging app ({@code APP_URL},
 *     {@code APP_HOST}, {@code APP_PORT} set); null: none
 * @param dependencies staging containers started first, by network alias and image
 */
public record PipelineSettings(Path dir, String name, String registry, String tag, String unitCommand,
        String stagingTest, String testImage, Map<String, String> dependencies, int port, String path, int replicas,
        String proxyNetwork, Duration timeout) {
}

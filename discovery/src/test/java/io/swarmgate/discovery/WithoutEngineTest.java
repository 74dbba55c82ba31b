package io.swarmgate.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Where no engine answers, discovery does not start and says why, once. */
class WithoutEngineTest {
    @Test
    void staysOffAndSaysWhyOnce() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(SwarmDiscovery.class)).addAppender(log);
        DiscoverySettings settings = DiscoverySettings.defaults("unix:///nonexistent/docker.sock");

        TaskDirectory directory = new TaskDirectory(List.of("proxy"));
        assertThat(SwarmDiscovery.startIfSwarmManager(settings, new ServiceRegistry(table -> { }),
                ReconfigureParameters.defaults(), DiscoveryObserver.NONE, directory)).isEmpty();
        assertThat(directory.running("proxy")).as("tasks without discovery").isEmpty();
        assertThat(log.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                .startsWith("Swarm discovery off: no Docker engine answers (Docker API at "
                        + "unix:///nonexistent/docker.sock: ")
                .endsWith("; routes come from the API alone"));
    }
}

package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swarmgate's log lines as a user reads them on standard output, set up in code ({@code LogConfiguration}), and a
 * logback file of the user's own in their place. Processes of their own, since logback is set up once per JVM.
 */
class LogFormatTest {
    @TempDir
    Path directory;

    @Test
    void linesCarryTheTimeTheLevelAndTheAbbreviatedLogger() throws Exception {
        try (SwarmgateProcess swarmgate = SwarmgateProcess.start(Map.of("DISCOVERY", "off"))) {
            assertThat(swarmgate.startUpLog()).anySatisfy(line -> assertThat(line).matches(
                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  "
                            + "i\\.swarmgate\\.proxy\\.ProxyServer - Data plane listening on \\[\\d+] .*"));
            assertThat(swarmgate.startUpLog()).noneMatch(line -> line.contains("|-INFO in ch.qos.logback"));
        }
    }

    @Test
    void aLogbackFileNamedByItsPropertyReplacesTheConfiguration() throws Exception {
        Path file = Files.writeString(directory.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>mine %level %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        try (SwarmgateProcess swarmgate = SwarmgateProcess.start(Map.of("DISCOVERY", "off",
                "JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=" + file))) {
            assertThat(swarmgate.startUpLog()).contains("mine INFO Swarm discovery off by the settings: routes come "
                    + "from the API and the environment alone");
        }
    }
}

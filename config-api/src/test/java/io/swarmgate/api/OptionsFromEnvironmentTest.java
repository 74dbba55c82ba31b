package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Started without arguments, Swarmgate reads its settings from the environment without picocli
 * ({@link OptionsFromEnvironment}): every setting must come out as picocli reads it, every refusal in the same words.
 */
class OptionsFromEnvironmentTest {
    /** Values a user may give any setting: valid and not for each type, empty, with what picocli would expand. */
    private static final List<String> VALUES = List.of("", "0", "-1", "010", " 5", "99999999999", "1.5", "T", "False",
            "yes", "80,443:ssl", "ops:pa$$word${env:HOME}");

    static Stream<String> variables() {
        return optionFields(new Main(Map.of())).keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("variables")
    void setsEachOptionAsPicocliDoesFromEachValueOfItsVariable(String variable) {
        assumeTrue(variables().noneMatch(name -> System.getenv(name) != null), "Swarmgate's settings in the env");

        for (String value : VALUES) {
            Map<String, String> environment = Map.of(variable, value);

            assertThat(read(environment, OptionsFromEnvironmentTest::withoutPicocli))
                    .as("%s=%s", variable, value).isEqualTo(read(environment, OptionsFromEnvironmentTest::byPicocli));
        }
    }

    @Test
    void readsEveryOptionOfMainAndOfItsMixins() {
        assertThat(variables()).hasSizeGreaterThan(50).contains("PORT", "HTTPS_ONLY", "RELOAD_INTERVAL", "STATE_FILE",
                "ACME_RETRY_INTERVAL");
    }

    @Test
    void takesAVariablesValueAsItIsOnBothPaths() {
        Map<String, String> environment = Map.of("CONFIG_API_TOKEN", "pa$$word${env:HOME}", "DISCOVERY", "off");
        Main main = new Main(environment);
        Main.commandLine(main).parseArgs();

        assertThat(main.settings().apiAccess().token()).isEqualTo("pa$$word${env:HOME}");
        assertThat(read(environment, OptionsFromEnvironmentTest::withoutPicocli))
                .containsEntry("CONFIG_API_TOKEN", "pa$$word${env:HOME}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TIMEOUT_SERVER=soon", "HTTPS_ONLY=yes", "DEFAULT_PORTS=x", "RELOAD_INTERVAL=1.5",
            "PORT=65536", "DISCOVERY=on", "MAX_CONNECTIONS=0", "CONFIG_API_USERS=ops", "TIMEOUT_CLIENT=0"})
    void refusesABadVariableInTheWordsAndExitCodeOfTheCommandLine(String setting) {
        String[] pair = setting.split("=", 2);
        Map<String, String> environment = new LinkedHashMap<>(Map.of("PORT", "0", "DEFAULT_PORTS", "0"));
        environment.put(pair[0], pair[1]);
        StringWriter byPicocli = new StringWriter();
        StringWriter withoutPicocli = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(Map.copyOf(environment)));
        commandLine.setErr(new PrintWriter(byPicocli));

        int exitCode = new Main(Map.copyOf(environment)).startFromEnvironment(new PrintWriter(withoutPicocli));

        assertThat(exitCode).isEqualTo(commandLine.execute()).isEqualTo(2);
        assertThat(withoutPicocli.toString()).isEqualTo(byPicocli.toString()).startsWith("swarmgate cannot start: ")
                .contains(pair[0]);
    }

    @Test
    void namesTheVariableAndTheFlagOfAValueOfTheWrongType() {
        StringWriter errors = new StringWriter();

        new Main(Map.of("TIMEOUT_SERVER", "soon")).startFromEnvironment(new PrintWriter(errors));

        assertThat(errors.toString().lines()).containsExactly(
                "swarmgate cannot start: Invalid value for TIMEOUT_SERVER (--timeout-server): 'soon' is not an int",
                "Run 'swarmgate --help' for every setting, its variable and its default.");
    }

    @Test
    void logsAFailedStartAsTheCommandLineDoes() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Main.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            Map<String, String> environment = Map.of("CONNECTION_MODE", "keepalive", "DISCOVERY", "off", "PORT", "0",
                    "DEFAULT_PORTS", "0");

            assertThat(new Main(environment).startFromEnvironment(new PrintWriter(new StringWriter()))).isEqualTo(1);
            assertThat(Main.commandLine(new Main(environment)).execute()).isEqualTo(1);
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "Swarmgate cannot start: CONNECTION_MODE: 'keepalive' (expected: http-keep-alive, "
                            + "http-server-close or httpclose)",
                    "Swarmgate cannot start: CONNECTION_MODE: 'keepalive' (expected: http-keep-alive, "
                            + "http-server-close or httpclose)");
        } finally {
            logger.detachAppender(lines);
        }
    }

    /** What the no-argument path saves: picocli's model, whose classes the class-data sharing archive cannot hold. */
    @Test
    void mainWithoutArgumentsBuildsNoPicocliModel() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-verbose:class", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()).redirectErrorStream(true);
        builder.environment().put("TIMEOUT_SERVER", "soon");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("swarmgate cannot start: Invalid value for TIMEOUT_SERVER (--timeout-server): "
                + "'soon' is not an int").contains("picocli.CommandLine$Option ")
                .doesNotContain("picocli.CommandLine ", "picocli.CommandLine$Model$OptionSpec ",
                        "picocli.CommandLine$Interpreter ");
    }

    /** Each option's value by its variable, or the refusal's message. */
    private static Map<String, Object> read(Map<String, String> environment, Function<Main, String> reader) {
        Main main = new Main(environment);
        String refusal = reader.apply(main);
        return refusal != null ? Map.of("refused", refusal) : values(main);
    }

    private static String byPicocli(Main main) {
        try {
            Main.commandLine(main).parseArgs();
            return null;
        } catch (CommandLine.ParameterException e) {
            return BadSettingHandler.message(e);
        }
    }

    private static String withoutPicocli(Main main) {
        try {
            OptionsFromEnvironment.fill(main, main.environment());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Map<String, Object> values(Main main) {
        Map<String, Object> values = new LinkedHashMap<>();
        optionFields(main).forEach((variable, field) -> values.put(variable, valueOf(field.owner(), field.field())));
        return values;
    }

    /** Each option field of {@code main} and of its mixins, by its variable. */
    private static Map<String, OwnedField> optionFields(Main main) {
        Map<String, OwnedField> fields = new LinkedHashMap<>();
        List<Object> owners = new ArrayList<>(List.of(main));
        for (int i = 0; i < owners.size(); i++) {
            Object owner = owners.get(i);
            for (Field field : owner.getClass().getDeclaredFields()) {
                EnvironmentVariable variable = EnvironmentVariable.of(field);
                if (variable != null) {
                    fields.put(variable.name(), new OwnedField(owner, field));
                } else if (field.isAnnotationPresent(CommandLine.Mixin.class)) {
                    Object mixin = Objects.requireNonNullElseGet(valueOf(owner, field), () -> instance(field));
                    owners.add(mixin);
                }
            }
        }
        return fields;
    }

    private static Object instance(Field field) {
        try {
            var constructor = field.getType().getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object valueOf(Object owner, Field field) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private record OwnedField(Object owner, Field field) {
    }
}

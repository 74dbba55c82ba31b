package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --help}, the settings table of {@code docs/reference/configuration.md} and the variables the code reads name
 * the same settings, with the same flags and defaults: a setting added to one and not the others fails here.
 */
class SettingsReferenceTest {
    private static final Path REPOSITORY = Path.of("..");
    private static final Path REFERENCE = REPOSITORY.resolve("docs/reference/configuration.md");
    /** The main sources whose code reads settings from the environment map. */
    private static final List<Path> SOURCES = List.of(REPOSITORY.resolve("config-api/src/main/java"),
            REPOSITORY.resolve("proxy-core/src/main/java"), REPOSITORY.resolve("discovery/src/main/java"));
    /** A variable read from the environment: {@code environment.getOrDefault("NAME", …)}, {@code flag(environment, "NAME")}. */
    private static final Pattern READ = Pattern.compile(
            "environment(?:\\(\\))?\\.get(?:OrDefault)?\\(\\s*\"([A-Z][A-Z0-9_]+)\"|\\(environment,\\s*\"([A-Z][A-Z0-9_]+)\"");
    /** An option's first line in the usage text: its flag, indented, at the start of the line. */
    private static final Pattern OPTION_LINE = Pattern.compile("^\\s{1,8}(?:-\\w, )?(--[a-z0-9-]+)");
    private static final Pattern ENV = Pattern.compile("Env: ([A-Z0-9_]+)\\.");
    private static final Pattern DEFAULT = Pattern.compile("Default: (.*)$");
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| `(--[a-z0-9-]+)` \\| (?:`([^`]*)`)? *\\|");

    @Test
    void helpAndReferenceListTheSameSettingsWithTheSameFlagsAndDefaults() {
        Map<String, Setting> help = helpSettings();
        Map<String, Setting> reference = tableSettings(REFERENCE);

        assertThat(help).hasSizeGreaterThan(50);
        assertThat(reference).containsExactlyInAnyOrderEntriesOf(help);
    }

    @Test
    void everyVariableTheCodeReadsIsASettingInHelp() {
        Set<String> read = variablesTheCodeReads();

        assertThat(read).contains("CA_FILE", "ENABLE_H2", "STATE_FILE", "ACCESS_LOG", "DEBUG", "STATS_URI",
                "COMPRESSION_ALGO", "DEFAULT_PROTOCOL", "ACME_RETRY_INTERVAL", "CONFIG_API_TOKEN_FILE");
        assertThat(helpSettings().keySet()).containsAll(read);
    }

    @Test
    void everyFlagOfTheEnvironmentsPartsIsReadByThem() {
        Set<String> declared = Main.commandLine(new Main(Map.of())).getCommandSpec().mixins().values().stream()
                .flatMap(mixin -> mixin.options().stream())
                .map(option -> EnvironmentVariable.of(option.userObject()))
                .filter(Objects::nonNull) // the standard help options
                .map(EnvironmentVariable::name)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(declared).as("the settings that were environment-only").contains("CA_FILE", "ENABLE_H2",
                "ENABLE_H2C", "ENABLE_H3", "SSL_BIND_OPTIONS", "SSL_BIND_CIPHERS", "PREFERRED_CERTIFICATE", "DEFAULT_DISCOVERY_TYPE",
                "USERS", "USERS_PASS_ENCRYPTED", "CONNECTION_MODE", "ERROR_PAGES_DIR", "TASK_NETWORKS", "STATE_FILE",
                "ACCESS_LOG", "ACCESS_LOG_FORMAT", "DEBUG", "STATS_USER", "STATS_PASS", "STATS_URI",
                "COMPRESSION_ALGO", "COMPRESSION_TYPE", "DEFAULT_PROTOCOL");
        assertThat(variablesTheCodeReads()).containsAll(declared);
    }

    @Test
    void theReadmesMainSettingsAgreeWithTheReference() {
        Map<String, Setting> readme = tableSettings(REPOSITORY.resolve("README.md"));

        assertThat(readme).isNotEmpty();
        assertThat(tableSettings(REFERENCE)).containsAllEntriesOf(readme);
    }

    @Test
    void aFlagTakesItsVariablesPlaceInTheEnvironmentThePartsRead() {
        Main main = new Main(Map.of("STATE_FILE", "/from/variable", "ACCESS_LOG_FORMAT", "json", "CA_FILE", "/ca.pem"));
        CommandLine commandLine = Main.commandLine(main);

        commandLine.parseArgs("--state-file=/from/flag", "--enable-h2c", "--port=9000");

        assertThat(main.environment()).containsEntry("STATE_FILE", "/from/flag").containsEntry("ENABLE_H2C", "true")
                .containsEntry("PORT", "9000").containsEntry("ACCESS_LOG_FORMAT", "json")
                .containsEntry("CA_FILE", "/ca.pem").doesNotContainKey("ACME_ENABLED");
    }

    /** Variable to flag and default, as {@code --help} shows them. */
    private static Map<String, Setting> helpSettings() {
        String usage = Main.commandLine(new Main(Map.of())).getUsageMessage(CommandLine.Help.Ansi.OFF);
        Map<String, Setting> settings = new LinkedHashMap<>();
        StringBuilder entry = new StringBuilder();
        String flag = null;
        for (String line : (usage + "\n--end").split("\n")) {
            Matcher option = OPTION_LINE.matcher(line);
            if (option.find() || line.equals("--end") || line.isBlank()) {
                if (flag != null) {
                    String text = entry.toString().strip().replaceAll("\\s+", " ");
                    Matcher env = ENV.matcher(text);
                    if (env.find()) {
                        Matcher fallback = DEFAULT.matcher(text);
                        settings.put(env.group(1), new Setting(flag, fallback.find() ? unwrapped(fallback.group(1)) : ""));
                    }
                }
                flag = option.find(0) ? option.group(1) : null;
                entry.setLength(0);
            }
            entry.append(' ').append(line);
        }
        return settings;
    }

    /** A default as the usage text shows it, where a long one may be wrapped anywhere; no default has a space. */
    private static String unwrapped(String shown) {
        return shown.replaceAll("\\s", "");
    }

    /** Variable to flag and default, from a markdown table of settings. */
    private static Map<String, Setting> tableSettings(Path markdown) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (String line : read(markdown).split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                settings.put(row.group(1), new Setting(row.group(2), row.group(3) == null ? "" : row.group(3)));
            }
        }
        return settings;
    }

    private static Set<String> variablesTheCodeReads() {
        Set<String> variables = new TreeSet<>();
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                    Matcher read = READ.matcher(read(file));
                    while (read.find()) {
                        variables.add(read.group(1) != null ? read.group(1) : read.group(2));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return variables;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Setting(String flag, String defaultValue) {
    }
}

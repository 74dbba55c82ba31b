package io.swarmgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/reference/parameters.md} and {@code labels.md} against the code: every parameter the page names is
 * accepted (its example changes the service stored, under its own name, its indexed name and its {@code DFP_SERVICE_}
 * variable), every field of {@link ServiceSpec} and {@link DestinationSpec} is set by one of the page's examples, the
 * refused ones are refused naming themselves, and every parameter has its {@code com.df.*} label on the labels page.
 */
class ParameterReferenceTest {
    private static final Path DOCS = Path.of("..", "docs", "reference");
    /** A row's first cells: the parameter, its variable (or none), its level. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z.]+)` \\| (?:`([A-Z_]+)`|—) \\| (service|destination) \\|");
    private static final Pattern EXAMPLE = Pattern.compile("^`([^`]+)`$");
    /** Rows whose example cannot be written in a table cell, and why. */
    private static final Map<String, String> WITHOUT_EXAMPLE = Map.of(
            "serviceCert", "a PEM bundle with its private key; ServiceCertificates' tests serve one");
    /** Fields that no parameter sets by its own name, and what sets them. */
    private static final Map<String, String> DERIVED = Map.of(
            "global", "replicas: a service that gives none is global",
            "index", "a destination's index, from the .N of its parameters",
            "serviceCert", "serviceCert, WITHOUT_EXAMPLE");

    private final ReconfigureParameters strict = ReconfigureParameters.defaults();
    private final ReconfigureParameters warning = new ReconfigureParameters(",", false,
            new Compatibility(true, false, Compatibility.DEFAULT_INSTANCE_NAME));

    @Test
    void everyParameterOnThePageChangesTheServiceStored() {
        for (Row row : rows()) {
            Map<String, String> example = row.example();
            if (row.refused() || example == null) {
                continue;
            }
            assertThat(parse(strict, with(example))).as(row.name() + ": " + example)
                    .isNotEqualTo(outcome(strict, with(without(example, row.name()))));
        }
    }

    @Test
    void everyDestinationParameterAlsoTakesAnIndex() {
        for (Row row : rows()) {
            if (row.refused() || !row.level().equals("destination") || row.example() == null) {
                continue;
            }
            Map<String, String> indexed = new TreeMap<>(Map.of("servicePath.1", "/a", "port.1", "8080"));
            Map<String, String> example = with(row.example());
            example.forEach((name, value) -> indexed.put(isDestination(name) ? name + ".1" : name, value));
            Map<String, String> withoutIt = new TreeMap<>(indexed);
            withoutIt.remove(row.name() + ".1");
            if (row.name().equals("servicePath") || row.name().equals("port")) {
                withoutIt.put(row.name() + ".1", row.name().equals("port") ? "8080" : "/a");
            }
            assertThat(parse(strict, indexed)).as(row.name() + ".1").isNotEqualTo(outcome(strict, withoutIt));
        }
    }

    @Test
    void everyVariableNamesItsParameter() {
        for (Row row : rows()) {
            if (row.variable() == null) {
                continue;
            }
            String name = EnvironmentServices.parameterName(row.variable());
            assertThat(row.level().equals("service") ? name.toLowerCase(Locale.ROOT) : name).as(row.variable())
                    .isEqualTo(row.level().equals("service") ? row.name().toLowerCase(Locale.ROOT) : row.name());
            if (!row.refused() && row.example() != null) {
                Map<String, String> environment = new TreeMap<>();
                with(row.example()).forEach((parameter, value) -> environment.put("DFP_SERVICE_" + variable(parameter),
                        value));
                ServiceSpec fromEnvironment = EnvironmentServices.read(environment, strict).get(0);
                assertThat(counted(fromEnvironment)).as(row.variable())
                        .isEqualTo(counted(parse(strict, with(row.example()))));
            }
        }
    }

    @Test
    void theRefusedParametersAreRefusedNamingThemselvesAndStoredUnderWarn() {
        List<Row> refused = rows().stream().filter(Row::refused).toList();

        assertThat(refused).extracting(Row::name).containsExactlyInAnyOrder("backendExtra", "templateFePath",
                "templateBePath", "serviceGroup", "balanceGroup");
        for (Row row : refused) {
            assertThatThrownBy(() -> parse(strict, with(row.example()))).isInstanceOf(InvalidServiceException.class)
                    .hasMessageStartingWith(row.name() + ": not supported");
            assertThat(parse(warning, with(row.example()))).as(row.name())
                    .isNotEqualTo(parse(warning, with(Map.of())));
        }
    }

    @Test
    void everyFieldOfTheStoredServiceIsSetByAParameterOnThePage() {
        Set<String> set = new TreeSet<>(DERIVED.keySet());
        ServiceSpec base = parse(warning, with(Map.of()));
        for (Row row : rows()) {
            if (row.example() == null) {
                continue;
            }
            ServiceSpec changed = parse(warning, with(row.example()));
            set.addAll(changedFields(ServiceFields.ALL, base::get, changed::get));
            set.addAll(changedFields(DestinationFields.ALL, base.destinations().get(0)::get,
                    changed.destinations().get(0)::get));
        }

        Set<String> fields = new TreeSet<>(stateNames(ServiceFields.ALL));
        fields.addAll(stateNames(DestinationFields.ALL));
        fields.remove("destinations");
        assertThat(set).containsAll(fields);
    }

    @Test
    void everyParameterHasItsLabel() throws IOException {
        String labels = Files.readString(DOCS.resolve("labels.md"));

        for (Row row : rows()) {
            assertThat(labels).as(row.name()).contains("| `com.df." + row.name() + "` |");
        }
    }

    /** The base service of every example: a path unless the example routes otherwise, a port unless it gives one. */
    private static Map<String, String> with(Map<String, String> example) {
        Map<String, String> parameters = new TreeMap<>(Map.of("serviceName", "go-demo", "port", "8080"));
        if (!example.containsKey("serviceDomain") && !example.containsKey("reqMode")) {
            parameters.put("servicePath", "/demo");
        }
        parameters.putAll(example);
        return parameters;
    }

    private static Map<String, String> without(Map<String, String> example, String name) {
        Map<String, String> rest = new TreeMap<>(example);
        rest.remove(name);
        return rest;
    }

    private static ServiceSpec parse(ReconfigureParameters parser, Map<String, String> parameters) {
        Map<String, List<String>> query = new TreeMap<>();
        parameters.forEach((name, value) -> query.put(name, List.of(value)));
        return parser.parse(query);
    }

    /** The service stored, or the refusal's message when there is none. */
    private static Object outcome(ReconfigureParameters parser, Map<String, String> parameters) {
        try {
            return parse(parser, parameters);
        } catch (InvalidServiceException e) {
            return e.getMessage();
        }
    }

    private static boolean isDestination(String name) {
        return rows().stream().anyMatch(row -> row.name().equals(name) && row.level().equals("destination"));
    }

    private static String variable(String parameter) {
        return rows().stream().filter(row -> row.name().equals(parameter)).findFirst().orElseThrow().variable();
    }

    /** The service with the replica count 0 a request without {@code replicas} has, however it was read. */
    private static ServiceSpec counted(ServiceSpec service) {
        return service.toBuilder().with(ServiceFields.REPLICAS, 0).with(ServiceFields.GLOBAL, false).build();
    }

    /** The state names of the fields whose values differ. */
    private static Set<String> changedFields(List<Field<?>> fields, Function<Field<?>, Object> before,
                                             Function<Field<?>, Object> after) {
        Set<String> changed = new TreeSet<>();
        for (Field<?> field : fields) {
            if (field.stateName() != null && !before.apply(field).equals(after.apply(field))) {
                changed.add(field.stateName());
            }
        }
        return changed;
    }

    private static List<String> stateNames(List<Field<?>> fields) {
        return fields.stream().map(Field::stateName).filter(Objects::nonNull).toList();
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(DOCS.resolve("parameters.md"))) {
                Matcher row = ROW.matcher(line);
                if (row.find()) {
                    String[] cells = line.split("\\|", -1);
                    assertThat(cells).as(line).hasSize(8);
                    rows.add(new Row(row.group(1), row.group(2), row.group(3), cells[4].strip(), cells[6].strip()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        assertThat(rows).hasSizeGreaterThan(60);
        return rows;
    }

    /**
     * A row of the page.
     *
     * @param example its example cell: {@code `name=value&name=value`}, values as a label would carry them
     */
    private record Row(String name, String variable, String level, String values, String exampleCell) {
        boolean refused() {
            return values.startsWith("**refused**");
        }

        /** The example's parameters, or null for a row in {@link #WITHOUT_EXAMPLE}. */
        Map<String, String> example() {
            Matcher example = EXAMPLE.matcher(exampleCell);
            if (!example.matches()) {
                assertThat(WITHOUT_EXAMPLE).as(name + " has no example").containsKey(name);
                return null;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : example.group(1).split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            assertThat(parameters).as(name).containsKey(name);
            return parameters;
        }
    }
}

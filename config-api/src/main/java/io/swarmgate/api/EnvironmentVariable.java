package io.swarmgate.api;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The variable an option reads, and the value it takes when the variable is unset, as its annotation declares them in
 * its default: {@code ${env:NAME:-default}}. {@link Main#commandLine} and {@link OptionsFromEnvironment} read them here
 * alike, and take a variable's value as it is.
 *
 * @param name         the variable
 * @param defaultValue the value when it is unset
 */
record EnvironmentVariable(String name, String defaultValue) {
    private static final Pattern DECLARED = Pattern.compile("\\$\\{env:([A-Z0-9_]+):-(.*)}", Pattern.DOTALL);

    /** The variable of the option on {@code optionField} (a {@link Field}); null for an option that declares none. */
    static EnvironmentVariable of(Object optionField) {
        Option option = optionField instanceof Field field ? field.getAnnotation(Option.class) : null;
        Matcher declared = DECLARED.matcher(option == null ? "" : option.defaultValue());
        return declared.matches() ? new EnvironmentVariable(declared.group(1), declared.group(2)) : null;
    }

    /** The option's value in {@code environment}: the variable's, else the default. */
    String valueIn(Map<String, String> environment) {
        return environment.getOrDefault(name, defaultValue);
    }
}

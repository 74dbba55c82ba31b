package io.swarmgate.api;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sets a command's {@link Option} fields, and those of its {@link Mixin}s, from the environment alone, as picocli does
 * for {@link Main#commandLine} given no argument: each from its {@link EnvironmentVariable}, converted as picocli
 * converts it and refused in the words {@link BadSettingHandler} prints. It reads the same annotations without
 * building picocli's model: picocli ships Java 5 bytecode, which the class-data sharing archive refuses, so the model's
 * 150 classes would be read and verified from the jar on every start.
 */
final class OptionsFromEnvironment {
    private OptionsFromEnvironment() {
    }

    /**
     * Sets every option of {@code command} but {@code --help} and {@code --version}; an
     * {@link IllegalArgumentException} names the variable of a bad value.
     */
    static void fill(Object command, Map<String, String> environment) {
        for (Field field : command.getClass().getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null && !option.usageHelp() && !option.versionHelp()) {
                set(command, field, value(field, option, environment));
            } else if (field.isAnnotationPresent(Mixin.class)) {
                Object mixin = instance(field.getType());
                fill(mixin, environment);
                set(command, field, mixin);
            }
        }
    }

    private static Object value(Field field, Option option, Map<String, String> environment) {
        EnvironmentVariable variable = EnvironmentVariable.of(field);
        if (variable == null) {
            throw new IllegalStateException(field + ": default '" + option.defaultValue()
                    + "' (expected: ${env:NAME:-default})");
        }
        try {
            return converted(field, option, variable.valueIn(environment));
        } catch (CommandLine.TypeConversionException e) {
            String flag = Arrays.stream(option.names()).max(Comparator.comparingInt(String::length)).orElseThrow();
            throw new IllegalArgumentException("Invalid value for " + variable.name() + " (" + flag + "): "
                    + e.getMessage(), e);
        }
    }

    /** Picocli's conversion of the types the options have, with its messages. */
    private static Object converted(Field field, Option option, String value) {
        if (option.converter().length > 0) {
            try {
                return instance(option.converter()[0]).convert(value);
            } catch (CommandLine.TypeConversionException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(field + ": cannot convert '" + value + "'", e);
            }
        }
        Class<?> type = field.getType();
        if (type == String.class) {
            return value;
        } else if (type == int.class) {
            return parsed(value, Integer::valueOf, "an int");
        } else if (type == long.class) {
            return parsed(value, Long::valueOf, "a long");
        }
        throw new IllegalStateException(field + ": " + type + " is not read from the environment");
    }

    private static Object parsed(String value, Function<String, Object> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not " + expected);
        }
    }

    private static void set(Object command, Field field, Object value) {
        try {
            field.setAccessible(true);
            field.set(command, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(field + " cannot be set", e);
        }
    }

    private static <T> T instance(Class<T> type) {
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException e) {
            throw new IllegalStateException(type + " cannot be made", e);
        }
    }
}

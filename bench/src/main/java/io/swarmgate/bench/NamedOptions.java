package io.swarmgate.bench;

import java.util.function.Consumer;

/** Command-line options given as {@code --name value} pairs; a bad one goes to the tool's usage handler. */
final class NamedOptions {
    private final String[] args;
    private final Consumer<String> usage;

    /** @param usage reports the problem and exits */
    NamedOptions(String[] args, Consumer<String> usage) {
        this.args = args;
        this.usage = usage;
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage.accept("expected --name value pairs, got " + String.join(" ", args));
            }
        }
    }

    String get(String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--" + name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }

    int getInt(String name, int otherwise) {
        return getInt(name, otherwise, Integer.MAX_VALUE);
    }

    int getInt(String name, int otherwise, int max) {
        String value = get(name, null);
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > max) {
                usage.accept("--" + name + ": " + value + " (expected: "
                        + (max == Integer.MAX_VALUE ? "1 or more" : "1 to " + max) + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            usage.accept("--" + name + ": " + value + " (expected: a number)");
            return otherwise;
        }
    }
}

package io.swarmgate.config;

/**
 * Booleans as Go's {@code strconv.ParseBool} reads them, which is how Docker Flow Proxy reads every boolean parameter
 * and setting: {@code 1 t T TRUE true True} and {@code 0 f F FALSE false False}.
 */
public final class GoBooleans {
    private GoBooleans() {
    }

    /** The value of {@code text}, or {@code null} when it is none of the accepted forms. */
    public static Boolean parse(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }
}

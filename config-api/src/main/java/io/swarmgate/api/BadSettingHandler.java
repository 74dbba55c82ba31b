package io.swarmgate.api;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A setting refused at start is one line naming its variable (most users set variables, not flags) and a pointer to
 * {@code --help}: the whole usage text would bury the line that matters.
 */
final class BadSettingHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException refused, String[] args) {
        CommandLine commandLine = refused.getCommandLine();
        report(commandLine.getErr(), message(refused));
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** The refusal of a setting, {@code message} naming it. */
    static void report(PrintWriter err, String message) {
        err.println("swarmgate cannot start: " + message);
        err.println("Run 'swarmgate --help' for every setting, its variable and its default.");
        err.flush();
    }

    /** Picocli's message, with the variable beside the flag it names. */
    static String message(ParameterException refused) {
        String message = refused.getMessage();
        if (!(refused.getArgSpec() instanceof OptionSpec option)) {
            return message;
        }
        EnvironmentVariable declared = EnvironmentVariable.of(option.userObject());
        if (declared == null || message.contains(declared.name())) {
            return message;
        }
        String variable = declared.name();
        String flag = option.longestName();
        String named = message.replace("option '" + flag + "'", variable + " (" + flag + ")");
        return named.equals(message) ? variable + " (" + flag + "): " + message : named;
    }
}

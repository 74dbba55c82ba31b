package io.swarmgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Services defined by environment variables, as Docker Flow Proxy's {@code DFP_SERVICE_*}: {@code DFP_SERVICE_<NAME>}
 * for one service and {@code DFP_SERVICE_<n>_<NAME>} for more, {@code n} counting from 1 until the first without a
 * {@code SERVICE_NAME}. {@code <NAME>} is a reconfigure parameter in upper snake case ({@code SERVICE_PATH} is
 * {@code servicePath}) and a {@code _<i>} suffix addresses destination {@code i} ({@code PORT_2} is {@code port.2}).
 * {@code DEFAULT_PROTOCOL} is the {@code reqMode} of services that set none.
 *
 * <p>The variables become reconfigure parameters read by the same {@link ReconfigureParameters}, so one model and one
 * set of rules hold for every source. This differs from DFP, which reads them with rules of their own: there, indexed
 * destinations need both path and port and inherit only {@code OUTBOUND_HOSTNAME}, and the un-indexed destination is
 * kept next to indexed ones. Services get {@code replicas} -1 unless they set another count, so they are never
 * removed for having no replicas.
 */
public final class EnvironmentServices {
    private static final String PREFIX = "DFP_SERVICE_";
    private static final Pattern INDEXED_NAME = Pattern.compile("(.+)_([0-9]+)");

    private EnvironmentServices() {
    }

    /**
     * Reads every service the environment defines.
     *
     * @throws InvalidServiceException when a definition is invalid; the message names the variables' prefix
     */
    public static List<ServiceSpec> read(Map<String, String> environment, ReconfigureParameters parser) {
        List<ServiceSpec> services = new ArrayList<>();
        if (isDefined(environment, PREFIX)) {
            services.add(read(environment, PREFIX, parser));
        }
        for (int n = 1; isDefined(environment, PREFIX + n + "_"); n++) {
            services.add(read(environment, PREFIX + n + "_", parser));
        }
        return services;
    }

    private static boolean isDefined(Map<String, String> environment, String prefix) {
        return !environment.getOrDefault(prefix + "SERVICE_NAME", "").isEmpty();
    }

    private static ServiceSpec read(Map<String, String> environment, String prefix, ReconfigureParameters parser) {
        Map<String, List<String>> parameters = parameters(environment, prefix);
        String defaultProtocol = environment.getOrDefault("DEFAULT_PROTOCOL", "");
        if (!defaultProtocol.isEmpty()) {
            parameters.putIfAbsent("reqMode", List.of(defaultProtocol));
        }
        ServiceSpec service;
        try {
            service = parser.parse(parameters);
        } catch (InvalidServiceException e) {
            throw new InvalidServiceException(e.httpStatus(), prefix + "*: " + e.getMessage());
        }
        return service.replicas() != 0 ? service
                : service.toBuilder().with(ServiceFields.REPLICAS, -1).with(ServiceFields.GLOBAL, false).build();
    }

    /** The variables under {@code prefix} as reconfigure parameters; numbered services are not the plain one's. */
    private static Map<String, List<String>> parameters(Map<String, String> environment, String prefix) {
        Map<String, List<String>> parameters = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                String rest = name.substring(prefix.length());
                if (!(prefix.equals(PREFIX) && Character.isDigit(rest.charAt(0)))) {
                    parameters.put(parameterName(rest), List.of(value));
                }
            }
        });
        return parameters;
    }

    /** {@code SERVICE_PATH} to {@code servicePath}, {@code PORT_2} to {@code port.2}. */
    static String parameterName(String variable) {
        Matcher indexed = INDEXED_NAME.matcher(variable);
        if (indexed.matches()) {
            return camelCase(indexed.group(1)) + "." + indexed.group(2);
        }
        return camelCase(variable);
    }

    private static String camelCase(String upperSnake) {
        StringBuilder name = new StringBuilder();
        for (String word : upperSnake.toLowerCase(Locale.ROOT).split("_")) {
            if (word.isEmpty()) {
                continue;
            }
            name.append(name.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }
}

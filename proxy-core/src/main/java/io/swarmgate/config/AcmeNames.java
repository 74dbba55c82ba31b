package io.swarmgate.config;

import java.util.List;
import java.util.Locale;

/**
 * The names a service asks an ACME certificate for ({@code letsencrypt.host}, as the label
 * {@code com.df.letsencrypt.host} of Docker Flow Proxy's Let's Encrypt companion): each must be a host name the service
 * routes by {@code serviceDomain}, exactly or under one of its wildcards, since the CA validates it through this proxy;
 * a wildcard itself needs DNS-01, which a proxy cannot answer.
 */
public final class AcmeNames {
    public static final String HOST_PARAMETER = "letsencrypt.host";
    public static final String EMAIL_PARAMETER = "letsencrypt.email";

    private AcmeNames() {
    }

    /** @throws InvalidServiceException (400) naming the first name that cannot be ordered, and why */
    static void check(ServiceSpec service) {
        for (String name : service.letsencryptHost()) {
            if (name.startsWith("*.")) {
                throw ParameterValues.invalid(HOST_PARAMETER, name, "no wildcard: ACME validates a wildcard by DNS "
                        + "only, which the proxy cannot answer");
            }
            if (!ParameterValues.isHostName(name) || name.indexOf('.') < 0) {
                throw ParameterValues.invalid(HOST_PARAMETER, name, "a fully qualified host name");
            }
            if (!routed(service, name.toLowerCase(Locale.ROOT))) {
                throw ParameterValues.invalid(HOST_PARAMETER, name, "one of the service's serviceDomain names, "
                        + "which the CA reaches through the proxy");
            }
        }
        String email = service.letsencryptEmail();
        if (!email.isEmpty() && (email.indexOf('@') <= 0 || email.indexOf('@') == email.length() - 1
                || email.chars().anyMatch(c -> c <= ' ' || c == ',' || c == '>' || c == '<'))) {
            throw ParameterValues.invalid(EMAIL_PARAMETER, email, "an e-mail address");
        }
    }

    private static boolean routed(ServiceSpec service, String name) {
        for (DestinationSpec destination : service.destinations()) {
            for (String domain : destination.serviceDomain()) {
                String routed = domain.toLowerCase(Locale.ROOT);
                if (routed.equals(name) || (routed.startsWith("*.") && name.endsWith(routed.substring(1))
                        && name.indexOf('.') == name.length() - routed.length() + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The names, lower case, in the order given: one ACME order's identifiers. */
    public static List<String> of(ServiceSpec service) {
        return service.letsencryptHost().stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}

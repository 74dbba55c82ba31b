package io.swarmgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a service from Docker Flow Proxy's {@code reconfigure} parameters, with DFP's rules and status codes.
 *
 * <p>Service-level names match case-insensitively, destination names exactly. Destinations indexed {@code .1} to
 * {@code .10} exist while one of {@code servicePath.N}, {@code port.N}, {@code serviceDomain.N}, {@code httpsPort.N}
 * is present (the scan stops at the first gap); when any exists the un-indexed destination is dropped, and every
 * indexed value that is absent falls back to the un-indexed one. Lists split on the separator, booleans read as Go's
 * {@code ParseBool}, a destination with a domain but no path gets the path {@code /}, and unknown names are ignored.
 *
 * <p>Unlike DFP, which turns a bad number or boolean into 0 or false and validates only the first destination, every
 * destination is checked and any bad value is a 400 naming the parameter and the form it expects. DFP's parameters that
 * have no behaviour here ({@code backendExtra}, templates, TCP groups) are refused the same way, unless
 * {@link Compatibility#warnOnUnsupported()} accepts them with a warning.
 */
public final class ReconfigureParameters {
    private static final int MAX_INDEX = 10;

    private final String separator;
    private final boolean httpsOnly;
    private final Compatibility compatibility;

    /**
     * @param separator list separator (DFP's {@code SEPARATOR}, default {@code ,})
     * @param httpsOnly redirect every destination to https (DFP's {@code HTTPS_ONLY})
     */
    public ReconfigureParameters(String separator, boolean httpsOnly) {
        this(separator, httpsOnly, Compatibility.STRICT);
    }

    /**
     * @param separator     list separator (DFP's {@code SEPARATOR}, default {@code ,})
     * @param httpsOnly     redirect every destination to https (DFP's {@code HTTPS_ONLY})
     * @param compatibility how DFP's parameters without behaviour here are met, and which services are for this proxy
     */
    public ReconfigureParameters(String separator, boolean httpsOnly, Compatibility compatibility) {
        Objects.requireNonNull(separator, "separator");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("separator: must not be empty");
        }
        this.separator = separator;
        this.httpsOnly = httpsOnly;
        this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
    }

    public static ReconfigureParameters defaults() {
        return new ReconfigureParameters(",", false);
    }

    /** The {@code serviceName} parameter, matched case-insensitively as DFP does, or empty. */
    public static String serviceName(Map<String, List<String>> parameters) {
        return new QueryParameters(parameters).anyCase("serviceName");
    }

    /** The {@code distribute} parameter, any case, read as Go's ParseBool (an invalid value is false), as in DFP. */
    public static boolean distribute(Map<String, List<String>> parameters) {
        return Boolean.TRUE.equals(GoBooleans.parse(new QueryParameters(parameters).anyCase("distribute")));
    }

    /**
     * The unsupported parameters that {@link #parse} accepted only because {@code UNSUPPORTED_PARAMETERS=warn}, each as
     * a warning naming it and what to use instead; empty when there are none.
     */
    public List<String> warnings(Map<String, List<String>> parameters) {
        return compatibility.warnOnUnsupported() ? compatibility.unsupported(parameters) : List.of();
    }

    /** Which services are for this proxy ({@code FILTER_PROXY_INSTANCE_NAME}). */
    public Compatibility compatibility() {
        return compatibility;
    }

    /**
     * Reads one service.
     *
     * @param parameters parameter names to their values, as decoded from a query string
     * @throws InvalidServiceException with DFP's status and message, or a 400 naming a bad value
     */
    public ServiceSpec parse(Map<String, List<String>> parameters) {
        QueryParameters query = new QueryParameters(parameters);
        String serviceName = query.anyCase("serviceName");
        if (serviceName.isEmpty()) {
            throw InvalidServiceException.badRequest("serviceName parameter is mandatory.");
        }
        compatibility.unsupported(parameters);
        List<DestinationParameters> destinations = destinations(query);
        checkAsDfp(destinations.get(0));
        ServiceFields.SERVICE_NAME.check("serviceName", serviceName);
        boolean everyDestinationHttpsOnly = httpsOnly || ParameterValues.bool("httpsOnly", query.exact("httpsOnly"));
        Field.ReadContext context = new Field.ReadContext() {
            @Override
            public String separator() {
                return separator;
            }

            @Override
            public String parameter(String name) {
                return query.anyCase(name);
            }
        };
        List<DestinationSpec> specs = new ArrayList<>();
        for (DestinationParameters destination : destinations) {
            specs.add(destination(destination, specs.isEmpty(), everyDestinationHttpsOnly, context));
        }
        ServiceSpec service = service(query, serviceName, context).with(ServiceFields.DESTINATIONS, specs).build();
        ServiceValidation.serviceValues(service);
        if (!service.serviceCert().isEmpty()) {
            ServiceCertificates.of(service); // refused here, with the reason, rather than when it is applied
        }
        return service;
    }

    private static List<DestinationParameters> destinations(QueryParameters query) {
        List<DestinationParameters> indexed = new ArrayList<>();
        for (int i = 1; i <= MAX_INDEX; i++) {
            DestinationParameters destination = DestinationParameters.indexed(query, i);
            if (destination == null) {
                break;
            }
            indexed.add(destination);
        }
        return indexed.isEmpty() ? List.of(DestinationParameters.unindexed(query)) : indexed;
    }

    /** DFP's own checks, in its order, with its codes and messages; they look at the first destination only. */
    private static void checkAsDfp(DestinationParameters first) {
        boolean hasPathOrDomain = !first.get("servicePath").isEmpty() || !first.get("serviceDomain").isEmpty();
        if (isHttp(first.get("reqMode"))) {
            if (!hasPathOrDomain) {
                throw new InvalidServiceException(InvalidServiceException.CONFLICT,
                        "When using reqMode http, servicePath or serviceDomain are mandatory");
            }
        } else if (first.get("srcPort").isEmpty() || first.get("port").isEmpty()) {
            throw InvalidServiceException.badRequest(
                    "When NOT using reqMode http (e.g. tcp), srcPort and port parameters are mandatory.");
        }
        if (first.get("port").isEmpty() && first.get("httpsPort").isEmpty()) {
            throw InvalidServiceException.badRequest(
                    "port: missing (expected: 1-65535; or httpsPort)");
        }
    }

    private static boolean isHttp(String reqMode) {
        return reqMode.isEmpty() || reqMode.equalsIgnoreCase("http");
    }

    private static DestinationSpec destination(DestinationParameters d, boolean first, boolean everyHttpsOnly,
                                               Field.ReadContext context) {
        DestinationSpec.Builder builder = DestinationSpec.builder().with(DestinationFields.INDEX, d.index());
        for (Field<?> field : DestinationFields.ALL) {
            String name = field.parameter();
            if (name != null) {
                read(builder::with, field, d.sourceOf(name), d.get(name), context);
            }
        }
        DestinationSpec read = builder.build();
        if (everyHttpsOnly) {
            builder.with(DestinationFields.HTTPS_ONLY, true);
        }
        if (!read.relaysTcp() && read.servicePath().isEmpty() && !read.serviceDomain().isEmpty()) {
            builder.with(DestinationFields.SERVICE_PATH, List.of("/"));
        }
        DestinationSpec destination = builder.build();
        ServiceValidation.destination(destination, d::sourceOf, d::indexedName, !first);
        return destination;
    }

    private static ServiceSpec.Builder service(QueryParameters query, String serviceName, Field.ReadContext context) {
        ServiceSpec.Builder builder = ServiceSpec.builder(serviceName);
        for (Field<?> field : ServiceFields.ALL) {
            String name = field.parameter();
            if (name != null && field != ServiceFields.SERVICE_NAME) {
                String raw = query.anyCase(name);
                if (raw.isEmpty() && field.alias() != null) {
                    raw = query.anyCase(field.alias());
                }
                read(builder::with, field, name, raw, context);
            }
        }
        return builder.with(ServiceFields.GLOBAL, query.anyCase("replicas").isEmpty());
    }

    /** Where {@link #read} puts a value: a spec builder's {@code with}. */
    private interface Setter {
        <T> Object set(Field<T> field, T value);
    }

    private static <T> void read(Setter setter, Field<T> field, String name, String raw, Field.ReadContext context) {
        T value = field.read(name, raw, context);
        field.check(name, value);
        setter.set(field, value);
    }

}

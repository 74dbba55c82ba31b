package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.swarmgate.config.DestinationFields;
import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.Field;
import io.swarmgate.config.ServiceFields;
import io.swarmgate.config.ServiceSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the configuration API's answers as Docker Flow Proxy does: compact JSON, PascalCase names, DFP's order. A
 * service is written field by field from {@link ServiceFields} and {@link DestinationFields}, which hold DFP's names,
 * order and text forms; DFP's keys that only held its HAProxy rendering keep their zero values.
 */
public final class DfpJson {
    /** The key under which {@link #services} lists the quarantined Swarm services. */
    public static final String QUARANTINED = "_quarantined";
    private static final String DISTRIBUTED = "Distributed to all instances";
    /** Every field at its zero value, as DFP's answers that carry no service. */
    private static final Map<String, Object> BLANK = service(ServiceSpec.builder("").build());

    private DfpJson() {
    }

    /** {@code {"Status":"OK",…}} with the service echoed. */
    public static String ok(ServiceSpec service) {
        return write(response("OK", "", service.serviceName(), service(service)));
    }

    /** {@code {"Status":"OK",…}} with the service echoed and a message, e.g. what was accepted with a warning. */
    public static String ok(ServiceSpec service, String message) {
        return write(response("OK", message, service.serviceName(), service(service)));
    }

    /** {@code {"Status":"OK","Message":…}} with every service field at its zero value, as DFP's reload and test. */
    public static String okMessage(String message) {
        return write(response("OK", message, "", BLANK));
    }

    /** {@code {"Status":"OK",…}} naming a service (or none) without its fields, as DFP's ping and remove answer. */
    public static String ok(String serviceName) {
        return write(response("OK", "", serviceName, BLANK));
    }

    /** DFP's answer to a reconfigure it distributed to every replica, with the service echoed. */
    public static String distributed(ServiceSpec service) {
        return write(response("OK", DISTRIBUTED, service.serviceName(), service(service)));
    }

    /** DFP's answer to a remove it distributed to every replica. */
    public static String distributed(String serviceName) {
        return write(response("OK", DISTRIBUTED, serviceName, BLANK));
    }

    /** {@code {"Status":"NOK","Message":…}} with every service field at its zero value. */
    public static String failure(String message, String serviceName) {
        return write(response("NOK", message, serviceName, BLANK));
    }

    /**
     * {@code {"<serviceName>":Service,…}} in the order given (sorted by name, as Go writes a map), then, when
     * discovery holds any, {@value #QUARANTINED}: an object of Swarm service names and why their labels were rejected.
     * No Swarm service name starts with {@code _}, so the key meets no service; DFP's clients read it as one more.
     */
    public static String services(List<ServiceSpec> services, Map<String, String> quarantined) {
        Map<String, Object> byName = new LinkedHashMap<>();
        services.forEach(s -> byName.put(s.serviceName(), service(s)));
        if (!quarantined.isEmpty()) {
            byName.put(QUARANTINED, quarantined);
        }
        return write(byName);
    }

    /**
     * One certificate as DFP lists it; {@code CertContent} holds the chain only, never the key. {@code Source} is
     * Swarmgate's own: {@code file}, {@code api} or {@code acme}.
     */
    @JsonPropertyOrder({"ServicePort", "ProxyServiceName", "CertsDir", "CertContent", "Source"})
    public record Cert(@JsonProperty("ServicePort") String servicePort,
                       @JsonProperty("ProxyServiceName") String proxyServiceName,
                       @JsonProperty("CertsDir") String certsDir,
                       @JsonProperty("CertContent") String certContent,
                       @JsonProperty("Source") String source) {
    }

    @JsonPropertyOrder({"Status", "Message", "Certs"})
    private record CertsJson(@JsonProperty("Status") String status, @JsonProperty("Message") String message,
                             @JsonProperty("Certs") List<Cert> certs) {
    }

    /** {@code {"Status":"OK","Message":"","Certs":…}}; {@code null} certificates are written as {@code null}. */
    public static String certsOk(List<Cert> certs) {
        return write(new CertsJson("OK", "", certs));
    }

    /** {@code {"Status":"NOK","Message":…,"Certs":null}}. */
    public static String certFailure(String message) {
        return write(new CertsJson("NOK", message, null));
    }

    /** {@code {"Version":…,"Services":n}}: the configuration version of a table of {@code services} services. */
    public static String version(String version, int services) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Version", version);
        answer.put("Services", services);
        return write(answer);
    }

    /**
     * DFP's {@code Response}: status, message and service name, then the whole service embedded. Its own
     * {@code ServiceName} hides the service's, as the outer field does in DFP's Go struct.
     */
    private static Map<String, Object> response(String status, String message, String serviceName,
                                                Map<String, Object> service) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("Status", status);
        response.put("Message", message);
        response.put("ServiceName", serviceName);
        service.forEach(response::putIfAbsent);
        return response;
    }

    /** DFP's {@code Service} with its exact names and order, every field present. */
    private static Map<String, Object> service(ServiceSpec service) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Field<?> field : ServiceFields.ALL) {
            if (field.jsonName() != null) {
                json.put(field.jsonName(), field == ServiceFields.DESTINATIONS
                        ? destinations(service) : answer(service, field));
            }
        }
        return json;
    }

    private static List<Map<String, Object>> destinations(ServiceSpec service) {
        if (service.destinations().isEmpty()) {
            return null;
        }
        return service.destinations().stream().map(d -> destination(service, d)).toList();
    }

    /** DFP's {@code ServiceDest} with its exact names and order, then Swarmgate's own fields. */
    private static Map<String, Object> destination(ServiceSpec service, DestinationSpec destination) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Field<?> field : DestinationFields.ALL) {
            if (field.jsonName() != null) {
                json.put(field.jsonName(), field == DestinationFields.REQ_PATH_SEARCH_REPLACE_FORMATTED
                        ? searchReplaceRules(service, destination) : answer(destination, field));
            }
        }
        return json;
    }

    private static <T> Object answer(ServiceSpec service, Field<T> field) {
        return field.answer(service.get(field));
    }

    private static <T> Object answer(DestinationSpec destination, Field<T> field) {
        return field.answer(destination.get(field));
    }

    /** DFP's list of {@code search,replace} rules: the deprecated service-wide pair first, then the destination's. */
    private static List<String> searchReplaceRules(ServiceSpec service, DestinationSpec d) {
        List<String> rules = new ArrayList<>();
        if (!service.reqPathSearch().isEmpty()) {
            rules.add(service.reqPathSearch() + "," + service.reqPathReplace());
        }
        if (!d.reqPathSearchReplace().isEmpty()) {
            rules.addAll(Arrays.asList(d.reqPathSearchReplace().split(":", -1)));
        }
        return rules;
    }

    private static String write(Object value) {
        try {
            return PlainJson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

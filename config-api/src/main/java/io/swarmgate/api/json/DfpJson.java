package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.config.ServiceSpec;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes the configuration API's answers as Docker Flow Proxy does: compact JSON, PascalCase names, DFP's order. */
public final class DfpJson {
    /** The key under which {@link #services} lists the quarantined Swarm services. */
    public static final String QUARANTINED = "_quarantined";
    private static final String DISTRIBUTED = "Distributed to all instances";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DfpJson() {
    }

    /** {@code {"Status":"OK",…}} with the service echoed. */
    public static String ok(ServiceSpec service) {
        return write(new ResponseJson("OK", "", service.serviceName(), ServiceJson.of(service)));
    }

    /** {@code {"Status":"OK",…}} with the service echoed and a message, e.g. what was accepted with a warning. */
    public static String ok(ServiceSpec service, String message) {
        return write(new ResponseJson("OK", message, service.serviceName(), ServiceJson.of(service)));
    }

    /** {@code {"Status":"OK","Message":…}} with every service field at its zero value, as DFP's reload and test. */
    public static String okMessage(String message) {
        return write(new ResponseJson("OK", message, "", ServiceJson.BLANK));
    }

    /** {@code {"Status":"OK",…}} naming a service (or none) without its fields, as DFP's ping and remove answer. */
    public static String ok(String serviceName) {
        return write(new ResponseJson("OK", "", serviceName, ServiceJson.BLANK));
    }

    /** DFP's answer to a reconfigure it distributed to every replica, with the service echoed. */
    public static String distributed(ServiceSpec service) {
        return write(new ResponseJson("OK", DISTRIBUTED, service.serviceName(), ServiceJson.of(service)));
    }

    /** DFP's answer to a remove it distributed to every replica. */
    public static String distributed(String serviceName) {
        return write(new ResponseJson("OK", DISTRIBUTED, serviceName, ServiceJson.BLANK));
    }

    /** {@code {"Status":"NOK","Message":…}} with every service field at its zero value. */
    public static String failure(String message, String serviceName) {
        return write(new ResponseJson("NOK", message, serviceName, ServiceJson.BLANK));
    }

    /**
     * {@code {"<serviceName>":Service,…}} in the order given (sorted by name, as Go writes a map), then, when
     * discovery holds any, {@value #QUARANTINED}: an object of Swarm service names and why their labels were rejected.
     * No Swarm service name starts with {@code _}, so the key meets no service; DFP's clients read it as one more.
     */
    public static String services(List<ServiceSpec> services, Map<String, String> quarantined) {
        Map<String, Object> byName = new LinkedHashMap<>();
        services.forEach(s -> byName.put(s.serviceName(), ServiceJson.of(s)));
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

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

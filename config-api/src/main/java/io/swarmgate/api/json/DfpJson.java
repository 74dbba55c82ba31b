package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.swarmgate.config.DestinationFields;
import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.Field;
import io.swarmgate.config.ServiceFields;
import io.swarmgate.config.ServiceSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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
    private static final ServiceSpec BLANK = ServiceSpec.builder("").build();
    /** The response's own fields, which hide the service's fields of the same names, as in DFP's Go struct. */
    private static final Set<String> RESPONSE_FIELDS = Set.of("Status", "Message", "ServiceName");
    /**
     * The fields DFP's answers carry, in its order, each with its JSON name quoted and escaped once: written as text,
     * a name is checked for characters to escape at every answer (a reconfigure's answer has about a hundred).
     */
    private static final List<Named> SERVICE_FIELDS = named(ServiceFields.ALL);
    private static final List<Named> DESTINATION_FIELDS = named(DestinationFields.ALL);

    private DfpJson() {
    }

    /** {@code {"Status":"OK",…}} with the service echoed. */
    public static String ok(ServiceSpec service) {
        return response("OK", "", service.serviceName(), service);
    }

    /** {@code {"Status":"OK",…}} with the service echoed and a message, e.g. what was accepted with a warning. */
    public static String ok(ServiceSpec service, String message) {
        return response("OK", message, service.serviceName(), service);
    }

    /** {@code {"Status":"OK","Message":…}} with every service field at its zero value, as DFP's reload and test. */
    public static String okMessage(String message) {
        return response("OK", message, "", BLANK);
    }

    /** {@code {"Status":"OK",…}} naming a service (or none) without its fields, as DFP's ping and remove answer. */
    public static String ok(String serviceName) {
        return response("OK", "", serviceName, BLANK);
    }

    /** DFP's answer to a reconfigure it distributed to every replica, with the service echoed. */
    public static String distributed(ServiceSpec service) {
        return response("OK", DISTRIBUTED, service.serviceName(), service);
    }

    /** DFP's answer to a remove it distributed to every replica. */
    public static String distributed(String serviceName) {
        return response("OK", DISTRIBUTED, serviceName, BLANK);
    }

    /** {@code {"Status":"NOK","Message":…}} with every service field at its zero value. */
    public static String failure(String message, String serviceName) {
        return response("NOK", message, serviceName, BLANK);
    }

    /**
     * {@code {"<serviceName>":Service,…}} in the order given (sorted by name, as Go writes a map), then, when
     * discovery holds any, {@value #QUARANTINED}: an object of Swarm service names and why their labels were rejected.
     * No Swarm service name starts with {@code _}, so the key meets no service; DFP's clients read it as one more.
     */
    public static String services(List<ServiceSpec> services, Map<String, String> quarantined) {
        return stream(json -> {
            json.writeStartObject();
            for (ServiceSpec service : services) {
                json.writeFieldName(service.serviceName());
                json.writeStartObject();
                service(json, service, Set.of());
                json.writeEndObject();
            }
            if (!quarantined.isEmpty()) {
                json.writeObjectField(QUARANTINED, quarantined);
            }
            json.writeEndObject();
        });
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
     * {@code ServiceName} hides the service's, as the outer field does in DFP's Go struct. Written field by field:
     * a reconfigure's answer is about a hundred fields, and a map per service and destination cost the API a tenth of
     * a reconfigure's time.
     */
    private static String response(String status, String message, String serviceName, ServiceSpec service) {
        return stream(json -> {
            json.writeStartObject();
            json.writeStringField("Status", status);
            json.writeStringField("Message", message);
            json.writeStringField("ServiceName", serviceName);
            service(json, service, RESPONSE_FIELDS);
            json.writeEndObject();
        });
    }

    /** DFP's {@code Service} with its exact names and order, every field present but those {@code hidden}. */
    private static void service(JsonGenerator json, ServiceSpec service, Set<String> hidden) throws IOException {
        for (Named named : SERVICE_FIELDS) {
            Field<?> field = named.field();
            if (hidden.contains(field.jsonName())) {
                continue;
            }
            json.writeFieldName(named.name());
            if (field == ServiceFields.DESTINATIONS) {
                destinations(json, service);
            } else {
                value(json, answer(service, field));
            }
        }
    }

    private static void destinations(JsonGenerator json, ServiceSpec service) throws IOException {
        if (service.destinations().isEmpty()) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (DestinationSpec destination : service.destinations()) {
            destination(json, service, destination);
        }
        json.writeEndArray();
    }

    /** DFP's {@code ServiceDest} with its exact names and order, then Swarmgate's own fields. */
    private static void destination(JsonGenerator json, ServiceSpec service, DestinationSpec destination)
            throws IOException {
        json.writeStartObject();
        for (Named named : DESTINATION_FIELDS) {
            Field<?> field = named.field();
            json.writeFieldName(named.name());
            value(json, field == DestinationFields.REQ_PATH_SEARCH_REPLACE_FORMATTED
                    ? searchReplaceRules(service, destination) : answer(destination, field));
        }
        json.writeEndObject();
    }

    /**
     * Writes the kinds of value fields answer with directly: Jackson's look-up of a serializer for each value cost
     * more than the writing, and after a value it writes it flushes the generator's buffer.
     */
    private static void value(JsonGenerator json, @Nullable Object value) throws IOException {
        if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer number) {
            json.writeNumber(number);
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                value(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                value(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value == null) {
            json.writeNull();
        } else {
            json.writeObject(value);
        }
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

    private record Named(Field<?> field, SerializableString name) {
    }

    private static List<Named> named(List<Field<?>> fields) {
        return fields.stream().filter(field -> field.jsonName() != null)
                .map(field -> new Named(field, new SerializedString(field.jsonName()))).toList();
    }

    /** What {@link #stream} writes. */
    private interface JsonWriting {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private static String stream(JsonWriting writing) {
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator json = PlainJson.MAPPER.createGenerator(text)) {
            writing.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}

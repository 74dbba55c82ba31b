package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.swarmgate.config.ServiceSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a replica holds that another cannot derive from Swarm: its services, whole (passwords included, unlike
 * {@code /config}), and the certificates put at run time, as PEM bundles by name. A new replica copies it from a peer;
 * a restarted one reads it back from its state file.
 *
 * @param instance     the replica that answered, so that one does not copy from itself
 * @param services     the services, sorted by name
 * @param certificates PEM bundles (key included) by certificate name
 */
public record ReplicaState(String instance, List<ServiceSpec> services, Map<String, String> certificates) {
    private static final Logger log = LoggerFactory.getLogger(ReplicaState.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer replica may know more fields
            .addModule(new SpecJsonModule())
            .build();

    public ReplicaState {
        services = List.copyOf(services);
        certificates = Map.copyOf(certificates);
    }

    /** Writes the JSON of {@link #toJson} to {@code out} as it is made, leaving {@code out} open. */
    public void writeJson(OutputStream out) throws IOException {
        JSON.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, this);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a replica's state is always serialisable", e);
        }
    }

    /**
     * Reads each service on its own: one whose JSON does not make a service (a port that is not a number, a field
     * missing) is logged naming it and the field, and the others are kept. What a service's values mean is checked
     * when it is applied, as for any other source.
     *
     * @param source for the log, e.g. the file or the peer's address
     * @throws JsonProcessingException when {@code json} is not a replica's state
     */
    public static ReplicaState fromJson(String json, String source) throws JsonProcessingException {
        Raw raw = JSON.readValue(json, Raw.class);
        List<ServiceSpec> services = new ArrayList<>();
        for (JsonNode service : raw.services()) {
            try {
                services.add(JSON.treeToValue(service, ServiceSpec.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                log.warn("Service '{}' from {} refused: {}", service.path("serviceName").asText(), source, reason(e));
            }
        }
        return new ReplicaState(raw.instance(), services, raw.certificates());
    }

    /** {@code destinations[0].port: <Jackson's reason>}. */
    private static String reason(Exception e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return e.getMessage();
        }
        String field = mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
        return (field.isEmpty() ? "" : field + ": ") + mapping.getOriginalMessage();
    }

    /** The state as written, its services not yet read. */
    private record Raw(String instance, List<JsonNode> services, Map<String, String> certificates) {
        Raw {
            Objects.requireNonNull(services, "services");
            Objects.requireNonNull(certificates, "certificates");
        }
    }
}

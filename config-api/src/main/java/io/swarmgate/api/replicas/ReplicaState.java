package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.swarmgate.config.ServiceSpec;
import java.util.List;
import java.util.Map;

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
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer replica may know more fields
            .build();

    public ReplicaState {
        services = List.copyOf(services);
        certificates = Map.copyOf(certificates);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a replica's state is always serialisable", e);
        }
    }

    /** @throws JsonProcessingException when {@code json} is not a replica's state */
    public static ReplicaState fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, ReplicaState.class);
    }
}

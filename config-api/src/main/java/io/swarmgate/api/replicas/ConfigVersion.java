package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.swarmgate.config.ServiceSpec;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The version of a routing table: the SHA-256 of its services in a canonical form (sorted by name, every field, fields
 * and map keys sorted), so replicas holding equal tables show equal versions, whatever order the services arrived in,
 * and any difference, a password included, shows. Remembers the last answer: the registry hands out the same list until
 * it changes.
 */
public final class ConfigVersion {
    private record Computed(List<ServiceSpec> services, String version) {
    }

    private volatile Computed last = new Computed(null, "");

    /** {@code sha256:<hex>} of {@code services}, which must be sorted by name, as the registry lists them. */
    public String of(List<ServiceSpec> services) {
        Computed computed = last;
        if (computed.services() != services) {
            computed = new Computed(services, "sha256:" + HexFormat.of().formatHex(sha256(canonical(services))));
            last = computed;
        }
        return computed.version();
    }

    private static byte[] canonical(List<ServiceSpec> services) {
        try {
            return Canonical.MAPPER.writeValueAsBytes(services);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Built on first use, not with the API at start: Jackson's classes would compete with the first answer. */
    private static final class Canonical {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .addModule(new SpecJsonModule())
                .build();
    }
}

package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The version of a routing table: the SHA-256 of the sum (modulo 2<sup>256</sup>) of each stored service's SHA-256 over
 * its canonical form (every field, fields and map keys sorted), and of their count. Replicas holding equal tables show
 * equal versions, whatever order the services arrived in, and any difference, a password included, shows.
 *
 * <p>A sum, not a hash over the services in order, so that a change costs the version its own service: it follows
 * the registry, and a reading subtracts the digest of each service changed since the one before and adds that of its
 * new form. With 100,000 services a reading after a change hashed every service's digest, 41–76 ms of the API's event
 * loop. Changes wait unread in a map by name, as many as the services the last reading counted (1,024 at least); past
 * that the next reading counts every service again, so a registry nobody asks for its version holds no more.
 */
public final class ConfigVersion {
    /** What a reading tells: the version, and how many services it covers. */
    public record Reading(String version, int services) {
    }

    private static final int MIN_PENDING = 1024;
    private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

    private final ServiceRegistry registry;

    // Guarded by this: the changes since the last reading, by name (null for a removal), and whether they overflowed.
    private Map<String, @Nullable ServiceSpec> changes = new HashMap<>();
    private boolean countAgain;

    // Guarded by counting: what the last reading counted.
    private final Object counting = new Object();
    private final Map<String, BigInteger> digests = new HashMap<>();
    private BigInteger sum = BigInteger.ZERO;
    private volatile Reading last;

    /** Follows {@code registry} from now on: its stored services are counted at the first reading. */
    public ConfigVersion(ServiceRegistry registry) {
        this.registry = registry;
        this.last = version();
        registry.follow(this::changed, name -> changed(name, null));
    }

    private void changed(ServiceSpec service) {
        changed(service.serviceName(), service);
    }

    private synchronized void changed(String name, @Nullable ServiceSpec service) {
        if (countAgain) {
            return;
        }
        changes.put(name, service);
        if (changes.size() > Math.max(MIN_PENDING, last.services())) {
            changes = new HashMap<>();
            countAgain = true;
        }
    }

    /** The version of the registry's services now. */
    public Reading current() {
        synchronized (counting) {
            Map<String, @Nullable ServiceSpec> changed;
            boolean all;
            synchronized (this) {
                changed = changes;
                all = countAgain;
                if (changed.isEmpty() && !all) {
                    return last;
                }
                changes = new HashMap<>();
                countAgain = false;
            }
            if (all) {
                digests.clear();
                sum = BigInteger.ZERO;
                registry.services().forEach(service -> count(service.serviceName(), service));
            } else {
                changed.forEach(this::count);
            }
            last = version();
            return last;
        }
    }

    /**
     * Sets the name's digest in the sum to that of {@code service}, or takes it out for null: counting the same change
     * twice gives the same sum.
     */
    private void count(String name, @Nullable ServiceSpec service) {
        BigInteger digest = service == null ? null : new BigInteger(1, sha256().digest(canonical(service)));
        BigInteger previous = digest == null ? digests.remove(name) : digests.put(name, digest);
        if (previous != null) {
            sum = sum.subtract(previous);
        }
        if (digest != null) {
            sum = sum.add(digest);
        }
        sum = sum.mod(MODULUS);
    }

    private Reading version() {
        MessageDigest table = sha256();
        byte[] total = sum.toByteArray(); // big-endian, with a sign byte at most: padded to 33 bytes below
        table.update(new byte[33 - total.length]);
        table.update(total);
        table.update(ByteBuffer.allocate(Integer.BYTES).putInt(digests.size()).array());
        return new Reading("sha256:" + HexFormat.of().formatHex(table.digest()), digests.size());
    }

    private static byte[] canonical(ServiceSpec service) {
        try {
            return Canonical.MAPPER.writeValueAsBytes(service);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
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

package io.swarmgate.config;

import java.util.List;

/**
 * One service as Docker Flow Proxy's {@code Service}: the single configuration model that every source (the reconfigure
 * API, {@code DFP_SERVICE_*} environment variables, Swarm labels, a peer's or the state file's copy) produces. Its
 * fields are declared once, in {@link ServiceFields}; a list that was not given is empty, a string is empty. DFP's
 * fields that only carry its HAProxy rendering state ({@code Debug}, {@code AclCondition}, {@code Tasks}, …) hold no
 * value. Immutable.
 */
public final class ServiceSpec {
    private static final FieldValues EMPTY = FieldValues.empty(ServiceFields.ALL);

    private final FieldValues values;

    private ServiceSpec(FieldValues values) {
        this.values = values;
    }

    public static Builder builder(String serviceName) {
        return new Builder(EMPTY).with(ServiceFields.SERVICE_NAME, serviceName);
    }

    public Builder toBuilder() {
        return new Builder(values);
    }

    /** The value of one of {@link ServiceFields}. */
    public <T> T get(Field<T> field) {
        return values.get(field);
    }

    /** Whether this definition asks for the service's removal, as DFP does for a non-global service with 0 replicas. */
    public boolean requestsRemoval() {
        return !global() && replicas() == 0;
    }

    /**
     * The service as it is stored and listed: {@code aclName} defaulted to {@code serviceName} and each destination's
     * {@code pathType} to {@code path_beg}, as DFP fills them before rendering.
     */
    public ServiceSpec formatted() {
        return toBuilder()
                .with(ServiceFields.ACL_NAME, aclName().isEmpty() ? serviceName() : aclName())
                .with(ServiceFields.DESTINATIONS, destinations().stream()
                        .map(d -> d.pathType().isEmpty()
                                ? d.toBuilder().with(DestinationFields.PATH_TYPE, DestinationSpec.PATH_BEG).build() : d)
                        .toList())
                .build();
    }

    /** The Swarm service name: key of the service map and default backend host. */
    public String serviceName() {
        return values.get(ServiceFields.SERVICE_NAME);
    }

    /** Orders the service's rules; empty means {@code serviceName}. */
    public String aclName() {
        return values.get(ServiceFields.ACL_NAME);
    }

    /** Request headers to add. */
    public List<String> addReqHeader() {
        return values.get(ServiceFields.ADD_REQ_HEADER);
    }

    /** Response headers to add. */
    public List<String> addResHeader() {
        return values.get(ServiceFields.ADD_RES_HEADER);
    }

    /** Compression algorithms. */
    public String compressionAlgo() {
        return values.get(ServiceFields.COMPRESSION_ALGO);
    }

    /** Compressed content types. */
    public String compressionType() {
        return values.get(ServiceFields.COMPRESSION_TYPE);
    }

    /** Backend connection mode. */
    public String connectionMode() {
        return values.get(ServiceFields.CONNECTION_MODE);
    }

    /** Request headers to delete. */
    public List<String> delReqHeader() {
        return values.get(ServiceFields.DEL_REQ_HEADER);
    }

    /** Response headers to delete. */
    public List<String> delResHeader() {
        return values.get(ServiceFields.DEL_RES_HEADER);
    }

    /** {@code DNS} to balance over tasks, otherwise the service VIP. */
    public String discoveryType() {
        return values.get(ServiceFields.DISCOVERY_TYPE);
    }

    /** Whether the request asks to be fanned out to every proxy replica. */
    public boolean distribute() {
        return values.get(ServiceFields.DISTRIBUTE);
    }

    /** Takes requests that match no other service. */
    public boolean isDefaultBackend() {
        return values.get(ServiceFields.IS_DEFAULT_BACKEND);
    }

    /** The proxy instance this service is meant for. */
    public String proxyInstanceName() {
        return values.get(ServiceFields.PROXY_INSTANCE_NAME);
    }

    /** Redirect to https when {@code X-Forwarded-Proto} is http. */
    public boolean redirectWhenHttpProto() {
        return values.get(ServiceFields.REDIRECT_WHEN_HTTP_PROTO);
    }

    /** Redirect to https unless {@code X-Forwarded-Proto} is https. */
    public boolean redirectUnlessHttpsProto() {
        return values.get(ServiceFields.REDIRECT_UNLESS_HTTPS_PROTO);
    }

    /**
     * The service's replica count as the listener saw it; -1 for services from the environment, which are never
     * removed by a count.
     */
    public int replicas() {
        return values.get(ServiceFields.REPLICAS);
    }

    /** Deprecated replacement of {@code reqPathSearch}. */
    public String reqPathReplace() {
        return values.get(ServiceFields.REQ_PATH_REPLACE);
    }

    /** Deprecated path search regex. */
    public String reqPathSearch() {
        return values.get(ServiceFields.REQ_PATH_SEARCH);
    }

    /** PEM certificate for the service's first domain. */
    public String serviceCert() {
        return values.get(ServiceFields.SERVICE_CERT);
    }

    /** How domains match (DFP's HAProxy fetch). */
    public String serviceDomainAlgo() {
        return values.get(ServiceFields.SERVICE_DOMAIN_ALGO);
    }

    /** {@code sticky-server} for cookie-based stickiness to a task. */
    public String sessionType() {
        return values.get(ServiceFields.SESSION_TYPE);
    }

    /** Request headers to set. */
    public List<String> setReqHeader() {
        return values.get(ServiceFields.SET_REQ_HEADER);
    }

    /** Response headers to set. */
    public List<String> setResHeader() {
        return values.get(ServiceFields.SET_RES_HEADER);
    }

    /** Basic-auth users of this service. */
    public List<User> users() {
        return values.get(ServiceFields.USERS);
    }

    /** Whether {@code replicas} was absent: a global service, never removed by a count. */
    public boolean global() {
        return values.get(ServiceFields.GLOBAL);
    }

    /** The destinations in order: either the un-indexed one or those indexed 1…N. */
    public List<DestinationSpec> destinations() {
        return values.get(ServiceFields.DESTINATIONS);
    }

    /**
     * Swarmgate's own: how tasks are chosen with {@code discoveryType=DNS}, {@code roundrobin} (empty) or {@code
     * leastconn} (fewest requests in flight).
     */
    public String balance() {
        return values.get(ServiceFields.BALANCE);
    }

    /**
     * Swarmgate's own: a path each task is asked for regularly with {@code discoveryType=DNS}; a task that fails to
     * answer 2xx or 3xx is ejected.
     */
    public String healthCheckPath() {
        return values.get(ServiceFields.HEALTH_CHECK_PATH);
    }

    /** The secret {@code dfp_users_<usersSecret>} holding more basic-auth users. */
    public String usersSecret() {
        return values.get(ServiceFields.USERS_SECRET);
    }

    /** Swarmgate's own: {@code h2c} for backends that speak HTTP/2 without TLS (gRPC), empty for HTTP/1.1. */
    public String backendProtocol() {
        return values.get(ServiceFields.BACKEND_PROTOCOL);
    }

    /** Swarmgate's own: the largest request body the service takes (413 beyond it); 0 for no limit. */
    public long maxRequestBodyBytes() {
        return values.get(ServiceFields.MAX_REQUEST_BODY_SIZE);
    }

    /**
     * The names, among its {@code serviceDomain}s, the service asks a certificate for over ACME ({@code
     * letsencrypt.host}, the label {@code com.df.letsencrypt.host} of DFP's Let's Encrypt companion); empty for none.
     */
    public List<String> letsencryptHost() {
        return values.get(ServiceFields.LETSENCRYPT_HOST);
    }

    /** The contact for that certificate's ACME account ({@code letsencrypt.email}); empty for {@code ACME_EMAIL}. */
    public String letsencryptEmail() {
        return values.get(ServiceFields.LETSENCRYPT_EMAIL);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceSpec that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ServiceSpec[" + values + "]";
    }

    /** Collects the values of a {@link ServiceSpec}; unset ones keep their empty defaults. */
    public static final class Builder {
        private final FieldValues.Builder values;

        private Builder(FieldValues values) {
            this.values = values.toBuilder();
        }

        /** Sets one of {@link ServiceFields}. */
        public <T> Builder with(Field<T> field, T value) {
            values.set(field, value);
            return this;
        }

        public ServiceSpec build() {
            return new ServiceSpec(values.build());
        }
    }
}

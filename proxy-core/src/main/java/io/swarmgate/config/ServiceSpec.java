package io.swarmgate.config;

import java.util.List;
import java.util.Objects;

/**
 * One service as Docker Flow Proxy's {@code Service}: the single configuration model that every source (the reconfigure
 * API, {@code DFP_SERVICE_*} environment variables, Swarm labels) produces. Immutable.
 *
 * <p>After {@code serviceName}, components follow DFP's field order. A list that was not given is empty, a string is
 * empty. DFP's fields that only carry its HAProxy rendering state ({@code Debug}, {@code AclCondition},
 * {@code Tasks}, …) are not part of the model.
 *
 * @param serviceName              the Swarm service name: key of the service map and default backend host
 * @param aclName                  orders the service's rules; empty means {@code serviceName}
 * @param addReqHeader             request headers to add
 * @param addResHeader             response headers to add
 * @param backendExtra             raw backend configuration
 * @param checkResolvers           re-resolve the backend at run time
 * @param compressionAlgo          compression algorithms
 * @param compressionType          compressed content types
 * @param connectionMode           backend connection mode
 * @param delReqHeader             request headers to delete
 * @param delResHeader             response headers to delete
 * @param discoveryType            {@code DNS} to balance over tasks, otherwise the service VIP
 * @param distribute               whether the request asks to be fanned out to every proxy replica
 * @param isDefaultBackend         takes requests that match no other service
 * @param proxyInstanceName        the proxy instance this service is meant for
 * @param redirectWhenHttpProto    redirect to https when {@code X-Forwarded-Proto} is http
 * @param redirectUnlessHttpsProto redirect to https unless {@code X-Forwarded-Proto} is https
 * @param replicas                 the service's replica count as the listener saw it; -1 for services from the
 *                                 environment, which are never removed by a count
 * @param reqPathReplace           deprecated replacement of {@code reqPathSearch}
 * @param reqPathSearch            deprecated path search regex
 * @param serviceCert              PEM certificate for the service's first domain
 * @param serviceDomainAlgo        how domains match (DFP's HAProxy fetch)
 * @param sessionType              {@code sticky-server} for cookie-based stickiness to a task
 * @param setReqHeader             request headers to set
 * @param setResHeader             response headers to set
 * @param templateBePath           custom backend template
 * @param templateFePath           custom frontend template
 * @param users                    basic-auth users of this service
 * @param global                   whether {@code replicas} was absent: a global service, never removed by a count
 * @param destinations             the destinations in order: either the un-indexed one or those indexed 1…N
 * @param balance                  Swarmgate's own: how tasks are chosen with {@code discoveryType=DNS},
 *                                 {@code roundrobin} (empty) or {@code leastconn} (fewest requests in flight)
 * @param healthCheckPath          Swarmgate's own: a path each task is asked for regularly with
 *                                 {@code discoveryType=DNS}; a task that fails to answer 2xx or 3xx is ejected
 * @param usersSecret              the secret {@code dfp_users_<usersSecret>} holding more basic-auth users
 * @param backendProtocol          Swarmgate's own: {@code h2c} for backends that speak HTTP/2 without TLS (gRPC),
 *                                 empty for HTTP/1.1
 * @param maxRequestBodyBytes      Swarmgate's own: the largest request body the service takes (413 beyond it);
 *                                 0 for no limit
 * @param letsencryptHost          the names, among its {@code serviceDomain}s, the service asks a certificate for over
 *                                 ACME ({@code letsencrypt.host}, the label {@code com.df.letsencrypt.host} of DFP's
 *                                 Let's Encrypt companion); empty for none
 * @param letsencryptEmail         the contact for that certificate's ACME account ({@code letsencrypt.email});
 *                                 empty for {@code ACME_EMAIL}
 */
public record ServiceSpec(
        String serviceName,
        String aclName,
        List<String> addReqHeader,
        List<String> addResHeader,
        String backendExtra,
        boolean checkResolvers,
        String compressionAlgo,
        String compressionType,
        String connectionMode,
        List<String> delReqHeader,
        List<String> delResHeader,
        String discoveryType,
        boolean distribute,
        boolean isDefaultBackend,
        String proxyInstanceName,
        boolean redirectWhenHttpProto,
        boolean redirectUnlessHttpsProto,
        int replicas,
        String reqPathReplace,
        String reqPathSearch,
        String serviceCert,
        String serviceDomainAlgo,
        String sessionType,
        List<String> setReqHeader,
        List<String> setResHeader,
        String templateBePath,
        String templateFePath,
        List<User> users,
        boolean global,
        List<DestinationSpec> destinations,
        String balance,
        String healthCheckPath,
        String usersSecret,
        String backendProtocol,
        long maxRequestBodyBytes,
        List<String> letsencryptHost,
        String letsencryptEmail) {

    public ServiceSpec {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(aclName, "aclName");
        addReqHeader = List.copyOf(addReqHeader);
        addResHeader = List.copyOf(addResHeader);
        Objects.requireNonNull(backendExtra, "backendExtra");
        Objects.requireNonNull(compressionAlgo, "compressionAlgo");
        Objects.requireNonNull(compressionType, "compressionType");
        Objects.requireNonNull(connectionMode, "connectionMode");
        delReqHeader = List.copyOf(delReqHeader);
        delResHeader = List.copyOf(delResHeader);
        Objects.requireNonNull(discoveryType, "discoveryType");
        Objects.requireNonNull(proxyInstanceName, "proxyInstanceName");
        Objects.requireNonNull(reqPathReplace, "reqPathReplace");
        Objects.requireNonNull(reqPathSearch, "reqPathSearch");
        Objects.requireNonNull(serviceCert, "serviceCert");
        Objects.requireNonNull(serviceDomainAlgo, "serviceDomainAlgo");
        Objects.requireNonNull(sessionType, "sessionType");
        setReqHeader = List.copyOf(setReqHeader);
        setResHeader = List.copyOf(setResHeader);
        Objects.requireNonNull(templateBePath, "templateBePath");
        Objects.requireNonNull(templateFePath, "templateFePath");
        users = List.copyOf(users);
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(healthCheckPath, "healthCheckPath");
        Objects.requireNonNull(usersSecret, "usersSecret");
        Objects.requireNonNull(backendProtocol, "backendProtocol");
        destinations = List.copyOf(destinations);
        letsencryptHost = List.copyOf(letsencryptHost);
        Objects.requireNonNull(letsencryptEmail, "letsencryptEmail");
    }

    public static Builder builder(String serviceName) {
        return new Builder(serviceName);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether this definition asks for the service's removal, as DFP does for a non-global service with 0 replicas. */
    public boolean requestsRemoval() {
        return !global && replicas == 0;
    }

    /**
     * The service as it is stored and listed: {@code aclName} defaulted to {@code serviceName} and each destination's
     * {@code pathType} to {@code path_beg}, as DFP fills them before rendering.
     */
    public ServiceSpec formatted() {
        return toBuilder()
                .aclName(aclName.isEmpty() ? serviceName : aclName)
                .destinations(destinations.stream()
                        .map(d -> d.pathType().isEmpty() ? d.toBuilder().pathType(DestinationSpec.PATH_BEG).build() : d)
                        .toList())
                .build();
    }

    /** Collects the components of a {@link ServiceSpec}; unset ones keep their empty defaults. */
    public static final class Builder {
        private final String serviceName;
        private String aclName = "";
        private List<String> addReqHeader = List.of();
        private List<String> addResHeader = List.of();
        private String backendExtra = "";
        private boolean checkResolvers;
        private String compressionAlgo = "";
        private String compressionType = "";
        private String connectionMode = "";
        private List<String> delReqHeader = List.of();
        private List<String> delResHeader = List.of();
        private String discoveryType = "";
        private boolean distribute;
        private boolean isDefaultBackend;
        private String proxyInstanceName = "";
        private boolean redirectWhenHttpProto;
        private boolean redirectUnlessHttpsProto;
        private int replicas;
        private String reqPathReplace = "";
        private String reqPathSearch = "";
        private String serviceCert = "";
        private String serviceDomainAlgo = "";
        private String sessionType = "";
        private String balance = "";
        private String healthCheckPath = "";
        private String usersSecret = "";
        private String backendProtocol = "";
        private long maxRequestBodyBytes;
        private List<String> letsencryptHost = List.of();
        private String letsencryptEmail = "";
        private List<String> setReqHeader = List.of();
        private List<String> setResHeader = List.of();
        private String templateBePath = "";
        private String templateFePath = "";
        private List<User> users = List.of();
        private boolean global;
        private List<DestinationSpec> destinations = List.of();

        private Builder(String serviceName) {
            this.serviceName = serviceName;
        }

        private Builder(ServiceSpec s) {
            serviceName = s.serviceName;
            aclName = s.aclName;
            addReqHeader = s.addReqHeader;
            addResHeader = s.addResHeader;
            backendExtra = s.backendExtra;
            checkResolvers = s.checkResolvers;
            compressionAlgo = s.compressionAlgo;
            compressionType = s.compressionType;
            connectionMode = s.connectionMode;
            delReqHeader = s.delReqHeader;
            delResHeader = s.delResHeader;
            discoveryType = s.discoveryType;
            distribute = s.distribute;
            isDefaultBackend = s.isDefaultBackend;
            proxyInstanceName = s.proxyInstanceName;
            redirectWhenHttpProto = s.redirectWhenHttpProto;
            redirectUnlessHttpsProto = s.redirectUnlessHttpsProto;
            replicas = s.replicas;
            reqPathReplace = s.reqPathReplace;
            reqPathSearch = s.reqPathSearch;
            serviceCert = s.serviceCert;
            serviceDomainAlgo = s.serviceDomainAlgo;
            sessionType = s.sessionType;
            balance = s.balance;
            healthCheckPath = s.healthCheckPath;
            usersSecret = s.usersSecret;
            backendProtocol = s.backendProtocol;
            maxRequestBodyBytes = s.maxRequestBodyBytes;
            letsencryptHost = s.letsencryptHost;
            letsencryptEmail = s.letsencryptEmail;
            setReqHeader = s.setReqHeader;
            setResHeader = s.setResHeader;
            templateBePath = s.templateBePath;
            templateFePath = s.templateFePath;
            users = s.users;
            global = s.global;
            destinations = s.destinations;
        }

        public Builder aclName(String value) {
            aclName = value;
            return this;
        }

        public Builder addReqHeader(List<String> value) {
            addReqHeader = value;
            return this;
        }

        public Builder addResHeader(List<String> value) {
            addResHeader = value;
            return this;
        }

        public Builder backendExtra(String value) {
            backendExtra = value;
            return this;
        }

        public Builder checkResolvers(boolean value) {
            checkResolvers = value;
            return this;
        }

        public Builder compressionAlgo(String value) {
            compressionAlgo = value;
            return this;
        }

        public Builder compressionType(String value) {
            compressionType = value;
            return this;
        }

        public Builder connectionMode(String value) {
            connectionMode = value;
            return this;
        }

        public Builder delReqHeader(List<String> value) {
            delReqHeader = value;
            return this;
        }

        public Builder delResHeader(List<String> value) {
            delResHeader = value;
            return this;
        }

        public Builder discoveryType(String value) {
            discoveryType = value;
            return this;
        }

        public Builder distribute(boolean value) {
            distribute = value;
            return this;
        }

        public Builder isDefaultBackend(boolean value) {
            isDefaultBackend = value;
            return this;
        }

        public Builder proxyInstanceName(String value) {
            proxyInstanceName = value;
            return this;
        }

        public Builder redirectWhenHttpProto(boolean value) {
            redirectWhenHttpProto = value;
            return this;
        }

        public Builder redirectUnlessHttpsProto(boolean value) {
            redirectUnlessHttpsProto = value;
            return this;
        }

        public Builder replicas(int value) {
            replicas = value;
            return this;
        }

        public Builder reqPathReplace(String value) {
            reqPathReplace = value;
            return this;
        }

        public Builder reqPathSearch(String value) {
            reqPathSearch = value;
            return this;
        }

        public Builder serviceCert(String value) {
            serviceCert = value;
            return this;
        }

        public Builder serviceDomainAlgo(String value) {
            serviceDomainAlgo = value;
            return this;
        }

        public Builder sessionType(String value) {
            sessionType = value;
            return this;
        }

        public Builder setReqHeader(List<String> value) {
            setReqHeader = value;
            return this;
        }

        public Builder setResHeader(List<String> value) {
            setResHeader = value;
            return this;
        }

        public Builder templateBePath(String value) {
            templateBePath = value;
            return this;
        }

        public Builder templateFePath(String value) {
            templateFePath = value;
            return this;
        }

        public Builder users(List<User> value) {
            users = value;
            return this;
        }

        public Builder global(boolean value) {
            global = value;
            return this;
        }

        public Builder destinations(List<DestinationSpec> value) {
            destinations = value;
            return this;
        }

        public Builder balance(String value) {
            balance = value;
            return this;
        }

        public Builder healthCheckPath(String value) {
            healthCheckPath = value;
            return this;
        }

        public Builder usersSecret(String value) {
            usersSecret = value;
            return this;
        }

        public Builder backendProtocol(String value) {
            backendProtocol = value;
            return this;
        }

        public Builder maxRequestBodyBytes(long value) {
            maxRequestBodyBytes = value;
            return this;
        }

        public Builder letsencryptHost(List<String> value) {
            letsencryptHost = value;
            return this;
        }

        public Builder letsencryptEmail(String value) {
            letsencryptEmail = value;
            return this;
        }

        public ServiceSpec build() {
            return new ServiceSpec(serviceName, aclName, addReqHeader, addResHeader, backendExtra, checkResolvers,
                    compressionAlgo, compressionType, connectionMode, delReqHeader, delResHeader, discoveryType,
                    distribute, isDefaultBackend, proxyInstanceName, redirectWhenHttpProto, redirectUnlessHttpsProto,
                    replicas, reqPathReplace, reqPathSearch, serviceCert, serviceDomainAlgo, sessionType,
                    setReqHeader, setResHeader, templateBePath, templateFePath, users, global, destinations, balance,
                    healthCheckPath, usersSecret, backendProtocol, maxRequestBodyBytes, letsencryptHost,
                    letsencryptEmail);
        }
    }
}

package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swarmgate.config.ServiceSpec;
import java.util.List;

/**
 * DFP's {@code Service} with its exact names and order, every field present. As in DFP, a service-level list that was
 * not given is {@code null}. Fields that only held DFP's rendering state ({@code Debug}, {@code ServicePort},
 * {@code AclCondition}, {@code LookupRetry…}, {@code Tasks}, …) keep their zero values.
 */
@JsonPropertyOrder({"AclName", "AddReqHeader", "AddResHeader", "BackendExtra", "CheckResolvers", "CompressionAlgo",
        "CompressionType", "ConnectionMode", "Debug", "DebugFormat", "DelReqHeader", "DelResHeader", "DiscoveryType",
        "Distribute", "IsDefaultBackend", "ProxyInstanceName", "RedirectWhenHttpProto", "RedirectUnlessHttpsProto",
        "Replicas", "ReqPathReplace", "ReqPathSearch", "ServiceCert", "ServiceDomainAlgo", "ServiceName",
        "SessionType", "SetReqHeader", "SetResHeader", "TemplateBePath", "TemplateFePath", "UseGlobalUsers", "Users",
        "ServicePort", "AclCondition", "IsGlobal", "LookupRetry", "LookupRetryInterval", "ServiceDest", "Tasks"})
record ServiceJson(
        @JsonProperty("AclName") String aclName,
        @JsonProperty("AddReqHeader") List<String> addReqHeader,
        @JsonProperty("AddResHeader") List<String> addResHeader,
        @JsonProperty("BackendExtra") String backendExtra,
        @JsonProperty("CheckResolvers") boolean checkResolvers,
        @JsonProperty("CompressionAlgo") String compressionAlgo,
        @JsonProperty("CompressionType") String compressionType,
        @JsonProperty("ConnectionMode") String connectionMode,
        @JsonProperty("Debug") boolean debug,
        @JsonProperty("DebugFormat") String debugFormat,
        @JsonProperty("DelReqHeader") List<String> delReqHeader,
        @JsonProperty("DelResHeader") List<String> delResHeader,
        @JsonProperty("DiscoveryType") String discoveryType,
        @JsonProperty("Distribute") boolean distribute,
        @JsonProperty("IsDefaultBackend") boolean isDefaultBackend,
        @JsonProperty("ProxyInstanceName") String proxyInstanceName,
        @JsonProperty("RedirectWhenHttpProto") boolean redirectWhenHttpProto,
        @JsonProperty("RedirectUnlessHttpsProto") boolean redirectUnlessHttpsProto,
        @JsonProperty("Replicas") int replicas,
        @JsonProperty("ReqPathReplace") String reqPathReplace,
        @JsonProperty("ReqPathSearch") String reqPathSearch,
        @JsonProperty("ServiceCert") String serviceCert,
        @JsonProperty("ServiceDomainAlgo") String serviceDomainAlgo,
        @JsonProperty("ServiceName") String serviceName,
        @JsonProperty("SessionType") String sessionType,
        @JsonProperty("SetReqHeader") List<String> setReqHeader,
        @JsonProperty("SetResHeader") List<String> setResHeader,
        @JsonProperty("TemplateBePath") String templateBePath,
        @JsonProperty("TemplateFePath") String templateFePath,
        @JsonProperty("UseGlobalUsers") boolean useGlobalUsers,
        @JsonProperty("Users") List<UserJson> users,
        @JsonProperty("ServicePort") String servicePort,
        @JsonProperty("AclCondition") String aclCondition,
        @JsonProperty("IsGlobal") boolean isGlobal,
        @JsonProperty("LookupRetry") int lookupRetry,
        @JsonProperty("LookupRetryInterval") int lookupRetryInterval,
        @JsonProperty("ServiceDest") List<DestinationJson> serviceDest,
        @JsonProperty("Tasks") List<String> tasks) {

    /** Every field at its zero value, as DFP's answers that carry no service. */
    static final ServiceJson BLANK = new ServiceJson("", null, null, "", false, "", "", "", false, "", null, null, "",
            false, false, "", false, false, 0, "", "", "", "", "", "", null, null, "", "", false, null, "", "", false,
            0, 0, null, null);

    static ServiceJson of(ServiceSpec s) {
        return new ServiceJson(s.aclName(), nullIfEmpty(s.addReqHeader()), nullIfEmpty(s.addResHeader()),
                s.backendExtra(), s.checkResolvers(), s.compressionAlgo(), s.compressionType(), s.connectionMode(),
                false, "", nullIfEmpty(s.delReqHeader()), nullIfEmpty(s.delResHeader()), s.discoveryType(),
                s.distribute(), s.isDefaultBackend(), s.proxyInstanceName(), s.redirectWhenHttpProto(),
                s.redirectUnlessHttpsProto(), s.replicas(), s.reqPathReplace(), s.reqPathSearch(),
                // The certificate usually comes with its private key: masked for the same reason as passwords.
                s.serviceCert().isEmpty() ? "" : UserJson.MASK,
                s.serviceDomainAlgo(), s.serviceName(), s.sessionType(), nullIfEmpty(s.setReqHeader()),
                nullIfEmpty(s.setResHeader()), s.templateBePath(), s.templateFePath(), false,
                nullIfEmpty(s.users().stream().map(UserJson::of).toList()), "", "", s.global(), 0, 0,
                s.destinations().stream().map(d -> DestinationJson.of(s, d)).toList(), null);
    }

    private static <T> List<T> nullIfEmpty(List<T> list) {
        return list.isEmpty() ? null : list;
    }
}

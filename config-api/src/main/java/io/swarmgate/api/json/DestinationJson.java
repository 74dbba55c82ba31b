package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.ServiceSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DFP's {@code ServiceDest} with its exact names and order, then {@code UpgradeProtocols}, {@code AllowedIps},
 * {@code DeniedIps}, the {@code RateLimit…}, {@code Cors…} and {@link GuardsJson} fields, Swarmgate's own (DFP's
 * clients ignore keys they do not know). The fields that hold DFP's HAProxy rendering ({@code ReqModeFormatted}, {@code SrcPortAcl…},
 * {@code Include…ACL}) are always empty: Swarmgate renders no HAProxy configuration, and DFP's clients never read
 * them.
 */
@JsonPropertyOrder({"AllowedMethods", "BalanceGroup", "CheckTCP", "Clitcpka", "DeniedMethods", "DenyHttp", "HttpsOnly",
        "HttpsPort", "HttpsRedirectCode", "IgnoreAuthorization", "OutboundHostname", "PathType", "Port",
        "RedirectFromDomain", "ReqMode", "ReqModeFormatted", "ReqPathSearchReplace", "ServiceDomain", "ServiceGroup",
        "ServiceHeader", "ServicePath", "ServicePathExclude", "SrcPort", "SrcHttpsPort", "SrcPortAcl",
        "SrcPortAclName", "SrcHttpsPortAcl", "SrcHttpsPortAclName", "SslVerifyNone", "TimeoutServer", "TimeoutClient",
        "TimeoutTunnel", "VerifyClientSsl", "UserAgent", "UserDef", "Index", "ReqPathSearchReplaceFormatted",
        "IncludeSrcPortACL", "IncludeSrcHttpsPortACL", "UpgradeProtocols", "AllowedIps", "DeniedIps",
        "RateLimit", "RateLimitBurst", "RateLimitBy", "CorsAllowOrigins", "CorsAllowMethods", "CorsAllowHeaders",
        "CorsMaxAge", "guards"})
record DestinationJson(
        @JsonProperty("AllowedMethods") List<String> allowedMethods,
        @JsonProperty("BalanceGroup") String balanceGroup,
        @JsonProperty("CheckTCP") boolean checkTcp,
        @JsonProperty("Clitcpka") boolean clitcpka,
        @JsonProperty("DeniedMethods") List<String> deniedMethods,
        @JsonProperty("DenyHttp") boolean denyHttp,
        @JsonProperty("HttpsOnly") boolean httpsOnly,
        @JsonProperty("HttpsPort") int httpsPort,
        @JsonProperty("HttpsRedirectCode") String httpsRedirectCode,
        @JsonProperty("IgnoreAuthorization") boolean ignoreAuthorization,
        @JsonProperty("OutboundHostname") String outboundHostname,
        @JsonProperty("PathType") String pathType,
        @JsonProperty("Port") String port,
        @JsonProperty("RedirectFromDomain") List<String> redirectFromDomain,
        @JsonProperty("ReqMode") String reqMode,
        @JsonProperty("ReqModeFormatted") String reqModeFormatted,
        @JsonProperty("ReqPathSearchReplace") String reqPathSearchReplace,
        @JsonProperty("ServiceDomain") List<String> serviceDomain,
        @JsonProperty("ServiceGroup") String serviceGroup,
        @JsonProperty("ServiceHeader") Map<String, String> serviceHeader,
        @JsonProperty("ServicePath") List<String> servicePath,
        @JsonProperty("ServicePathExclude") List<String> servicePathExclude,
        @JsonProperty("SrcPort") int srcPort,
        @JsonProperty("SrcHttpsPort") int srcHttpsPort,
        @JsonProperty("SrcPortAcl") String srcPortAcl,
        @JsonProperty("SrcPortAclName") String srcPortAclName,
        @JsonProperty("SrcHttpsPortAcl") String srcHttpsPortAcl,
        @JsonProperty("SrcHttpsPortAclName") String srcHttpsPortAclName,
        @JsonProperty("SslVerifyNone") boolean sslVerifyNone,
        @JsonProperty("TimeoutServer") String timeoutServer,
        @JsonProperty("TimeoutClient") String timeoutClient,
        @JsonProperty("TimeoutTunnel") String timeoutTunnel,
        @JsonProperty("VerifyClientSsl") boolean verifyClientSsl,
        @JsonProperty("UserAgent") UserAgentJson userAgent,
        @JsonProperty("UserDef") String userDef,
        @JsonProperty("Index") int index,
        @JsonProperty("ReqPathSearchReplaceFormatted") List<String> reqPathSearchReplaceFormatted,
        @JsonProperty("IncludeSrcPortACL") boolean includeSrcPortAcl,
        @JsonProperty("IncludeSrcHttpsPortACL") boolean includeSrcHttpsPortAcl,
        @JsonProperty("UpgradeProtocols") List<String> upgradeProtocols,
        @JsonProperty("AllowedIps") List<String> allowedIps,
        @JsonProperty("DeniedIps") List<String> deniedIps,
        @JsonProperty("RateLimit") String rateLimit,
        @JsonProperty("RateLimitBurst") String rateLimitBurst,
        @JsonProperty("RateLimitBy") String rateLimitBy,
        @JsonProperty("CorsAllowOrigins") List<String> corsAllowOrigins,
        @JsonProperty("CorsAllowMethods") List<String> corsAllowMethods,
        @JsonProperty("CorsAllowHeaders") List<String> corsAllowHeaders,
        @JsonProperty("CorsMaxAge") String corsMaxAge,
        @JsonUnwrapped GuardsJson guards) {

    static DestinationJson of(ServiceSpec service, DestinationSpec d) {
        return new DestinationJson(d.allowedMethods(), d.balanceGroup(), d.checkTcp(), d.clitcpka(),
                d.deniedMethods(), d.denyHttp(), d.httpsOnly(), d.httpsPort(), d.httpsRedirectCode(),
                d.ignoreAuthorization(), d.outboundHostname(), d.pathType(),
                d.port() == 0 ? "" : Integer.toString(d.port()),
                d.redirectFromDomain(), d.reqMode(), "", d.reqPathSearchReplace(), d.serviceDomain(),
                d.serviceGroup(), new TreeMap<>(d.serviceHeader()), d.servicePath(), d.servicePathExclude(),
                d.srcPort(), d.srcHttpsPort(), "", "", "", "", d.sslVerifyNone(), d.timeoutServer(),
                d.timeoutClient(), d.timeoutTunnel(), d.verifyClientSsl(), UserAgentJson.of(d.userAgent()),
                d.userDef(), d.index(), searchReplaceRules(service, d), false, false, d.upgradeProtocols(),
                d.allowedIps(), d.deniedIps(), d.rateLimit(), d.rateLimitBurst(), d.rateLimitBy(),
                d.corsAllowOrigins(), d.corsAllowMethods(), d.corsAllowHeaders(), d.corsMaxAge(),
                GuardsJson.of(d.guards()));
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
}

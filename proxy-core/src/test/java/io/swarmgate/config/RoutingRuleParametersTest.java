package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tcp.StreamTable;
import io.swarmgate.proxy.upstream.ProxyHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A rule the data plane cannot honour is refused with a 400 naming its parameter, and the table stays as it was. */
class RoutingRuleParametersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            reqPathSearchReplace | reqPathSearchReplace=(unclosed,x
            reqPathSearchReplace | reqPathSearchReplace=no-comma
            reqPathSearch        | reqPathSearch=[a&reqPathReplace=b
            httpsRedirectCode    | httpsOnly=true&httpsRedirectCode=200
            addReqHeader         | addReqHeader=X-A %[hdr(foo)]
            setReqHeader         | setReqHeader=Bad(name) v
            addResHeader         | addResHeader=X-A %[src]
            delResHeader         | delResHeader=a b
            timeoutServer        | timeoutServer=soon
            timeoutServer        | timeoutServer=0
            redirectFromDomain   | redirectFromDomain=old.test
            users                | usersPassEncrypted=true&users=bob:plain
            balance              | discoveryType=DNS&balance=random
            compressionAlgo      | compressionAlgo=br
            connectionMode       | connectionMode=sometimes
            usersSecret          | usersSecret=../etc/passwd
            healthCheckPath      | discoveryType=DNS&healthCheckPath=health
            sslVerifyNone        | sslVerifyNone=true&backendProtocol=h2c
            backendProtocol      | backendProtocol=https&discoveryType=DNS&healthCheckPath=/health
            maxRequestBodySize   | maxRequestBodySize=ten
            maxRequestBodySize   | maxRequestBodySize=0
            maxRequestBodySize   | maxRequestBodySize=5t
            reqPathSearchReplace | reqPathSearchReplace=(a{100}){100},/
            backendProtocol      | backendProtocol=h3
            backendProtocol      | backendProtocol=h2c&discoveryType=DNS&healthCheckPath=/health
            upgradeProtocols     | upgradeProtocols=h2c
            upgradeProtocols     | upgradeProtocols=websocket,H2c
            upgradeProtocols     | upgradeProtocols=foo;bar
            allowedIps           | allowedIps=10.0.0.0/33
            allowedIps.1         | servicePath.1=/a&port.1=80&allowedIps.1=10.0.0/8
            deniedIps            | deniedIps=10.0.0.0/8,backend.test
            deniedIps            | reqMode=tcp&srcPort=6379&deniedIps=10.0.0.0/8
            rateLimit            | rateLimit=100
            rateLimit            | rateLimit=0/s
            rateLimit            | rateLimit=10/h
            rateLimit            | rateLimit=-1/s
            rateLimit            | reqMode=tcp&srcPort=6379&rateLimit=10/s
            rateLimitBurst       | rateLimit=10/s&rateLimitBurst=0
            rateLimitBurst       | rateLimit=10/s&rateLimitBurst=many
            rateLimitBurst       | rateLimitBurst=5
            rateLimitBy          | rateLimit=10/s&rateLimitBy=cookie:id
            rateLimitBy          | rateLimit=10/s&rateLimitBy=header:Bad Name
            rateLimitBy          | rateLimitBy=client
            rateLimitBurst.1     | servicePath.1=/a&port.1=80&rateLimit.1=1/s&rateLimitBurst.1=x
            corsAllowOrigins     | corsAllowOrigins=https://a.test,*
            corsAllowOrigins     | corsAllowOrigins=app.test
            corsAllowOrigins     | corsAllowOrigins=https://a.test/path
            corsAllowOrigins     | reqMode=tcp&srcPort=6379&corsAllowOrigins=*
            corsAllowMethods     | corsAllowOrigins=*&corsAllowMethods=GET POST
            corsAllowMethods     | corsAllowMethods=PUT
            corsAllowHeaders     | corsAllowOrigins=*&corsAllowHeaders=X-(bad)
            corsMaxAge           | corsAllowOrigins=*&corsMaxAge=forever
            corsMaxAge           | corsMaxAge=60
            securityHeaders      | securityHeaders=paranoid
            securityHeaders.1    | servicePath.1=/a&port.1=80&securityHeaders.1=on
            securityHeaders      | reqMode=tcp&srcPort=6379&securityHeaders=basic
            canaryService        | canaryService=go demo
            canaryService        | canaryService=v2:70000
            canaryService        | reqMode=tcp&srcPort=6379&canaryService=v2
            canaryWeight         | canaryService=v2&canaryWeight=101
            canaryWeight         | canaryService=v2&canaryWeight=5%
            canaryWeight         | canaryWeight=5
            canaryHeader         | canaryService=v2&canaryHeader=X Canary
            canaryCookie         | canaryService=v2&canaryCookie=a;b
            canaryCookie.1       | servicePath.1=/a&port.1=80&canaryCookie.1=c
            mirrorService        | mirrorService=shadow:0
            mirrorService        | reqMode=tcp&srcPort=6379&mirrorService=shadow
            mirrorPercent        | mirrorService=shadow&mirrorPercent=half
            mirrorPercent        | mirrorPercent=10
            authUrl              | authUrl=https://auth:8443/verify
            authUrl              | authUrl=auth:8080/verify
            authUrl              | authUrl=http://user:pw@auth/verify
            authUrl              | reqMode=tcp&srcPort=6379&authUrl=http://auth/verify
            authRequestHeaders   | authUrl=http://auth/verify&authRequestHeaders=Bad Name
            authRequestHeaders   | authRequestHeaders=Authorization
            authResponseHeaders  | authUrl=http://auth/verify&authResponseHeaders=X-(user)
            authResponseHeaders  | authResponseHeaders=X-User
            authTimeout          | authUrl=http://auth/verify&authTimeout=5
            authTimeout          | authUrl=http://auth/verify&authTimeout=0s
            authTimeout          | authTimeout=5s
            authTimeout.1        | servicePath.1=/a&port.1=80&authUrl.1=http://auth/v&authTimeout.1=1m
            retryAttempts        | retryAttempts=0
            retryAttempts        | retryAttempts=11
            retryAttempts        | reqMode=tcp&srcPort=6379&retryAttempts=2
            retryOn              | retryOn=connect,404
            retryOn              | retryOn=refused
            retryBackoff         | retryBackoff=100
            retryBudget          | retryBudget=20.5%
            retryBudget          | retryBudget=120%
            retryNonIdempotent   | retryNonIdempotent=maybe
            breakerErrorRatio    | breakerErrorRatio=0.5
            breakerErrorRatio    | breakerErrorRatio=0%
            breakerErrorRatio    | reqMode=tcp&srcPort=6379&breakerErrorRatio=50%
            breakerLatency       | breakerLatency=500ms
            breakerLatency       | breakerLatency=p100:1s
            breakerLatency       | breakerLatency=p90:fast
            breakerMinRequests   | breakerErrorRatio=50%&breakerMinRequests=0
            breakerMinRequests   | breakerMinRequests=10
            breakerWindow        | breakerErrorRatio=50%&breakerWindow=1m
            breakerOpenFor       | breakerErrorRatio=50%&breakerOpenFor=-1s
            breakerProbes        | breakerErrorRatio=50%&breakerProbes=none
            concurrencyLimit     | concurrencyLimit=0
            concurrencyLimit     | concurrencyLimit=lots
            concurrencyLimit     | reqMode=tcp&srcPort=6379&concurrencyLimit=5
            concurrencyLimitPerClient | concurrencyLimitPerClient=-2
            backendProxyProtocol | backendProxyProtocol=v3
            backendProxyProtocol | backendProxyProtocol=V1
            backendProxyProtocol | reqMode=tcp&srcPort=6379&backendProxyProtocol=v1
            """)
    void refusesWithTheParameterNamed(String parameter, String rule) {
        List<RouteTable> published = new ArrayList<>();
        ServiceRegistry registry = new ServiceRegistry(published::add);
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=s&servicePath=/s&port=80")));
        RouteTable before = registry.routes();

        assertThatThrownBy(() -> registry.apply(ReconfigureParameters.defaults().parse(
                query("serviceName=s&servicePath=/s&port=80&" + rule))))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith(parameter + ":");
        assertThat(registry.routes()).isSameAs(before);
    }

    /** A client's server name is matched against it on every connection: its size is bounded as path_reg's is. */
    @Test
    void anSniPatternIsBoundedAsPathPatternsAre() {
        ServiceRegistry registry = new ServiceRegistry(table -> { }, streams -> { }, GlobalRules.NONE);
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=tls&reqMode=sni&srcPort=8443"
                + "&port.1=443&servicePath.1=^a[0-9]+$&pathType.1=req_ssl_sni -m reg")));
        StreamTable before = registry.streams();

        assertThatThrownBy(() -> registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=tls"
                + "&reqMode=sni&srcPort=8443&port.1=443&servicePath.1=(a{100}){100}&pathType.1=req_ssl_sni -m reg"))))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessageStartingWith("servicePath:");
        assertThat(registry.streams()).isSameAs(before);
    }

    @Test
    void backendProxyProtocolReachesEachDestinationsBackend() {
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=s&servicePath.1=/s&port.1=80"
                + "&backendProxyProtocol.1=v2&servicePath.2=/t&port.2=80&backendProxyProtocol.2=v1"
                + "&servicePath.3=/u&port.3=80")));

        assertThat(registry.routes().routes()).extracting(route -> route.backend().proxyHeader())
                .containsExactlyInAnyOrder(ProxyHeader.V2, ProxyHeader.V1, ProxyHeader.NONE);
    }
}

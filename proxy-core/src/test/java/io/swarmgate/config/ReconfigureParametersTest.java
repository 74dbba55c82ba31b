package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReconfigureParametersTest {
    private static final ReconfigureParameters PARSER = ReconfigureParameters.defaults();

    private static ServiceSpec parse(String query) {
        return PARSER.parse(query(query));
    }

    private static List<Integer> indexes(ServiceSpec service) {
        return service.destinations().stream().map(DestinationSpec::index).toList();
    }

    @Test
    void readsUpgradeProtocolsPerDestinationAsGiven() {
        ServiceSpec service = parse("serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81"
                + "&upgradeProtocols=foo,Bar/2&upgradeProtocols.2=baz");

        assertThat(service.destinations()).map(DestinationSpec::upgradeProtocols)
                .containsExactly(List.of("foo", "Bar/2"), List.of("baz"));
        assertThat(parse("serviceName=s&servicePath=/&port=80").destinations().get(0).upgradeProtocols()).isEmpty();
    }

    @Test
    void readsTheMinimalService() {
        ServiceSpec service = parse("serviceName=go-demo&servicePath=/demo&port=8080");

        assertThat(service.serviceName()).isEqualTo("go-demo");
        assertThat(service.aclName()).isEmpty();
        assertThat(service.global()).isTrue();
        assertThat(service.replicas()).isZero();
        assertThat(service.addReqHeader()).isEmpty();
        assertThat(service.users()).isEmpty();
        assertThat(service.destinations()).singleElement().satisfies(d -> {
            assertThat(d.index()).isZero();
            assertThat(d.servicePath()).containsExactly("/demo");
            assertThat(d.port()).isEqualTo(8080);
            assertThat(d.reqMode()).isEqualTo("http");
            assertThat(d.pathType()).isEmpty();
            assertThat(d.serviceDomain()).isEmpty();
            assertThat(d.srcPort()).isZero();
        });
    }

    @Nested
    class IndexedDestinations {
        @ParameterizedTest(name = "{0} -> indexes {1}, ports {2}, paths {3}")
        @CsvSource(delimiter = '|', textBlock = """
                servicePath.1=/a&port.1=81&servicePath.2=/b&port.2=82                 | 1,2     | 81,82    | /a;/b
                servicePath=/x&port=80&servicePath.1=/a&port.1=81                     | 1       | 81       | /a
                port=80&servicePath.1=/a&servicePath.2=/b&port.2=82                   | 1,2     | 80,82    | /a;/b
                servicePath=/x&port=80&port.1=81&port.2=82                            | 1,2     | 81,82    | /x;/x
                servicePath.1=/a&port.1=81&servicePath.3=/c&port.3=83                 | 1       | 81       | /a
                servicePath=/x&port=80&serviceDomain.1=a.com&httpsPort.2=443           | 1,2     | 80,80    | /x;/x
                servicePath=/x&port=80                                                | 0       | 80       | /x
                servicePath.1=/a&port.1=&port=80                                      | 1       | 80       | /a
                servicePath=/x&port=80&ServicePath.1=/a&PORT.1=81                     | 0       | 80       | /x
                """)
        void existWhileContiguousAndFallBackToUnindexedValues(String query, String indexes, String ports,
                                                               String paths) {
            ServiceSpec service = parse("serviceName=s&" + query);

            assertThat(indexes(service)).map(String::valueOf).containsExactly(indexes.split(","));
            assertThat(service.destinations()).map(d -> String.valueOf(d.port())).containsExactly(ports.split(","));
            assertThat(service.destinations()).map(d -> String.join(",", d.servicePath()))
                    .containsExactly(paths.split(";"));
        }

        @Test
        void inheritEveryUnindexedValue() {
            ServiceSpec service = parse("serviceName=s&serviceDomain=a.com&outboundHostname=ext.example.com"
                    + "&srcPort=8081&servicePath.1=/x&port.1=80&servicePath.2=/y&port.2=81&srcPort.2=8082");

            assertThat(service.destinations()).map(DestinationSpec::serviceDomain)
                    .containsExactly(List.of("a.com"), List.of("a.com"));
            assertThat(service.destinations()).map(DestinationSpec::outboundHostname)
                    .containsOnly("ext.example.com");
            assertThat(service.destinations()).map(DestinationSpec::srcPort).containsExactly(8081, 8082);
        }

        @Test
        void stopAtTen() {
            StringBuilder query = new StringBuilder("serviceName=s");
            for (int i = 1; i <= 11; i++) {
                query.append("&servicePath.").append(i).append("=/p").append(i).append("&port.").append(i)
                        .append("=80");
            }

            assertThat(indexes(parse(query.toString()))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        }
    }

    @Nested
    class Lists {
        @Test
        void splitOnTheSeparatorKeepingEmptyParts() {
            ServiceSpec service = parse("serviceName=s&servicePath=/a,/b&port=80&allowedMethods=GET,,POST"
                    + "&addReqHeader=X-A 1,X-B 2");

            assertThat(service.destinations().get(0).servicePath()).containsExactly("/a", "/b");
            assertThat(service.destinations().get(0).allowedMethods()).containsExactly("GET", "", "POST");
            assertThat(service.addReqHeader()).containsExactly("X-A 1", "X-B 2");
        }

        @Test
        void splitOnAConfiguredSeparator() {
            ServiceSpec service = new ReconfigureParameters("|", false)
                    .parse(query("serviceName=s&servicePath=/a,b|/c&port=80&serviceDomain=a.com|*.b.com"));

            assertThat(service.destinations().get(0).servicePath()).containsExactly("/a,b", "/c");
            assertThat(service.destinations().get(0).serviceDomain()).containsExactly("a.com", "*.b.com");
        }

        @Test
        void readServiceHeadersAsNameValuePairs() {
            ServiceSpec service = parse("serviceName=s&servicePath=/&port=80&serviceHeader=X-Version: 3,"
                    + "X-Origin:http://a.example");

            assertThat(service.destinations().get(0).serviceHeader())
                    .isEqualTo(Map.of("X-Version", "3", "X-Origin", "http://a.example"));
        }

        @Test
        void readUsersSeparatedByCommasOrNewLines() {
            ServiceSpec service = parse("serviceName=s&servicePath=/&port=80&usersPassEncrypted=true"
                    + "&users=alice:secret, bob\ncarol : pw");

            assertThat(service.users()).containsExactly(new User("alice", "secret", true), new User("bob", "", true),
                    new User("carol", "pw", true));
        }
    }

    @Nested
    class Booleans {
        @ParameterizedTest
        @ValueSource(strings = {"1", "t", "T", "TRUE", "true", "True"})
        void readGoTrue(String value) {
            assertThat(parse("serviceName=s&servicePath=/&port=80&denyHttp=" + value).destinations().get(0)
                    .denyHttp()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "f", "F", "FALSE", "false", "False", ""})
        void readGoFalse(String value) {
            assertThat(parse("serviceName=s&servicePath=/&port=80&denyHttp=" + value).destinations().get(0)
                    .denyHttp()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"yes", "tRUE", "on", "2"})
        void rejectEverythingElse(String value) {
            assertThatThrownBy(() -> parse("serviceName=s&servicePath=/&port=80&distribute=" + value))
                    .isInstanceOf(InvalidServiceException.class)
                    .hasMessage("distribute: '" + value + "' (expected: true or false)");
        }

        @Test
        void httpsOnlySettingAppliesToEveryDestination() {
            ServiceSpec service = new ReconfigureParameters(",", true)
                    .parse(query("serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81"));

            assertThat(service.destinations()).map(DestinationSpec::httpsOnly).containsExactly(true, true);
        }

        @Test
        void unindexedHttpsOnlyAppliesToEveryDestinationEvenOneThatSaysFalse() {
            ServiceSpec service = parse("serviceName=s&httpsOnly=true&servicePath.1=/a&port.1=80"
                    + "&servicePath.2=/b&port.2=81&httpsOnly.2=false");

            assertThat(service.destinations()).map(DestinationSpec::httpsOnly).containsExactly(true, true);
        }

        @Test
        void indexedHttpsOnlyAppliesToItsDestination() {
            ServiceSpec service = parse("serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81"
                    + "&httpsOnly.2=true");

            assertThat(service.destinations()).map(DestinationSpec::httpsOnly).containsExactly(false, true);
        }
    }

    @Test
    void givesADomainWithoutPathThePathSlash() {
        DestinationSpec destination = parse("serviceName=s&serviceDomain=example.com&port=80").destinations().get(0);

        assertThat(destination.servicePath()).containsExactly("/");
    }

    @ParameterizedTest(name = "replicas={0} -> global {1}, replicas {2}, removal {3}")
    @CsvSource({"'', true, 0, false", "3, false, 3, false", "0, false, 0, true"})
    void readsReplicas(String replicas, boolean global, int count, boolean removal) {
        ServiceSpec service = parse("serviceName=s&servicePath=/&port=80"
                + (replicas.isEmpty() ? "" : "&replicas=" + replicas));

        assertThat(service.global()).isEqualTo(global);
        assertThat(service.replicas()).isEqualTo(count);
        assertThat(service.requestsRemoval()).isEqualTo(removal);
    }

    @Test
    void matchesServiceLevelNamesInAnyCaseAndDestinationNamesExactly() {
        ServiceSpec service = parse("SERVICENAME=s&aclname=05-s&Replicas=2&servicePath=/&port=80&REQMODE.1=tcp");

        assertThat(service.serviceName()).isEqualTo("s");
        assertThat(service.aclName()).isEqualTo("05-s");
        assertThat(service.replicas()).isEqualTo(2);
        assertThat(indexes(service)).containsExactly(0);
    }

    @Test
    void prefersTheExactSpellingOfAServiceLevelName() {
        assertThat(parse("SERVICENAME=upper&serviceName=exact&servicePath=/&port=80").serviceName())
                .isEqualTo("exact");
        assertThat(ReconfigureParameters.serviceName(query("ServiceName=a&SERVICENAME=b"))).isEqualTo("b");
    }

    @Test
    void takesTheFirstOfRepeatedValuesAndIgnoresUnknownNames() {
        ServiceSpec service = parse("serviceName=s&servicePath=/a&servicePath=/b&port=80&alertName=x&scrapePort=9");

        assertThat(service.destinations().get(0).servicePath()).containsExactly("/a");
    }

    @Test
    void mapsDeprecatedAliases() {
        ServiceSpec service = parse("serviceName=s&servicePath=/&port=80&addHeader=X-A 1&setHeader=X-B 2"
                + "&serviceDomainMatchAll=true");

        assertThat(service.addReqHeader()).containsExactly("X-A 1");
        assertThat(service.setReqHeader()).containsExactly("X-B 2");
        assertThat(service.serviceDomainAlgo()).isEqualTo("hdr_dom(host)");
    }

    @Test
    void acceptsADestinationWithOnlyAnHttpsPort() {
        DestinationSpec destination = parse("serviceName=s&servicePath=/&httpsPort=8443").destinations().get(0);

        assertThat(destination.port()).isZero();
        assertThat(destination.httpsPort()).isEqualTo(8443);
    }

    @Test
    void acceptsHttpInAnyCaseAndPathBegExplicitly() {
        DestinationSpec destination = parse("serviceName=s&servicePath=/&port=80&reqMode=HTTP&pathType=path_beg")
                .destinations().get(0);

        assertThat(destination.reqMode()).isEqualTo("HTTP");
        assertThat(destination.pathType()).isEqualTo("path_beg");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                      | 400 | serviceName parameter is mandatory.
            servicePath=/a&port=80                                  | 400 | serviceName parameter is mandatory.
            serviceName=s                                           | 409 | When using reqMode http, servicePath or serviceDomain are mandatory
            serviceName=s&port=80                                   | 409 | When using reqMode http, servicePath or serviceDomain are mandatory
            serviceName=s&port.1=80                                 | 409 | When using reqMode http, servicePath or serviceDomain are mandatory
            serviceName=s&servicePath=/a                            | 400 | port: missing (expected: 1-65535; or httpsPort)
            serviceName=s&reqMode=tcp&port=6379                     | 400 | When NOT using reqMode http (e.g. tcp), srcPort and port parameters are mandatory.
            serviceName=s&reqMode=udp&srcPort=6379&port=6379        | 400 | reqMode: 'udp' (expected: http, tcp or sni)
            serviceName=s&servicePath.1=/&port.1=80&reqMode.2=quic&servicePath.2=/a&port.2=1 | 400 | reqMode.2: 'quic' (expected: http, tcp or sni)
            serviceName=s&servicePath.1=/&port.1=80&reqMode.2=tcp&port.2=6379 | 400 | srcPort.2: missing (expected: 1-65535, the proxy port a reqMode=tcp destination listens on)
            serviceName=s&reqMode=tcp&srcPort=70000&port=6379       | 400 | srcPort: '70000' (expected: 1-65535)
            serviceName=s&reqMode=sni&srcPort=443&port=443&servicePath=a.test&pathType=path_reg | 400 | pathType: 'path_reg' (expected: req_ssl_sni with -i and -m str, beg, end, sub or reg, for reqMode=sni)
            serviceName=s&reqMode=sni&srcPort=443&port=443&servicePath=a.test&pathType=req_ssl_sni -m dom | 400 | pathType: 'req_ssl_sni -m dom' (expected: req_ssl_sni with -i and -m str, beg, end, sub or reg, for reqMode=sni)
            serviceName=s&servicePath=/&port=80&pathType=path_glob  | 400 | pathType: 'path_glob' is not supported yet (supported: path_beg, path, path_dir, path_end, path_sub, path_reg)
            serviceName=s&servicePath.1=/&port.1=80&servicePath.2=/b&port.2=81&pathType.2=hdr | 400 | pathType.2: 'hdr' is not supported yet (supported: path_beg, path, path_dir, path_end, path_sub, path_reg)
            serviceName=s&servicePath=/&port=70000                  | 400 | port: '70000' (expected: 1-65535)
            serviceName=s&servicePath=/&port=0                      | 400 | port: '0' (expected: 1-65535)
            serviceName=s&servicePath=/&port=-80                    | 400 | port: '-80' (expected: 1-65535)
            serviceName=s&servicePath=/&port=٨٠                     | 400 | port: '٨٠' (expected: 1-65535)
            serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=abc | 400 | port.2: 'abc' (expected: 1-65535)
            serviceName=s&port=x&servicePath.1=/a&port.1=80&servicePath.2=/b | 400 | port: 'x' (expected: 1-65535)
            serviceName=s&servicePath=/&port=80&srcPort=abc         | 400 | srcPort: 'abc' (expected: 1-65535)
            serviceName=s&servicePath=/&port=80&httpsPort=99999     | 400 | httpsPort: '99999' (expected: 1-65535)
            serviceName=s&servicePath=/&port=80&srcHttpsPort=0      | 400 | srcHttpsPort: '0' (expected: 1-65535)
            serviceName=s&servicePath=demo&port=80                  | 400 | servicePath: 'demo' (expected: a path starting with /)
            serviceName=s&servicePath=/a,&port=80                   | 400 | servicePath: '' (expected: a path starting with /)
            serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=b&port.2=81 | 400 | servicePath.2: 'b' (expected: a path starting with /)
            serviceName=s&serviceDomain=ex ample.com&port=80        | 400 | serviceDomain: 'ex ample.com' (expected: a host name such as example.com, *.example.com or *example.com)
            serviceName=s&serviceDomain=*&port=80                   | 400 | serviceDomain: '*' (expected: a host name such as example.com, *.example.com or *example.com)
            serviceName=s&serviceDomain=example.com:8080&port=80    | 400 | serviceDomain: 'example.com:8080' (expected: a host name such as example.com, *.example.com or *example.com)
            serviceName=s&serviceDomain.1=a.com&port.1=80&serviceDomain.2=b..com&port.2=80 | 400 | serviceDomain.2: 'b..com' (expected: a host name such as example.com, *.example.com or *example.com)
            serviceName=s&servicePath.1=/a&port.1=80&port.2=81      | 400 | servicePath.2: missing (expected: a path starting with /, or serviceDomain.2)
            serviceName=s&servicePath.1=/a&port.1=80&servicePath.2=/b | 400 | port.2: missing (expected: 1-65535)
            serviceName=s&servicePath=/&port=80&replicas=-1         | 400 | replicas: '-1' (expected: a whole number, 0 or more)
            serviceName=s&servicePath=/&port=80&replicas=many       | 400 | replicas: 'many' (expected: a whole number, 0 or more)
            serviceName=my service&servicePath=/&port=80            | 400 | serviceName: 'my service' (expected: a service name of letters, digits, '-', '_' and '.')
            serviceName=s&servicePath=/&port=80&outboundHostname=a/b | 400 | outboundHostname: 'a/b' (expected: a host name or IPv4 address such as backend.example.com)
            serviceName=s&servicePath=/&port=80&serviceHeader=X-Version | 400 | serviceHeader: 'X-Version' (expected: Name:value pairs)
            serviceName=s&servicePath=/&port=80&users=bob:          | 400 | users: 'bob:' (expected: user:password pairs separated by commas)
            serviceName=s&servicePath=/&port=80&users=:secret       | 400 | users: ':***' (expected: user:password pairs separated by commas)
            serviceName=s&servicePath=/&port=80&httpsOnly.1=maybe&servicePath.1=/&port.1=80 | 400 | httpsOnly.1: 'maybe' (expected: true or false)
            serviceName=s&servicePath=/&port=80&upgradeProtocols=h2c | 400 | upgradeProtocols: 'h2c' (refused: an upgrade to HTTP/2 turns the connection into a tunnel for requests to any path, which would bypass the route's rules)
            serviceName=s&servicePath.1=/&port.1=80&upgradeProtocols.1=foo,H2C/1.0 | 400 | upgradeProtocols.1: 'H2C/1.0' (refused: an upgrade to HTTP/2 turns the connection into a tunnel for requests to any path, which would bypass the route's rules)
            serviceName=s&servicePath=/&port=80&upgradeProtocols=h2  | 400 | upgradeProtocols: 'h2' (refused: an upgrade to HTTP/2 turns the connection into a tunnel for requests to any path, which would bypass the route's rules)
            serviceName=s&servicePath=/&port=80&upgradeProtocols=foo bar | 400 | upgradeProtocols: 'foo bar' (expected: upgrade tokens such as foo or foo/2)
            serviceName=s&servicePath=/&port=80&upgradeProtocols=foo,,bar | 400 | upgradeProtocols: '' (expected: upgrade tokens such as foo or foo/2)
            serviceName=s&servicePath=/&port=80&upgradeProtocols=foo/ | 400 | upgradeProtocols: 'foo/' (expected: upgrade tokens such as foo or foo/2)
            serviceName=s&reqMode=tcp&srcPort=6379&port=6379&upgradeProtocols=foo | 400 | upgradeProtocols: 'foo' (expected: no value with reqMode=tcp, which relays every byte as it is)
            serviceName=s&servicePath=/&port=80&discoveryType=foo   | 400 | discoveryType: 'foo' (expected: DNS, or Overlay for the service's VIP)
            """)
    void rejectsWithDfpsStatusAndANamedMessage(String query, int status, String message) {
        assertThatThrownBy(() -> parse(query))
                .isInstanceOfSatisfying(InvalidServiceException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(status))
                .hasMessage(message);
    }

    @Test
    void rejectsAnEmptySeparator() {
        assertThatThrownBy(() -> new ReconfigureParameters("", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("separator: must not be empty");
    }
}

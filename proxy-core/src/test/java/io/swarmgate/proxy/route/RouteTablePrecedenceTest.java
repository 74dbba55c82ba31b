package io.swarmgate.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The documented precedence, case by case. Each row builds a table from routes written as
 * {@code name:acl:index:paths:domains:entryPort} (lists comma-separated, empty for none) and names the route a
 * request must reach, or {@code -} for none.
 */
class RouteTablePrecedenceTest {
    private static Route route(String spec) {
        String[] f = spec.split(":", -1);
        return Route.builder(f[0])
                .aclName(f[1])
                .index(Integer.parseInt(f[2]))
                .paths(items(f[3]))
                .domains(items(f[4]))
                .entryPort(f[5].isEmpty() ? 0 : Integer.parseInt(f[5]))
                .backend(f[0] + "-backend", 80)
                .build();
    }

    private static List<String> items(String list) {
        return list.isEmpty() ? List.of() : Arrays.asList(list.split(","));
    }

    private static String name(Route route) {
        return route == null ? "-" : route.serviceName() + (route.index() == 0 ? "" : "." + route.index());
    }

    @ParameterizedTest(name = "{0}: {2} {3} on {4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            longer prefix beats aclName     | a:a:0:/a::;b:b:0:/a/b::                   | h        | /a/b/c     | 80   | b
            raw prefix, not segment-aware   | demo::0:/demo::                           | h        | /demox     | 80   | demo
            paths are case-sensitive        | demo::0:/demo::                           | h        | /Demo      | 80   | -
            query is not matched            | a::0:/a::;ab::0:/a/b::                    | h        | /a?x=/a/b  | 80   | a
            fragment is not matched         | a::0:/a::;ab::0:/a/b::                    | h        | /a#/b      | 80   | a
            slash takes every path          | root::0:/::                               | h        | /anything  | 80   | root
            no route, no match              | a::0:/a::                                 | h        | /b         | 80   | -
            exact host first                | any::0:/::;wild::0:/:*.example.com:;exact::0:/:example.com: | example.com | / | 80 | exact
            wildcard before host-less       | any::0:/::;wild::0:/:*.example.com:;exact::0:/:example.com: | a.example.com | / | 80 | wild
            host-less last                  | any::0:/::;wild::0:/:*.example.com:;exact::0:/:example.com: | example.org | / | 80 | any
            wildcard needs a label          | wild::0:/:*.example.com:                  | example.com | /     | 80   | -
            wildcard on a label boundary    | wild::0:/:*.example.com:                  | badexample.com | /  | 80   | -
            wildcard takes deeper labels    | wild::0:/:*.example.com:                  | a.b.example.com | / | 80   | wild
            longest wildcard suffix first   | short::0:/:*.example.com:;long::0:/:*.b.example.com: | a.b.example.com | / | 80 | long
            host beats a longer path        | any::0:/api/v1::;exact::0:/:example.com:  | example.com | /api/v1 | 80 | exact
            host group without a fit falls through | any::0:/::;exact::0:/api:example.com: | example.com | /web | 80 | any
            host is case-insensitive        | exact::0:/:example.com:                   | EXAMPLE.Com | /       | 80   | exact
            port in Host is ignored         | exact::0:/:example.com:                   | example.com:8080 | /  | 80   | exact
            trailing dot is the same host   | exact::0:/:example.com:                   | example.com. | /      | 80   | exact
            no Host header, host-less only  | exact::0:/:example.com:;any::0:/x::       | null     | /x         | 80   | any
            entry port before none          | plain::0:/a::;ported::0:/a::8443          | h        | /a         | 8443 | ported
            entry port must match           | plain::0:/a::;ported::0:/a::8443          | h        | /a         | 80   | plain
            entry port alone                | ported::0:/a::8443                        | h        | /a         | 80   | -
            prefix before entry port        | ported::0:/a::8443;longer::0:/a/b::       | h        | /a/b       | 8443 | longer
            aclName breaks ties             | x:x:0:/a::;y:05-y:0:/a::                  | h        | /a         | 80   | y
            default aclName is the name     | b::0:/a::;a::0:/a::                       | h        | /a         | 80   | a
            service name after aclName      | b:same:0:/a::;a:same:0:/a::               | h        | /a         | 80   | a
            index last                      | s::2:/a::;s::1:/a::                       | h        | /a         | 80   | s.1
            a route's longest prefix counts | s::1:/,/a/b::;t::0:/a::                   | h        | /a/b       | 80   | s.1
            empty path list means slash     | s::0:::                                   | h        | /x         | 80   | s
            """)
    void findsTheMostSpecificRoute(String rule, String routes, String host, String uri, int port, String expected) {
        List<Route> table = Arrays.stream(routes.split(";")).map(RouteTablePrecedenceTest::route).toList();

        Route found = RouteTable.of(table).find(host, uri, port);

        assertThat(name(found)).as(rule).isEqualTo(expected);
        assertThat(found).as("reference matcher").isSameAs(ReferenceMatcher.find(table, host, uri, port));
    }
}

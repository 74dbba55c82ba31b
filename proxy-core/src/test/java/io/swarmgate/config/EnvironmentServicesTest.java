package io.swarmgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentServicesTest {
    private static Map<String, String> environment(String... variables) {
        Map<String, String> environment = new HashMap<>();
        for (String variable : variables) {
            String[] nameValue = variable.split("=", 2);
            environment.put(nameValue[0], nameValue[1]);
        }
        return environment;
    }

    private static List<ServiceSpec> read(Map<String, String> environment) {
        return EnvironmentServices.read(environment, ReconfigureParameters.defaults());
    }

    @ParameterizedTest
    @CsvSource({"SERVICE_NAME, serviceName", "ACL_NAME, aclName", "SERVICE_PATH, servicePath",
            "REDIRECT_WHEN_HTTP_PROTO, redirectWhenHttpProto", "CLITCPKA, clitcpka", "PORT_2, port.2",
            "SERVICE_DOMAIN_10, serviceDomain.10", "REQ_PATH_SEARCH_REPLACE_1, reqPathSearchReplace.1"})
    void namesVariablesAsReconfigureParameters(String variable, String parameter) {
        assertThat(EnvironmentServices.parameterName(variable)).isEqualTo(parameter);
    }

    @Test
    void readsThePlainServiceThenNumberedOnesUntilTheFirstGap() {
        List<ServiceSpec> services = read(environment(
                "DFP_SERVICE_SERVICE_NAME=plain", "DFP_SERVICE_SERVICE_PATH=/p", "DFP_SERVICE_PORT=80",
                "DFP_SERVICE_1_SERVICE_NAME=one", "DFP_SERVICE_1_SERVICE_PATH=/1", "DFP_SERVICE_1_PORT=81",
                "DFP_SERVICE_2_SERVICE_NAME=two", "DFP_SERVICE_2_SERVICE_PATH=/2", "DFP_SERVICE_2_PORT=82",
                "DFP_SERVICE_4_SERVICE_NAME=four", "DFP_SERVICE_4_SERVICE_PATH=/4", "DFP_SERVICE_4_PORT=84",
                "PATH=/usr/bin"));

        assertThat(services).map(ServiceSpec::serviceName).containsExactly("plain", "one", "two");
        assertThat(services.get(0).destinations()).singleElement()
                .satisfies(d -> assertThat(d.servicePath()).containsExactly("/p"));
        assertThat(services.get(1).destinations().get(0).port()).isEqualTo(81);
    }

    @Test
    void readsIndexedDestinationsAndEveryParameter() {
        ServiceSpec service = read(environment(
                "DFP_SERVICE_1_SERVICE_NAME=api", "DFP_SERVICE_1_ACL_NAME=05-api",
                "DFP_SERVICE_1_OUTBOUND_HOSTNAME=api.example.com",
                "DFP_SERVICE_1_SERVICE_PATH_1=/v1", "DFP_SERVICE_1_PORT_1=8081",
                "DFP_SERVICE_1_SERVICE_PATH_2=/v2,/v3", "DFP_SERVICE_1_PORT_2=8082", "DFP_SERVICE_1_HTTPS_ONLY_2=true"))
                .get(0);

        assertThat(service.aclName()).isEqualTo("05-api");
        assertThat(service.destinations()).map(DestinationSpec::index).containsExactly(1, 2);
        assertThat(service.destinations().get(1).servicePath()).containsExactly("/v2", "/v3");
        assertThat(service.destinations()).map(DestinationSpec::outboundHostname).containsOnly("api.example.com");
        assertThat(service.destinations()).map(DestinationSpec::httpsOnly).containsExactly(false, true);
    }

    @Test
    void givesServicesMinusOneReplicasUnlessTheySetACount() {
        List<ServiceSpec> services = read(environment(
                "DFP_SERVICE_1_SERVICE_NAME=a", "DFP_SERVICE_1_SERVICE_PATH=/a", "DFP_SERVICE_1_PORT=80",
                "DFP_SERVICE_2_SERVICE_NAME=b", "DFP_SERVICE_2_SERVICE_PATH=/b", "DFP_SERVICE_2_PORT=80",
                "DFP_SERVICE_2_REPLICAS=0", "DFP_SERVICE_3_SERVICE_NAME=c", "DFP_SERVICE_3_SERVICE_PATH=/c",
                "DFP_SERVICE_3_PORT=80", "DFP_SERVICE_3_REPLICAS=2"));

        assertThat(services).map(ServiceSpec::replicas).containsExactly(-1, -1, 2);
        assertThat(services).map(ServiceSpec::global).containsOnly(false);
        assertThat(services).noneMatch(ServiceSpec::requestsRemoval);
    }

    @Test
    void usesDefaultProtocolForServicesWithoutReqMode() {
        Map<String, String> environment = environment(
                "DEFAULT_PROTOCOL=tcp", "DFP_SERVICE_SERVICE_NAME=redis", "DFP_SERVICE_SRC_PORT=6379",
                "DFP_SERVICE_PORT=6379");

        assertThat(read(environment)).singleElement().satisfies(service -> {
            assertThat(service.destinations().get(0).reqMode()).isEqualTo("tcp");
            assertThat(service.destinations().get(0).srcPort()).isEqualTo(6379);
        });
    }

    @Test
    void namesTheServicesPrefixInErrors() {
        Map<String, String> environment = environment(
                "DFP_SERVICE_1_SERVICE_NAME=a", "DFP_SERVICE_1_SERVICE_PATH=/a", "DFP_SERVICE_1_PORT_1=x");

        assertThatThrownBy(() -> read(environment))
                .isInstanceOfSatisfying(InvalidServiceException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessage("DFP_SERVICE_1_*: port.1: 'x' (expected: 1-65535)");
    }

    @Test
    void readsNothingFromAnEnvironmentWithoutServices() {
        assertThat(read(environment(
                "DFP_SERVICE_PORT=80", "HOME=/root"))).isEmpty();
    }
}

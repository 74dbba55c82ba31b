package io.swarmgate.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The data plane and the configuration model stay free of the control plane's libraries. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.swarmgate");

    @Test
    void coreDependsOnNeitherReactorNorJacksonNorDockerJava() {
        noClasses().that().resideInAnyPackage("io.swarmgate.proxy..", "io.swarmgate.config..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("reactor..", "com.fasterxml..", "com.github.dockerjava..")
                .check(CLASSES);
    }

    @Test
    void coreDoesNotDependOnDiscoveryNorDiscoveryOnTheControlPlane() {
        noClasses().that().resideInAnyPackage("io.swarmgate.proxy..", "io.swarmgate.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.swarmgate.discovery..")
                .check(CLASSES);
        noClasses().that().resideInAnyPackage("io.swarmgate.discovery..")
                .should().dependOnClassesThat().resideInAnyPackage("io.swarmgate.api..", "reactor..")
                .check(CLASSES);
    }

    @Test
    void onlyTheProxyEntryPointsUseItsInternals() {
        noClasses().that().resideOutsideOfPackages("io.swarmgate.proxy", "io.swarmgate.proxy.internal..")
                .should().dependOnClassesThat().resideInAPackage("io.swarmgate.proxy.internal..")
                .check(CLASSES);
    }
}

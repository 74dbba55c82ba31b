package io.swarmgate.proxy;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The data plane's packages depend on each other in one direction only, and its internals stay internal. */
class PackageCyclesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.swarmgate");

    /**
     * Every package is a slice, and no two reach each other. The one exception is the entry point: {@link ProxyServer}
     * and {@link RequestPreview} wire the internals together, while the internals use the value types beside them
     * ({@link ProxyObserver}, {@link FailureReason}, {@link Timeouts}...).
     */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.swarmgate.(**)").should().beFreeOfCycles()
                .ignoreDependency(describe("the entry points", PackageCyclesTest::entryPoint),
                        describe("the internals", (JavaClass target) -> target.getPackageName()
                                .startsWith("io.swarmgate.proxy.internal")))
                .check(CLASSES);
    }

    @Test
    void onlyTheEntryPointsUseTheInternals() {
        noClasses().that().resideOutsideOfPackages("io.swarmgate.proxy.internal..")
                .and(describe("are not the entry points", (JavaClass origin) -> !entryPoint(origin)))
                .should().dependOnClassesThat().resideInAPackage("io.swarmgate.proxy.internal..")
                .check(CLASSES);
    }

    private static boolean entryPoint(JavaClass origin) {
        String name = origin.getName();
        return name.startsWith(ProxyServer.class.getName()) || name.startsWith(RequestPreview.class.getName());
    }
}

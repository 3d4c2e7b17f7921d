package io.ringflow.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.ringflow.architecture.RingflowModules.CONNECTORS;
import static io.ringflow.architecture.RingflowModules.INTERNAL_PACKAGES;
import static io.ringflow.architecture.RingflowModules.KAFKA_TESTING;
import static io.ringflow.architecture.RingflowModules.SAMPLES;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Who may reach into internals, and which internals may reach each other. */
@AnalyzeClasses(packages = "io.ringflow", importOptions = ImportOption.DoNotIncludeTests.class)
class InternalsTest {

    /**
     * Connectors and samples are written as a user writes them: if one needs an internal type,
     * the API lacks something every user's source or sink would need too.
     */
    @ArchTest
    static final ArchRule connectorsAndSamplesUseOnlyTheApi = noClasses()
            .that(CONNECTORS.classes().or(KAFKA_TESTING.classes()).or(SAMPLES.classes()))
            .should().dependOnClassesThat().resideInAPackage(INTERNAL_PACKAGES)
            .because("connectors and samples are written against the API alone, as users write theirs");

    /**
     * The checkpoint code owns the format and the protocol; the pipeline drives it. If
     * checkpoint code reached back into the pipeline (even by way of another class), changing
     * the thread classes would change the format's code too.
     */
    @ArchTest
    static final ArchRule checkpointCodeNeverReachesThePipeline = noClasses()
            .that().resideInAPackage("io.ringflow.internal.checkpoint..")
            .should().transitivelyDependOnClassesThat().resideInAPackage("io.ringflow.internal.pipeline..")
            .because("the pipeline drives checkpoints, not the other way round");

    /** The pattern every rule on internals uses covers the runtime's internals and each module's own. */
    @Test
    void internalMeansEveryModulesInternalPackages() {
        PackageMatcher internal = PackageMatcher.of(INTERNAL_PACKAGES);
        assertTrue(internal.matches("io.ringflow.internal"));
        assertTrue(internal.matches("io.ringflow.internal.pipeline"));
        assertTrue(internal.matches("io.ringflow.state.internal"));
        assertFalse(internal.matches("io.ringflow.state.rocksdb"));
        assertFalse(internal.matches("io.ringflow"));
    }
}

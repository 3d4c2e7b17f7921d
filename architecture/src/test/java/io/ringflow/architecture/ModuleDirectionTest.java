package io.ringflow.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static io.ringflow.architecture.RingflowModules.BENCHMARKS;
import static io.ringflow.architecture.RingflowModules.CONNECTORS;
import static io.ringflow.architecture.RingflowModules.KAFKA_TESTING;
import static io.ringflow.architecture.RingflowModules.RUNTIME;
import static io.ringflow.architecture.RingflowModules.SAMPLES;
import static io.ringflow.architecture.RingflowModules.STATE;
import static io.ringflow.architecture.RingflowModules.WATERMARK;
import static io.ringflow.architecture.RingflowModules.WINDOWING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The modules depend on each other one way, as the poms say today: watermark and state depend
 * on no other Ringflow module, windowing on those two, runtime on the three, connectors on
 * runtime, and samples and benchmarks on everything but each other. A module may use what its
 * dependencies bring with them (connectors may name a state type that runtime brings), never
 * a module above it.
 */
@AnalyzeClasses(packages = "io.ringflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDirectionTest {

    @ArchTest
    static final ArchRule modulesDependOneWay = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer(WATERMARK.directory()).definedBy(WATERMARK.classes())
            .layer(STATE.directory()).definedBy(STATE.classes())
            .layer(WINDOWING.directory()).definedBy(WINDOWING.classes())
            .layer(RUNTIME.directory()).definedBy(RUNTIME.classes())
            .layer(KAFKA_TESTING.directory()).definedBy(KAFKA_TESTING.classes())
            .layer(CONNECTORS.directory()).definedBy(CONNECTORS.classes())
            .layer(SAMPLES.directory()).definedBy(SAMPLES.classes())
            .layer(BENCHMARKS.directory()).definedBy(BENCHMARKS.classes())
            .whereLayer(WATERMARK.directory()).mayNotAccessAnyLayer()
            .whereLayer(STATE.directory()).mayNotAccessAnyLayer()
            .whereLayer(WINDOWING.directory()).mayOnlyAccessLayers(WATERMARK.directory(), STATE.directory())
            .whereLayer(RUNTIME.directory()).mayOnlyAccessLayers(WATERMARK.directory(), STATE.directory(),
                    WINDOWING.directory())
            .whereLayer(KAFKA_TESTING.directory()).mayNotAccessAnyLayer()
            .whereLayer(CONNECTORS.directory()).mayOnlyAccessLayers(WATERMARK.directory(), STATE.directory(),
                    WINDOWING.directory(), RUNTIME.directory())
            .whereLayer(SAMPLES.directory()).mayOnlyAccessLayers(WATERMARK.directory(), STATE.directory(),
                    WINDOWING.directory(), RUNTIME.directory(), KAFKA_TESTING.directory(), CONNECTORS.directory())
            .whereLayer(BENCHMARKS.directory()).mayOnlyAccessLayers(WATERMARK.directory(), STATE.directory(),
                    WINDOWING.directory(), RUNTIME.directory(), KAFKA_TESTING.directory(), CONNECTORS.directory())
            .because("the poms point one way; a dependency against them is a cycle waiting for its pom");

    /** A class in no module would escape every rule above; in two, the rules would contradict. */
    @ArchTest
    static void everyClassBelongsToExactlyOneModule(JavaClasses classes) {
        List<String> misplaced = new ArrayList<>();
        for (JavaClass type : classes) {
            long modules = Arrays.stream(RingflowModules.values()).filter(m -> m.classes().test(type)).count();
            if (modules != 1) {
                misplaced.add(type.getName() + " is in " + modules + " modules");
            }
        }
        assertEquals(List.of(), misplaced, "add the package to its module in RingflowModules");
    }
}

package io.ringflow.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;

/**
 * Ringflow's Maven modules, each as the packages its classes live in. The rules speak of
 * modules, not packages, because the poms are where the direction of dependencies is decided;
 * {@link ModuleDirectionTest} checks that every class belongs to exactly one of them, so a new
 * package cannot slip past the rules by belonging to none.
 */
enum RingflowModules {

    WATERMARK("watermark", resideInAPackage("io.ringflow.watermark..")),
    STATE("state", resideInAPackage("io.ringflow.state..")),
    WINDOWING("windowing", resideInAPackage("io.ringflow.windowing..")),
    // The DSL lives in io.ringflow itself; the pattern without ".." matches that package alone.
    RUNTIME("runtime", resideInAnyPackage("io.ringflow", "io.ringflow.collection..", "io.ringflow.error..",
            "io.ringflow.function..", "io.ringflow.internal..", "io.ringflow.testing..")),
    KAFKA_TESTING("kafka-testing", resideInAPackage("io.ringflow.connectors.kafka.testing..")),
    CONNECTORS("connectors", resideInAPackage("io.ringflow.connectors..")
            .and(not(resideInAPackage("io.ringflow.connectors.kafka.testing..")))),
    SAMPLES("samples", resideInAPackage("io.ringflow.samples..")),
    BENCHMARKS("benchmarks", resideInAPackage("io.ringflow.benchmarks.."));

    /** Every package that holds internals, in any module: {@code io.ringflow.internal}, {@code io.ringflow.state.internal}. */
    static final String INTERNAL_PACKAGES = "io.ringflow..internal..";

    private final String directory;
    private final DescribedPredicate<JavaClass> classes;

    RingflowModules(String directory, DescribedPredicate<JavaClass> classes) {
        this.directory = directory;
        this.classes = classes.as("in module " + directory);
    }

    /** The module's folder, as the root pom lists it. */
    String directory() {
        return directory;
    }

    /** Whether a class is one of this module's. */
    DescribedPredicate<JavaClass> classes() {
        return classes;
    }
}

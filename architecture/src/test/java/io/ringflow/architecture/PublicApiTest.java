package io.ringflow.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static io.ringflow.architecture.RingflowModules.INTERNAL_PACKAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.WaitStrategy;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.ringflow.architecture.ApiSignatures.Exposure;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Users see only the API: no type a user can reach (public, in a package that is not internal,
 * outside samples and benchmarks) names an internal type or an implementation dependency in its
 * signature. Such a type is API by accident: users can call it, and every change to it breaks
 * them. Micrometer's registry and the Kafka client's types are API on purpose (a user passes a
 * MeterRegistry, a Kafka source takes a deserializer), so they are not on the list.
 */
@AnalyzeClasses(packages = "io.ringflow", importOptions = ImportOption.DoNotIncludeTests.class)
class PublicApiTest {

    private static final DescribedPredicate<JavaClass> API = resideInAPackage("io.ringflow..")
            .and(not(resideInAnyPackage(INTERNAL_PACKAGES, "io.ringflow.samples..", "io.ringflow.benchmarks..")))
            .and(DescribedPredicate.describe("reachable by users", ApiSignatures::reachable))
            .as("public types of the API");

    private static final DescribedPredicate<JavaClass> IMPLEMENTATION = resideInAnyPackage(
            INTERNAL_PACKAGES, "com.lmax..", "org.rocksdb..", "org.HdrHistogram..", "org.slf4j..")
            .as("internal, Disruptor, RocksDB, HdrHistogram or SLF4J types");

    @ArchTest
    static final ArchRule apiExposesNoImplementationType = classes()
            .that(API).should(exposeNo(IMPLEMENTATION))
            .because("what a public signature names, users can call and must be able to rely on");

    static ArchCondition<JavaClass> exposeNo(DescribedPredicate<JavaClass> hidden) {
        return new ArchCondition<>("name no " + hidden.getDescription() + " in their signatures") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (Exposure exposure : ApiSignatures.of(type)) {
                    if (hidden.test(exposure.type())) {
                        events.add(SimpleConditionEvent.violated(type, exposure.where() + " names "
                                + exposure.type().getName()));
                    }
                }
            }
        };
    }

    /** So the rule above cannot pass by seeing nothing: it finds each kind of leak it looks for. */
    @Test
    void everyKindOfSignatureIsSeen() {
        JavaClass leaky = new ClassFileImporter().importClass(Leaky.class);
        Set<String> leaks = ApiSignatures.of(leaky).stream()
                .filter(exposure -> IMPLEMENTATION.test(exposure.type()))
                .map(exposure -> exposure.where().replace(Leaky.class.getName(), "Leaky") + " -> "
                        + exposure.type().getSimpleName())
                .collect(Collectors.toSet());
        assertEquals(Set.of(
                "implements -> WaitStrategy",
                "Leaky.field -> WaitStrategy",
                "Leaky.strategy() -> WaitStrategy",
                "Leaky.take(java.util.List) -> WaitStrategy",
                "Leaky.bounded() -> WaitStrategy",
                "Leaky.bounded() <S> -> WaitStrategy",
                "Leaky.fail() throws -> AlertException"), leaks);
    }

    /** A public type that leaks a Disruptor type in every way a signature can. */
    public abstract static class Leaky implements Supplier<WaitStrategy> {
        public WaitStrategy field;

        public abstract WaitStrategy strategy();

        public abstract void take(List<? extends WaitStrategy> strategies);

        public abstract <S extends WaitStrategy> S bounded();

        public abstract void fail() throws AlertException;

        /** Hidden: not a leak. */
        abstract WaitStrategy packagePrivate();
    }
}

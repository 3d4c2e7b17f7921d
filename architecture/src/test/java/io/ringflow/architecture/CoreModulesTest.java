package io.ringflow.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static io.ringflow.architecture.RingflowModules.STATE;
import static io.ringflow.architecture.RingflowModules.WATERMARK;
import static io.ringflow.architecture.RingflowModules.WINDOWING;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Timer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * Watermark, windowing and state are the logic a shard thread calls: they run on the thread
 * that calls them, and they know nothing of the rings or of Kafka. Threads belong to the
 * runtime, where {@code Topology.describe()} can show each one; the Disruptor to the pipeline;
 * Kafka to the connectors.
 */
@AnalyzeClasses(packages = "io.ringflow", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreModulesTest {

    private static final DescribedPredicate<JavaClass> CORE =
            WATERMARK.classes().or(STATE.classes()).or(WINDOWING.classes()).as("watermark, windowing and state");

    /** What starts, pools or schedules threads. */
    private static final DescribedPredicate<JavaClass> THREADS = assignableTo(Thread.class)
            .or(assignableTo(ThreadGroup.class))
            .or(assignableTo(ThreadFactory.class))
            .or(assignableTo(Executor.class))
            .or(assignableTo(CompletionStage.class))
            .or(assignableTo(Timer.class))
            .as("threads, thread factories, executors, completion stages or timers");

    @ArchTest
    static final ArchRule coreModulesStartNoThreads = noClasses()
            .that(CORE)
            .should().dependOnClassesThat(THREADS)
            .because("a core module runs on its caller's thread; threads belong to the runtime, which shows them");

    @ArchTest
    static final ArchRule coreModulesUseNoDisruptorAndNoKafka = noClasses()
            .that(CORE)
            .should().dependOnClassesThat(resideInAnyPackage("com.lmax..", "org.apache.kafka..", "kafka.."))
            .because("the rings are the pipeline's and Kafka the connectors'; the core runs under both, or neither");
}

/** The DSL, the stage compiler, the Disruptor pipeline and the test driver. */
// rocksdbjni, micrometer, HdrHistogram and kafka-clients ship no descriptor: their automatic
// names are the ones every user of the module path has too, so the warning says nothing new.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.ringflow.runtime {
    requires transitive io.ringflow.watermark;
    requires transitive io.ringflow.state;
    requires transitive io.ringflow.windowing;
    requires transitive micrometer.core;
    requires com.lmax.disruptor;
    requires HdrHistogram;
    requires org.slf4j;

    exports io.ringflow;
    exports io.ringflow.collection;
    exports io.ringflow.error;
    exports io.ringflow.function;
    exports io.ringflow.testing;
}

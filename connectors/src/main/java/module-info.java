/** Sources and sinks: Kafka, rate generator, files, sockets, console. */
// rocksdbjni, micrometer, HdrHistogram and kafka-clients ship no descriptor: their automatic
// names are the ones every user of the module path has too, so the warning says nothing new.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.ringflow.connectors {
    requires transitive io.ringflow.runtime;
    requires transitive kafka.clients;
    requires org.slf4j;

    exports io.ringflow.connectors.console;
    exports io.ringflow.connectors.file;
    exports io.ringflow.connectors.kafka;
    exports io.ringflow.connectors.rate;
    exports io.ringflow.connectors.socket;
}

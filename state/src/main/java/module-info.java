/** Keyed state stores: the in-memory and RocksDB backends, serdes and the record cache. */
// rocksdbjni, micrometer, HdrHistogram and kafka-clients ship no descriptor: their automatic
// names are the ones every user of the module path has too, so the warning says nothing new.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.ringflow.state {
    requires rocksdbjni;

    exports io.ringflow.state;
    exports io.ringflow.state.cache;
    exports io.ringflow.state.memory;
    exports io.ringflow.state.rocksdb;
    exports io.ringflow.state.timers;
    exports io.ringflow.state.internal to io.ringflow.runtime;
}

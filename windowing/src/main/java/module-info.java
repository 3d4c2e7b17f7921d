/** Window assigners, grace, emit strategies and the windowed-aggregation logic. */
module io.ringflow.windowing {
    requires transitive io.ringflow.watermark;
    requires transitive io.ringflow.state;

    exports io.ringflow.windowing;
}

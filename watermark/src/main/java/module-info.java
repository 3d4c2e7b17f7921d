/** Event time: timestamp extractors, watermark strategies and the minimum over inputs. */
module io.ringflow.watermark {
    exports io.ringflow.watermark;
}

package io.ringflow;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A source that emits nothing until {@code gate} is open, then runs {@code source}: a test makes
 * a stream wait until a table is loaded, so which table value each record meets is fixed.
 */
final class GatedSource<T> implements Source<T> {

    private final Source<T> source;
    private final CountDownLatch gate;

    GatedSource(Source<T> source, CountDownLatch gate) {
        this.source = source;
        this.gate = gate;
    }

    @Override
    public void run(SourceContext<T> context) throws Exception {
        if (!gate.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the gate did not open within 30 s");
        }
        source.run(context);
    }

    @Override
    public int readers() {
        return source.readers();
    }
}

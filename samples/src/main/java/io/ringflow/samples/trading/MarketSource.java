package io.ringflow.samples.trading;

import io.ringflow.Source;
import io.ringflow.SourceContext;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link MarketGenerator} as a Ringflow source: {@link #live} hands each event out when
 * the wall clock reaches its arrival time (a real-time market), {@link #bounded} as fast as
 * the pipeline takes them, then ends (for tests and replays).
 *
 * <p>With checkpoints on, its position (the generator's start time and how many events it
 * has emitted) goes into each checkpoint; a pipeline restored from one regenerates and skips
 * those events, so the market resumes exactly where the checkpoint left it and state counts
 * no event twice. Cost: regenerating is about a microsecond per skipped event, once, at
 * start. One reader.
 */
public final class MarketSource implements Source<MarketEvent> {

    private final MarketGenerator.Settings settings;
    private final boolean paced;
    private final long limit;

    private MarketSource(MarketGenerator.Settings settings, boolean paced, long limit) {
        this.settings = settings;
        this.paced = paced;
        this.limit = limit;
    }

    /** Endless, in real time: event time starts at {@code settings.startMillis()}. */
    public static MarketSource live(MarketGenerator.Settings settings) {
        return new MarketSource(settings, true, Long.MAX_VALUE);
    }

    /** The first {@code events} events, unpaced, then the input ends. */
    public static MarketSource bounded(MarketGenerator.Settings settings, long events) {
        return new MarketSource(settings, false, events);
    }

    @Override
    public void run(SourceContext<MarketEvent> context) {
        MarketGenerator.Settings resumed = settings;
        long skip = 0;
        Optional<byte[]> restored = context.restoredPosition();
        if (restored.isPresent()) {
            ByteBuffer position = ByteBuffer.wrap(restored.get());
            resumed = settings.withStart(position.getLong());
            skip = position.getLong();
        }
        MarketGenerator generator = new MarketGenerator(resumed);
        for (long i = 0; i < skip; i++) {
            generator.next();
        }
        long startMillis = resumed.startMillis();
        long[] emitted = {skip};
        context.positionForCheckpoints(id -> ByteBuffer.allocate(16).putLong(startMillis).putLong(emitted[0]).array());

        long wallAnchor = System.nanoTime();
        long arrivalAnchor = Long.MIN_VALUE;
        while (emitted[0] < limit && context.isRunning()) {
            MarketGenerator.Arrival next = generator.next();
            if (paced) {
                if (arrivalAnchor == Long.MIN_VALUE) {
                    arrivalAnchor = next.arrivalMillis();
                }
                long due = wallAnchor + TimeUnit.MILLISECONDS.toNanos(next.arrivalMillis() - arrivalAnchor);
                // Park in short slices so a stop (and a checkpoint barrier) is never kept waiting.
                for (long wait = due - System.nanoTime(); wait > 0 && context.isRunning(); wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
                }
                if (!context.isRunning()) {
                    return;
                }
            }
            context.emit(next.event(), next.event().eventTime());
            emitted[0]++;
        }
    }
}

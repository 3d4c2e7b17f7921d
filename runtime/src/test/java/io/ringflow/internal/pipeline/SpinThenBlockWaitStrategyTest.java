package io.ringflow.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A consumer that has stopped spinning and blocked is woken by the next publish, and by an
 * alert (how a shard is halted): nothing published is missed, nobody waits forever.
 */
class SpinThenBlockWaitStrategyTest {

    private static final long SPIN_NANOS = 10_000;

    @Test
    void aBlockedConsumerWakesOnThePublishThatComesAfterItsSpin() throws Exception {
        RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 8,
                new SpinThenBlockWaitStrategy(SPIN_NANOS));
        SequenceBarrier barrier = ring.newBarrier();
        for (long sequence = 0; sequence < 20; sequence++) {
            long expected = sequence;
            CompletableFuture<Long> waited = CompletableFuture.supplyAsync(() -> {
                try {
                    return barrier.waitFor(expected);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Longer than the spin, so the consumer is blocked by now (most of the time).
            TimeUnit.MILLISECONDS.sleep(2);
            long published = ring.next();
            ring.get(published)[0] = published;
            ring.publish(published);
            assertEquals(expected, waited.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void anIdleConsumerParksInsteadOfSpinning() throws Exception {
        RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 8,
                new SpinThenBlockWaitStrategy(SPIN_NANOS));
        SequenceBarrier barrier = ring.newBarrier();
        Thread consumer = new Thread(() -> {
            try {
                barrier.waitFor(0);
            } catch (Exception e) {
                // alerted: the test is over
            }
        }, "idle-consumer");
        consumer.start();
        // The spin lasts microseconds; long after it, an idle consumer must be waiting, not running.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (consumer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        Thread.State state = consumer.getState();
        barrier.alert();
        consumer.join(5_000);
        assertEquals(Thread.State.WAITING, state, "an idle consumer still runs: it spins instead of parking");
    }

    @Test
    void anAlertWakesABlockedConsumer() throws Exception {
        RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 8,
                new SpinThenBlockWaitStrategy(SPIN_NANOS));
        SequenceBarrier barrier = ring.newBarrier();
        CompletableFuture<Throwable> waited = CompletableFuture.supplyAsync(() -> {
            try {
                barrier.waitFor(0);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        TimeUnit.MILLISECONDS.sleep(20);
        barrier.alert();
        assertInstanceOf(AlertException.class, waited.get(5, TimeUnit.SECONDS));
    }

    @Test
    void whatIsAlreadyPublishedIsReturnedWithoutWaiting() throws Exception {
        RingBuffer<long[]> ring = RingBuffer.createSingleProducer(() -> new long[1], 8,
                new SpinThenBlockWaitStrategy(SPIN_NANOS));
        SequenceBarrier barrier = ring.newBarrier();
        for (int i = 0; i < 5; i++) {
            ring.publish(ring.next());
        }
        assertEquals(4, barrier.waitFor(2)); // everything available, not just what was asked for
    }
}

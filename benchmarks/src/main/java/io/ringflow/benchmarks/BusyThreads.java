package io.ringflow.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Threads of other work on the machine, for latency measured under contention: each spins on
 * arithmetic and never blocks, as a busy neighbour process would, until {@link #stop}.
 */
final class BusyThreads {

    private final List<Thread> threads;
    private volatile boolean running = true;
    /** Written so the JIT cannot drop the loop. */
    volatile long sink;

    private BusyThreads(int count) {
        this.threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(this::spin, "busy-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    static BusyThreads start(int count) {
        BusyThreads busy = new BusyThreads(count);
        busy.threads.forEach(Thread::start);
        return busy;
    }

    private void spin() {
        long x = 1;
        while (running) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink = x;
        }
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** For the report's machine line: empty without busy threads. */
    String describe() {
        return threads.isEmpty() ? "" : ", " + threads.size() + " busy thread" + (threads.size() == 1 ? "" : "s") + " beside";
    }
}

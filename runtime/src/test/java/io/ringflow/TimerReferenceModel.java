package io.ringflow;

import io.ringflow.function.TimeDomain;
import io.ringflow.function.TimerService;
import io.ringflow.function.ValueState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The timer semantics of a keyed {@code process} written down plainly, for
 * {@link TimersDifferentialTest}: one sorted set of (time, key) per domain, a watermark that only
 * advances (to the largest event time piped, or by hand), a processing clock advanced by hand.
 * A timer fires when its clock reaches it, the earliest first, ties by key (keys "k0".."k14" sort
 * as their bytes do); one that its own firing adds at or before that clock fires in the same
 * advance. What a firing does is {@link TimersDifferentialTest#react}, as in the function.
 */
final class TimerReferenceModel {

    /** A timer: time first, then key; the order of the table keys. */
    private record Timer(long time, String key) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : key.compareTo(other.key);
        }
    }

    private final TreeSet<Timer> eventTimers = new TreeSet<>();
    private final TreeSet<Timer> processingTimers = new TreeSet<>();
    private final Map<String, Long> counts = new HashMap<>();
    private long watermark = Long.MIN_VALUE;
    private long processingTime;
    private int fired;

    long watermark() {
        return watermark;
    }

    long processingTime() {
        return processingTime;
    }

    int fired() {
        return fired;
    }

    /** A registered timer of {@code key}'s in {@code domain}, at random, or -1 if it has none. */
    long someTimer(String key, TimeDomain domain, Random random) {
        List<Long> times = new ArrayList<>();
        for (Timer timer : domain == TimeDomain.EVENT_TIME ? eventTimers : processingTimers) {
            if (timer.key.equals(key)) {
                times.add(timer.time);
            }
        }
        return times.isEmpty() ? -1 : times.get(random.nextInt(times.size()));
    }

    /** The output of a fired timer, as the function under test writes it. */
    static String fired(String key, TimeDomain domain, long time, long watermark, Long count) {
        return key + " " + domain + " " + time + " wm=" + watermark + " count=" + count;
    }

    /** A record "key@time:commands" is processed, then the watermark moves to its time if that is later. */
    List<String> record(String event) {
        String key = event.substring(0, event.indexOf('@'));
        long time = Long.parseLong(event.substring(event.indexOf('@') + 1, event.indexOf(':')));
        for (String command : event.substring(event.indexOf(':') + 1).split(",")) {
            TimersDifferentialTest.apply(command, service(key), state(key));
        }
        return advanceWatermark(time);
    }

    List<String> advanceWatermark(long to) {
        List<String> out = new ArrayList<>();
        if (to <= watermark) {
            return out; // a watermark that does not advance fires nothing
        }
        watermark = to;
        fire(eventTimers, TimeDomain.EVENT_TIME, to, out);
        return out;
    }

    List<String> advanceProcessingTime(long by) {
        processingTime += by;
        List<String> out = new ArrayList<>();
        fire(processingTimers, TimeDomain.PROCESSING_TIME, processingTime, out);
        return out;
    }

    private void fire(TreeSet<Timer> timers, TimeDomain domain, long upTo, List<String> out) {
        while (!timers.isEmpty() && timers.first().time <= upTo) {
            Timer timer = timers.pollFirst();
            fired++;
            String key = timer.key;
            long time = timer.time;
            out.add(fired(key, domain, time, domain == TimeDomain.EVENT_TIME ? upTo : watermark, counts.get(key)));
            TimersDifferentialTest.react(key, time, domain, service(key), state(key));
        }
    }

    /** {@code key}'s timers in the model, through the same interface the function uses. */
    private TimerService service(String key) {
        return new TimerService() {
            @Override
            public long currentProcessingTime() {
                return processingTime;
            }

            @Override
            public long currentWatermark() {
                return watermark;
            }

            @Override
            public void registerEventTimeTimer(long timestamp) {
                eventTimers.add(new Timer(timestamp, key));
            }

            @Override
            public void registerProcessingTimeTimer(long timestamp) {
                processingTimers.add(new Timer(timestamp, key));
            }

            @Override
            public void deleteEventTimeTimer(long timestamp) {
                eventTimers.remove(new Timer(timestamp, key));
            }

            @Override
            public void deleteProcessingTimeTimer(long timestamp) {
                processingTimers.remove(new Timer(timestamp, key));
            }
        };
    }

    private ValueState<Long> state(String key) {
        return new ValueState<>() {
            @Override
            public Long value() {
                return counts.get(key);
            }

            @Override
            public void update(Long value) {
                if (value == null) {
                    counts.remove(key);
                } else {
                    counts.put(key, value);
                }
            }

            @Override
            public void clear() {
                counts.remove(key);
            }
        };
    }
}

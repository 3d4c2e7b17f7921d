package io.ringflow.internal.keyedstate;

import io.ringflow.function.TimeDomain;

/**
 * What named state needs to know of the call it runs in: the keyed {@code process} operator
 * answers, for the record being processed or the timer firing.
 */
public interface StateScope {

    /** The current key. */
    Object key();

    /** The current record's timestamp; in {@code onTimer}, the timer's. */
    long timestamp();

    /** The watermark the current key's event-time timers fire against (in {@code onTimer}, the one firing). */
    long currentWatermark();

    /** The shard's processing time. */
    long currentProcessingTime();

    /** The domain of the timer firing; {@code null} in {@code process}. */
    TimeDomain timeDomain();

    /** The named states of the current key's state partition. */
    NamedStates namedStates();
}

package io.ringflow.windowing;

import io.ringflow.state.Serde;
import java.nio.ByteBuffer;

/**
 * What a session window store holds per (key, session start): the session's end (last
 * timestamp + gap) and its aggregate.
 */
public record SessionState<A>(long end, A aggregate) {

    /** Stores the end as 8 bytes before the aggregate's own bytes. */
    public static <A> Serde<SessionState<A>> serde(Serde<A> aggregateSerde) {
        return new Serde<>() {
            @Override
            public byte[] serialize(SessionState<A> state) {
                byte[] aggregate = aggregateSerde.serialize(state.aggregate());
                return ByteBuffer.allocate(Long.BYTES + aggregate.length).putLong(state.end()).put(aggregate).array();
            }

            @Override
            public SessionState<A> deserialize(byte[] bytes) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                long end = buffer.getLong();
                byte[] aggregate = new byte[buffer.remaining()];
                buffer.get(aggregate);
                return new SessionState<>(end, aggregateSerde.deserialize(aggregate));
            }

            @Override
            public String typeName() {
                return "SessionState<" + aggregateSerde.typeName() + ">";
            }
        };
    }
}

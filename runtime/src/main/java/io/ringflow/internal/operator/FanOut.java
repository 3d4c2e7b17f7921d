package io.ringflow.internal.operator;

import java.util.List;

/** Gives each record to every downstream operator, in the order the topology declared them. */
public final class FanOut implements Output {

    private final Output[] outputs;

    private FanOut(Output[] outputs) {
        this.outputs = outputs;
    }

    /** One output stays as it is: a fan-out of one would only add a call per record. */
    public static Output of(List<Output> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("an operator needs at least one downstream output");
        }
        return outputs.size() == 1 ? outputs.get(0) : new FanOut(outputs.toArray(new Output[0]));
    }

    @Override
    public void push(Object key, Object value, long timestamp) {
        for (Output output : outputs) {
            output.push(key, value, timestamp);
        }
    }
}

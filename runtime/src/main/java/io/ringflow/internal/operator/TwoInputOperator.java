package io.ringflow.internal.operator;

/**
 * An operator that reads two inputs ({@code connect(...).process}, the joins). Each input is an
 * {@link Output} of its own, handed to whatever feeds that side, so a record carries which side
 * it came from by where it enters, not in a wrapper: no allocation per record. The first input
 * is the operator itself ({@link #process}); the second calls {@link #processSecond}, counted
 * and guarded as {@link Operator#push} does the first's.
 */
public abstract class TwoInputOperator extends Operator {

    private final Output secondInput = this::pushSecond;

    protected TwoInputOperator(OperatorContext context) {
        super(context);
    }

    /** The entry of input {@code side}: 0 for the first input, 1 for the second. */
    public final Output input(int side) {
        if (side == 0) {
            return this;
        }
        if (side == 1 && hasSecondInput()) {
            return secondInput;
        }
        throw new IllegalArgumentException(context.kind() + " '" + context.name() + "' has no input " + side);
    }

    /** Whether this instance reads a second input; a keyed {@code process} of one input does not. */
    protected boolean hasSecondInput() {
        return true;
    }

    /** Handles one record of the second input, as {@link #process} does one of the first. */
    protected abstract void processSecond(Object key, Object value, long timestamp);

    private void pushSecond(Object key, Object value, long timestamp) {
        recordsIn().increment();
        try {
            processSecond(key, value, timestamp);
        } catch (Error e) {
            throw context.fatal(key, value, timestamp, e);
        }
    }
}

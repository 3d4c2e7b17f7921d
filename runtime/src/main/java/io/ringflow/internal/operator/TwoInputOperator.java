package io.ringflow.internal.operator;

/**
 * An operator that reads two inputs ({@code connect(...).process}, the joins). Each input is an
 * {@link Output} of its own, handed to whatever feeds that side, so a record carries which side
 * it came from by where it enters, not in a wrapper: no allocation per record.
 */
public interface TwoInputOperator {

    /** The entry of input {@code side}: 0 for the first input, 1 for the second. */
    Output input(int side);
}

package io.ringflow;

/**
 * A topology that cannot run, found while it is built: the message names the operator and
 * says what to change.
 */
public class TopologyException extends RingflowException {

    public TopologyException(String message) {
        super(message);
    }
}

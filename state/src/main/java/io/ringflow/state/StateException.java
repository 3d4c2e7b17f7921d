package io.ringflow.state;

/**
 * A state store could not do what was asked: a value that does not (de)serialize, a state
 * directory already in use, a RocksDB error. The message names the store and says what to
 * change; the cause is the original exception.
 */
public class StateException extends RuntimeException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}

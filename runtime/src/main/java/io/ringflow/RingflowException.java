package io.ringflow;

/** Base of every unchecked exception Ringflow throws; its message says what to change. */
public class RingflowException extends RuntimeException {

    public RingflowException(String message) {
        super(message);
    }

    public RingflowException(String message, Throwable cause) {
        super(message, cause);
    }
}

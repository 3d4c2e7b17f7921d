package io.ringflow.state;

/**
 * A store was given a key or value type it has no serde for: a configuration mistake, not bad
 * data. It fails the pipeline at the first record that needs the serde, whatever the error
 * handler, with a message that names the store, the type and the fix; handing each record to
 * the handler would make the mistake look like bad input (every record dead-lettered, no output).
 */
public class MissingSerdeException extends StateException {

    public MissingSerdeException(String message) {
        super(message);
    }
}

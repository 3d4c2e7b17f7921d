package io.ringflow.function;

/**
 * A named keyed state was declared in a way that cannot work: one name with two kinds, two
 * serdes or two TTLs, or a TTL clock other than the one its stored entries were written with.
 * A configuration mistake, not bad data: it fails the pipeline at the first record that meets
 * it, whatever the error handler, with a message that names the operator, the state and both
 * declarations.
 */
public final class StateDeclarationException extends IllegalStateException {

    public StateDeclarationException(String message) {
        super(message);
    }
}

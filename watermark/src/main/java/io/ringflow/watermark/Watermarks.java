package io.ringflow.watermark;

/** Constants of event time. */
public final class Watermarks {

    /** The watermark of an input that has seen nothing yet: holds every window open. */
    public static final long NONE = Long.MIN_VALUE;

    private Watermarks() {
    }
}

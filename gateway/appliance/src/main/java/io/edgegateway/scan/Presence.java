package io.edgegateway.scan;

/** What one cheap read at a unit id showed. */
public sealed interface Presence {

    /** A device answered: with data or with an exception code, either way it is there. */
    record Answered(String answer) implements Presence {
    }

    /**
     * Something answered, but not a valid answer: a CRC error, a frame from another unit. Usually a wrong baud rate
     * or parity, two devices with the same id, or bus noise.
     */
    record Garbled(String problem) implements Presence {
    }

    /** Nothing answered within the timeout, or a TCP gateway reported that the unit did not answer. */
    record Silent(String reason) implements Presence {
    }
}

package io.edgegateway.sim.modbus;

import java.time.Duration;

/** What a simulated device does with one request. */
sealed interface Answer {

    /**
     * Send {@code pdu} after {@code delay}; on RTU framings with a wrong CRC if {@code corruptCrc}; byte by byte at
     * {@code drip} bytes per second if not 0; as random bytes of the frame's length if {@code garbage}.
     */
    record Reply(byte[] pdu, Duration delay, boolean corruptCrc, int drip, boolean garbage) implements Answer {
    }

    /** Say nothing. */
    record Silence() implements Answer {
    }

    /** Close the connection instead of answering (TCP; a serial line cannot be dropped, so it stays silent). */
    record Drop() implements Answer {
    }

    Answer SILENCE = new Silence();
    Answer DROP = new Drop();
}

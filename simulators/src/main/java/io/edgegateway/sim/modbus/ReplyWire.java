package io.edgegateway.sim.modbus;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Puts a reply's frame on the wire the way its faults say: late, with a broken CRC, as random bytes, or dripped
 * byte by byte. Shared by the TCP and serial servers, so every framing misbehaves alike.
 */
final class ReplyWire {

    /** Where the bytes go: a socket's stream, a serial line. Each call is flushed. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes) throws IOException;
    }

    private final SplittableRandom random = new SplittableRandom(20261201);

    /**
     * @param frame   the whole frame (MBAP, or RTU with CRC)
     * @param minWait the least time before answering (an RTU slave's 3.5 characters)
     */
    void send(Answer.Reply r, byte[] frame, Duration minWait, Sink out) throws IOException, InterruptedException {
        byte[] wire = frame;
        if (r.garbage()) {
            wire = new byte[frame.length];
            synchronized (random) {
                random.nextBytes(wire);
            }
        } else if (r.corruptCrc()) {
            wire = frame.clone();
            wire[wire.length - 1] ^= (byte) 0xA5;
        }
        Duration wait = r.delay().compareTo(minWait) > 0 ? r.delay() : minWait;
        if (!wait.isZero()) {
            Thread.sleep(wait);
        }
        if (r.drip() <= 0) {
            out.write(wire);
            return;
        }
        Duration gap = Duration.ofNanos(1_000_000_000L / r.drip());
        for (int i = 0; i < wire.length; i++) {
            if (i > 0) {
                Thread.sleep(gap);
            }
            out.write(new byte[] {wire[i]});
        }
    }
}

package io.edgegateway.modbus.transport;

import java.time.Duration;

/** The quiet time a line needs between the end of one exchange and the next request. */
final class Pause {

    private Pause() {
    }

    /** Sleeps until {@code pause} after {@code lastEndNanos} (0: nothing exchanged yet, no wait). */
    static void await(long lastEndNanos, Duration pause) {
        if (lastEndNanos == 0 || pause.isZero()) {
            return;
        }
        long wait = lastEndNanos + pause.toNanos() - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

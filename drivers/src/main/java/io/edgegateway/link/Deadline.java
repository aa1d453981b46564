package io.edgegateway.link;

import java.time.Duration;

/**
 * The moment a whole exchange must be over, however its bytes trickle in. Every read of an answer waits at most
 * for what is left of it, so a device that drips one byte a second cannot hold a line longer than the deadline.
 *
 * @param atNanos a {@link System#nanoTime()} value
 */
public record Deadline(long atNanos) {

    /** {@code timeout} from now. */
    public static Deadline in(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    /** Time left, zero once passed. */
    public Duration remaining() {
        long left = atNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    public boolean passed() {
        return atNanos - System.nanoTime() <= 0;
    }
}

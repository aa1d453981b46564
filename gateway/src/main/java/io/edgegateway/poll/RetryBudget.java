package io.edgegateway.poll;

import java.util.ArrayDeque;

/**
 * Caps the share of a line's time spent on devices that are failing. Each failed attempt costs up to a full
 * timeout, and on a shared RS-485 line that time is taken from the healthy meters; backoff alone still lets
 * several dead meters together eat the line right after they fail. Time used by attempts at failing devices is
 * summed over a sliding window; while it exceeds {@code share} of the window, such attempts wait.
 */
final class RetryBudget {

    private final long windowNanos;
    private final double share;
    private final ArrayDeque<long[]> spent = new ArrayDeque<>(); // {endNanos, durationNanos}
    private long total;

    RetryBudget(long windowNanos, double share) {
        this.windowNanos = windowNanos;
        this.share = share;
    }

    /** Records a failed or retrying attempt that ended at {@code endNanos} and took {@code durationNanos}. */
    void spend(long endNanos, long durationNanos) {
        spent.addLast(new long[] {endNanos, durationNanos});
        total += durationNanos;
        expire(endNanos);
    }

    /** Nanoseconds to wait until an attempt at a failing device is allowed; 0 if allowed now. */
    long waitNanos(long nowNanos) {
        expire(nowNanos);
        long allowed = (long) (windowNanos * share);
        if (total < allowed) {
            return 0;
        }
        // Wait until enough old attempts leave the window.
        long over = total - allowed;
        long freed = 0;
        for (long[] s : spent) {
            freed += s[1];
            if (freed > over) {
                return Math.max(1, s[0] + windowNanos - nowNanos);
            }
        }
        return windowNanos;
    }

    private void expire(long nowNanos) {
        while (!spent.isEmpty() && spent.peekFirst()[0] < nowNanos - windowNanos) {
            total -= spent.removeFirst()[1];
        }
    }
}

package io.edgegateway.poll;

/**
 * Caps the share of a line's time spent on devices that are failing. Each failed attempt costs up to a full
 * timeout (plus, on RTU, the late-reply guard), and on a shared RS-485 line that time is taken from the healthy
 * meters; backoff alone still lets several dead meters together eat the line right after they fail.
 *
 * <p>A token bucket of line time: it fills at {@code share} seconds per second, holds at most {@code burst}, and
 * an attempt at a failing device may start while it holds any time at all, then pays what the attempt took. Over
 * any period T, failing devices get at most share·T + burst + one attempt.
 */
final class RetryBudget {

    private final double share;
    private final long burstNanos;
    private long tokensNanos;
    private long lastNanos;

    RetryBudget(double share, long burstNanos, long nowNanos) {
        this.share = share;
        this.burstNanos = burstNanos;
        this.tokensNanos = burstNanos;
        this.lastNanos = nowNanos;
    }

    /** Records an attempt at a failing device that ended at {@code endNanos} and took {@code durationNanos}. */
    void spend(long endNanos, long durationNanos) {
        refill(endNanos);
        tokensNanos -= durationNanos;
    }

    /** Nanoseconds to wait until an attempt at a failing device is allowed; 0 if allowed now. */
    long waitNanos(long nowNanos) {
        refill(nowNanos);
        return tokensNanos > 0 ? 0 : (long) Math.ceil((1 - tokensNanos) / share);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokensNanos = Math.min(burstNanos, tokensNanos + (long) (elapsed * share));
            lastNanos = nowNanos;
        }
    }
}

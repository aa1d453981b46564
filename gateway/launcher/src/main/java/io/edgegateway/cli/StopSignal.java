package io.edgegateway.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) for a command that loops over a device: the JVM's shutdown hook raises the signal, the loop
 * sees it between requests, ends, prints what it has and closes the port, and the hook waits for that (at most
 * {@code grace}) before the JVM exits. So a serial port is never left mid-frame and the last line is not lost.
 * Every request is bounded by its timeout, which bounds the wait.
 */
final class StopSignal implements AutoCloseable {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Duration grace;
    private final Thread hook;

    private StopSignal(Duration grace) {
        this.grace = grace;
        this.hook = new Thread(this::onShutdown, "ctrl-c");
    }

    /** A signal raised by the JVM's shutdown; {@link #close()} removes the hook again. */
    static StopSignal onShutdown(Duration grace) {
        StopSignal s = new StopSignal(grace);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    boolean stopped() {
        return stop.getCount() == 0;
    }

    /** Raises the signal. */
    void raise() {
        stop.countDown();
    }

    /**
     * Waits {@code d} unless the signal comes first.
     *
     * @return false when stopped
     */
    boolean sleep(Duration d) {
        try {
            return !stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void onShutdown() {
        stop.countDown();
        try {
            finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop is done: lets a waiting shutdown proceed, and drops the hook when not shutting down. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook is running and has just been released
        }
    }
}

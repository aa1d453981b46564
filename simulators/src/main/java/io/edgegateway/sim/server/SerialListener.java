package io.edgegateway.sim.server;

import io.edgegateway.device.LinkDownException;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;

import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A serial line a simulator answers on (a USB RS-485 adapter, or one end of a socat pty pair in tests). One reader
 * thread, a platform thread because the serial read blocks in native code, runs the {@link Line} handler until the
 * simulator stops or the port fails. Thread-safe.
 */
public final class SerialListener implements Serving {

    private static final System.Logger LOG = System.getLogger(SerialListener.class.getName());

    /**
     * Serves the line while {@code running} says so; reads should time out now and then (a native read cannot be
     * interrupted) so a stop is noticed.
     */
    @FunctionalInterface
    public interface Line {
        void serve(SerialLine line, BooleanSupplier running) throws IOException, InterruptedException;
    }

    private final String name;
    private final SerialSettings settings;
    private final Line handler;
    private final Duration stopWait;
    private volatile boolean running;
    private volatile String failure;
    private SerialLine line;
    private Thread reader;

    /** @param stopWait how long {@link #stop()} waits for the reader: a few of its read timeouts */
    public SerialListener(String name, SerialSettings settings, Duration stopWait, Line handler) {
        this.name = name;
        this.settings = settings;
        this.stopWait = stopWait;
        this.handler = handler;
    }

    /** Opens the line and starts the reader; starting a started listener does nothing. */
    public synchronized void start() throws LinkDownException {
        if (running) {
            return;
        }
        line = SerialLine.open(settings);
        running = true;
        failure = null;
        SerialLine l = line;
        reader = Thread.ofPlatform().daemon().name(name + " " + settings.device()).start(() -> read(l));
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        reader.interrupt(); // wakes it from an answer delay; a native read ends by its own timeout
        try {
            reader.join(stopWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        line.close();
        line = null;
        reader = null;
    }

    public synchronized void restart() throws LinkDownException {
        stop();
        start();
    }

    public boolean running() {
        return running;
    }

    /** Why the reader stopped by itself (the port failed, e.g. an unplugged adapter), or null. */
    public String failure() {
        return failure;
    }

    public SerialSettings settings() {
        return settings;
    }

    private void read(SerialLine l) {
        try {
            handler.serve(l, () -> running);
        } catch (IOException e) {
            if (running) {
                failure = settings.device() + ": " + e.getMessage();
                LOG.log(System.Logger.Level.WARNING, () -> name + " " + settings.describe() + " stopped: "
                        + e.getMessage());
                running = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

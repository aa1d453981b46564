package io.edgegateway.sim.server;

/**
 * Something that serves until it is stopped: a listener, a line, a whole simulator. Closing it stops it, so a test
 * can hold one in try-with-resources; stopping twice does nothing.
 */
public interface Serving extends AutoCloseable {

    void stop();

    boolean running();

    @Override
    default void close() {
        stop();
    }
}

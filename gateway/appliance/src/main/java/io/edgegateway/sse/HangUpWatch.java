package io.edgegateway.sse;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Notices at once when an SSE client closes or resets its connection, instead of at the next write.
 *
 * <p>A stream only writes; a closed client would otherwise hold its slot until a write failed, which for a quiet
 * stream is two heartbeats later (about a minute). A whole dashboard wall that reconnects at once then found every
 * slot taken. So each stream gets a virtual thread parked in a read on its connection: a client sends nothing on an
 * event stream, so the read returns only when the peer closed (end of stream) or reset (an error), and the stream
 * is ended then. Bytes a client does send are read and dropped.
 *
 * <p>Helidon gives a route no handle on its connection; its HTTP/1 receive listener does, on the connection's own
 * thread, just before that thread runs the route. The listener keeps it for that thread.
 *
 * <p>Streams are answered with {@code Connection: close}, and {@code http.ConnectionClose} closes the socket once
 * the response is complete: nothing but this watch reads the connection after the request, so it is never reused
 * for another one, and the watch ends with the socket. It is never interrupted: interrupting a read closes the
 * socket at once, before the end of the response is written.
 */
final class HangUpWatch implements Http1ConnectionListener {

    private static final Logger LOG = Logger.getLogger(HangUpWatch.class.getName());

    /** The connection whose request this thread is running: Helidon runs one connection per virtual thread. */
    private final ThreadLocal<ConnectionContext> connection = new ThreadLocal<>();

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        if (connection.get() != ctx) {
            connection.set(ctx);
        }
    }

    /** One stream's watch; {@link #streamEnded} before the response completes, so its end is not taken for a hang-up. */
    static final class Watch {
        private volatile boolean ended;

        void streamEnded() {
            ended = true;
        }
    }

    /**
     * Starts watching the connection of the request this thread is running, for {@code client}. Without this
     * listener on the server (a test's own server) nothing is watched, and a closed client is noticed at its next
     * write.
     */
    Watch watch(SseClient client) {
        Watch w = new Watch();
        ConnectionContext ctx = connection.get();
        if (ctx == null) {
            return w;
        }
        DataReader reader = ctx.dataReader();
        Thread.ofVirtual().name("sse-hangup-" + client.id()).start(() -> {
            try {
                while (!w.ended) {
                    reader.ensureAvailable(); // blocks until bytes come, or throws at end of stream or reset
                    reader.skip(reader.available());
                }
            } catch (RuntimeException e) {
                if (!w.ended) {
                    LOG.log(Level.FINE, "SSE client " + client.id() + " hung up", e);
                    client.abort("disconnected");
                }
            }
        });
        return w;
    }
}

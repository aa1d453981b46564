package io.edgegateway.config;

import java.time.Duration;

/**
 * SSE streaming settings.
 *
 * @param heartbeat     interval of {@code heartbeat} events on every stream
 * @param retry         reconnect delay suggested to EventSource clients ({@code retry:} field)
 * @param maxClients    concurrent streams; beyond it 503 with Retry-After
 * @param queueSize     events queued per client before it is cut off as too slow
 * @param clientTimeout how long a write to one client may block before it is cut off as stalled
 * @param replaySize    events kept for {@code Last-Event-ID} resume
 * @param compression   whether streams are gzipped for clients that accept it
 * @param maxCompressed streams gzipped at once at most; later ones go uncompressed. Each costs about 260 KB of
 *                      native memory (zlib's window and hash tables), which the JDK does not let us shrink
 */
public record SseConfig(Duration heartbeat, Duration retry, int maxClients, int queueSize, Duration clientTimeout,
                        int replaySize, Compression compression, int maxCompressed) {

    public static final SseConfig DEFAULT = new SseConfig(Duration.ofSeconds(30), Duration.ofSeconds(5), 1000, 256,
            Duration.ofSeconds(30), 1000, Compression.AUTO, 100);

    /** {@code sse.compression}. */
    public enum Compression {
        /** gzip when the request's Accept-Encoding allows it. */
        AUTO,
        /** never: for a proxy that compresses itself, or a link where CPU costs more than bytes. */
        OFF;

        static Compression parse(String text) {
            return switch (text) {
                case "auto" -> AUTO;
                case "off" -> OFF;
                default -> throw new IllegalArgumentException("expected auto or off, got '" + text + "'");
            };
        }
    }
}

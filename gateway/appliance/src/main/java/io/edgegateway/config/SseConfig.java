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
 */
public record SseConfig(Duration heartbeat, Duration retry, int maxClients, int queueSize, Duration clientTimeout,
                        int replaySize) {

    public static final SseConfig DEFAULT = new SseConfig(Duration.ofSeconds(30), Duration.ofSeconds(5), 1000, 256,
            Duration.ofSeconds(30), 1000);
}

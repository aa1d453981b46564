package io.edgegateway.sse;

import io.edgegateway.app.ApiHarness;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that stops reading is cut off and never holds up the others. */
class SseSlowClientTest {

    @Test
    void aStalledClientIsCutOffWhileAReadingClientGetsEverything() throws Exception {
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters("sse: {queue-size: 512, client-timeout: 1s}\n"));
             Socket stalled = new Socket()) {
            // The stalled client: a tiny receive window, a request, and then it never reads.
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", gw.server.port()));
            OutputStream o = stalled.getOutputStream();
            o.write(("GET /api/sse/meters HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();

            try (SseTestClient good = SseTestClient.open(gw.http, gw.uri("/api/sse/meters?meters=m1"), Map.of())) {
                good.next(Duration.ofSeconds(5));
                good.drain(Duration.ofMillis(200));
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (gw.clients.connected() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(2, gw.clients.connected());

                // Enough traffic to fill every socket buffer between the gateway and the stalled client (full
                // readings, ~600 bytes each). The publisher stays at most 100 events ahead of the healthy reader,
                // so the test holds on a loaded machine; the stalled client falls behind without bound.
                int events = 20_000;
                java.util.concurrent.atomic.AtomicInteger got = new java.util.concurrent.atomic.AtomicInteger();
                Thread counter = Thread.ofVirtual().start(() -> {
                    try {
                        while (got.get() < events) {
                            SseTestClient.Event e = good.next(Duration.ofSeconds(10));
                            if (e == null || e.event().equals("(closed)") || e.event().equals("error")) {
                                return;
                            }
                            if (e.event().equals("data")) {
                                got.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Instant t = Instant.now();
                Map<String, String> even = new java.util.HashMap<>();
                Map<String, String> odd = new java.util.HashMap<>();
                gw.config.device("m1").orElseThrow().points().forEach(p -> {
                    even.put(p.name(), "1230.5");
                    odd.put(p.name(), "2230.5");
                });
                long publishDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                for (int i = 0; i < events && System.nanoTime() < publishDeadline; i++) {
                    while (i - got.get() > 100 && counter.isAlive() && System.nanoTime() < publishDeadline) {
                        Thread.sleep(1);
                    }
                    gw.reading("m1", t.plusMillis(i), i % 2 == 0 ? even : odd);
                }
                counter.join(Duration.ofSeconds(30));
                int received = got.get();
                assertEquals(events, received, "the reading client got every event");

                long cutBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (gw.clients.connected() > 1 && System.nanoTime() < cutBy) {
                    Thread.sleep(50);
                }
                assertEquals(1, gw.clients.connected(), "the stalled client was cut off: " + gw.clients.statsJson(5, true));
                long dropped = gw.clients.dropped().values().stream().mapToLong(Long::longValue).sum();
                assertTrue(dropped >= 1, "and counted: " + gw.clients.dropped());
            }
        }
    }
}

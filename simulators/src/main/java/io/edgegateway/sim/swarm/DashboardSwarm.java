package io.edgegateway.sim.swarm;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens {@code clients} SSE streams to one URL, holds them for a while, and measures what arrives: events per
 * second and, for reading events, the delay from the reading's {@code timestamp} (when the gateway's poll
 * completed) to receipt here. Both ends must share a clock: run on the gateway's machine.
 */
public final class DashboardSwarm {

    /**
     * @param url      an SSE endpoint, e.g. http://127.0.0.1:8080/api/sse/meters
     * @param clients  connections to open
     * @param rampUp   spread connecting over this time
     * @param hold     keep all streams open this long once connected
     * @param token    access token (Authorization: Bearer), or null
     */
    public record Settings(URI url, int clients, Duration rampUp, Duration hold, String token) {
    }

    /** What the swarm saw. Latency figures are in milliseconds, -1 when no reading arrived. */
    public record Report(int clients, int connected, int refused, int failed, int droppedEarly, long events,
                         long readings, double seconds, double eventsPerSecond, long p50, long p90, long p99,
                         long max, long bytes) {

        public String describe() {
            return String.format(Locale.ROOT, """
                    clients requested  %d
                    connected          %d (refused %d, failed %d, closed by server before the end %d)
                    measured for       %.1f s
                    events received    %d (%.0f events/s), of which readings %d
                    bytes received     %d (%.1f KB/s)
                    latency poll->recv p50 %d ms, p90 %d ms, p99 %d ms, max %d ms""",
                    clients, connected, refused, failed, droppedEarly, seconds, events, eventsPerSecond, readings,
                    bytes, bytes / 1024.0 / Math.max(seconds, 0.001), p50, p90, p99, max);
        }
    }

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_EVENT = "data".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = "\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Settings settings;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger droppedEarly = new AtomicInteger();
    private final LongAdder events = new LongAdder();
    private final LongAdder readings = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile boolean measuring;
    private volatile boolean stopping;

    public DashboardSwarm(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>(settings.clients());
        long gapNanos = settings.clients() <= 1 ? 0 : settings.rampUp().toNanos() / settings.clients();
        List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < settings.clients(); i++) {
            threads.add(Thread.ofVirtual().name("dashboard-" + i).start(() -> client(sockets)));
            if (gapNanos > 0) {
                Thread.sleep(Duration.ofNanos(gapNanos));
            }
        }
        // Let the last connections settle before measuring.
        long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (connected.get() + refused.get() + failed.get() < settings.clients() && System.nanoTime() < settle) {
            Thread.sleep(50);
        }
        long eventsBefore = events.sum();
        long bytesBefore = bytes.sum();
        measuring = true;
        long start = System.nanoTime();
        Thread.sleep(settings.hold());
        measuring = false;
        double seconds = (System.nanoTime() - start) / 1e9;
        long got = events.sum() - eventsBefore;
        long gotBytes = bytes.sum() - bytesBefore;
        stopping = true;
        synchronized (sockets) {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing on the way out
                }
            }
        }
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(5));
        }
        return new Report(settings.clients(), connected.get(), refused.get(), failed.get(), droppedEarly.get(), got,
                readings.sum(), seconds, got / seconds, latency.percentile(0.50), latency.percentile(0.90),
                latency.percentile(0.99), latency.percentile(1.0), gotBytes);
    }

    private void client(List<Socket> sockets) {
        URI u = settings.url();
        int port = u.getPort() < 0 ? 80 : u.getPort();
        try (Socket s = new Socket()) {
            sockets.add(s);
            s.connect(new InetSocketAddress(u.getHost(), port), 10_000);
            OutputStream out = s.getOutputStream();
            String path = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + port
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + (settings.token() == null ? "" : "Authorization: Bearer " + settings.token() + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StreamResponse response = StreamResponse.read(new BufferedInputStream(s.getInputStream(), 8192));
            if (response.code() != 200) {
                (response.code() == 503 ? refused : failed).incrementAndGet();
                return;
            }
            connected.incrementAndGet();
            read(response.body());
            if (!stopping) {
                droppedEarly.incrementAndGet();
            }
        } catch (IOException e) {
            if (!stopping) {
                failed.incrementAndGet();
            }
        }
    }

    private void read(InputStream body) throws IOException {
        EventLines.read(body, new StreamLines());
    }

    /**
     * One stream's lines, read in place: only the event's name is compared and only a reading's timestamp is
     * decoded. A reading is an event that is unnamed or named {@code data} (until an {@code event:} line says
     * otherwise, the event being read is one).
     */
    private final class StreamLines implements EventLines.Handler {
        private boolean readingEvent = true;

        @Override
        public void line(byte[] b, int from, int to) {
            bytes.add(to - from + 1);
            if (from == to) {
                readingEvent = true;
            } else if (EventLines.startsWith(b, from, to, EVENT)) {
                readingEvent = Arrays.equals(b, from + EVENT.length, to, DATA_EVENT, 0, DATA_EVENT.length);
            } else if (EventLines.startsWith(b, from, to, DATA) && measuring) {
                events.increment();
                if (readingEvent) {
                    reading(b, from, to);
                }
            }
        }
    }

    private void reading(byte[] b, int from, int to) {
        int at = EventLines.indexOf(b, from, to, TIMESTAMP);
        if (at < 0) {
            return;
        }
        int start = at + TIMESTAMP.length;
        int end = start;
        while (end < to && b[end] != '"') {
            end++;
        }
        if (end == to) {
            return; // not a reading
        }
        try {
            Instant polled = Instant.parse(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
            latency.record(System.currentTimeMillis() - polled.toEpochMilli());
            readings.increment();
        } catch (DateTimeParseException e) {
            // not a reading
        }
    }

}

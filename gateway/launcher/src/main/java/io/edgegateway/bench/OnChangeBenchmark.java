package io.edgegateway.bench;

import io.edgegateway.command.Options;
import io.edgegateway.demo.DemoRig;
import io.edgegateway.encoding.Gzip;
import io.edgegateway.hub.EventHub;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.sim.swarm.StreamResponse;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code bin/bench onchange}: the bytes one subscriber of every demo meter receives, every way the gateway can send
 * them. Four real subscribers of {@code /api/sse/meters} (whole rows or {@code ?changes=only}, plain or gzipped)
 * count what reaches their sockets. The baseline, every poll as a whole row, is what the gateway never sends; it is
 * rebuilt here from the hub's latest reading, sampled every few milliseconds, framed as the stream frames events
 * and gzipped the way a stream is (a sync flush per event). Polls of one meter's groups a moment apart can fall
 * between two samples, so the sampled bytes are scaled to the hub's exact count of polls.
 */
final class OnChangeBenchmark {

    private static final Duration SAMPLE = Duration.ofMillis(5);

    int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("minutes", "seconds"), Set.of()).positionalCount(0, 0, "");
        int seconds = o.has("seconds") ? o.integer("seconds", 60, 10, 86_400) : 60 * o.integer("minutes", 5, 1, 1440);
        try (DemoRig rig = DemoRig.start("127.0.0.1", 0, Duration.ofSeconds(1), 0, 100, null, false)) {
            int port = rig.gateway().port();
            EventHub hub = rig.gateway().hub();
            List<Subscriber> subscribers = List.of(
                    new Subscriber("on change, whole rows", port, "/api/sse/meters", false),
                    new Subscriber("on change, whole rows, gzip", port, "/api/sse/meters", true),
                    new Subscriber("on change, changed keys only", port, "/api/sse/meters?changes=only", false),
                    new Subscriber("on change, changed keys only, gzip", port, "/api/sse/meters?changes=only", true));
            subscribers.forEach(Subscriber::start);
            System.out.printf("== %d s of the demo's %d meters polled every second; one subscriber of every meter%n",
                    seconds, hub.meterNos().size());
            EveryPoll every = new EveryPoll(hub);
            long polls0 = hub.pollCount();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                every.sample();
                Thread.sleep(SAMPLE);
            }
            every.finish();
            long polls = hub.pollCount() - polls0;
            subscribers.forEach(Subscriber::stop);
            double scale = (double) polls / every.polls;
            double base = every.plainBytes * scale;
            System.out.printf("   %-38s %12s %8s %8s%n", "", "bytes", "events", "share");
            print("every poll, whole rows (baseline)", Math.round(base), polls, base);
            print("every poll, whole rows, gzip", Math.round(every.gzipBytes * scale), polls, base);
            for (Subscriber s : subscribers) {
                if (s.failure != null) {
                    System.out.printf("   %-38s failed: %s%n", s.name, s.failure);
                } else {
                    print(s.name, s.wireBytes.get(), s.dataEvents.get(), base);
                }
            }
            System.out.printf("   (subscribers count every byte on their socket: headers, chunk sizes, heartbeats and"
                    + " status events included; the baseline counts data frames only: %d of %d polls sampled,"
                    + " scaled by %.3f)%n", every.polls, polls, scale);
        }
        return 0;
    }

    private static void print(String name, long bytes, long events, double base) {
        System.out.printf("   %-38s %12d %8d %7.1f%%%n", name, bytes, events, 100 * bytes / base);
    }

    /** Every poll of every meter, as the stream would frame it, plain and through one gzip stream. */
    private static final class EveryPoll {
        private final EventHub hub;
        private final Map<String, Instant> seen = new HashMap<>();
        private final CountingOutput gzipped = new CountingOutput();
        private final GZIPOutputStream gzip;
        long plainBytes;
        long gzipBytes;
        long polls;
        private long id = 1;

        EveryPoll(EventHub hub) throws IOException {
            this.hub = hub;
            this.gzip = Gzip.flushing(gzipped, true); // as the gateway's streams are compressed
        }

        void sample() throws IOException {
            for (String m : hub.meterNos()) {
                Reading r = hub.latest(m).orElse(null);
                if (r == null || r.timestamp().equals(seen.get(m))) {
                    continue;
                }
                seen.put(m, r.timestamp());
                byte[] frame = ("id: " + id++ + "\nevent: data\ndata: " + ReadingJson.reading(r, Set.of()) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8);
                plainBytes += frame.length;
                polls++;
                gzip.write(frame);
                gzip.flush();
            }
        }

        void finish() throws IOException {
            gzip.finish();
            gzipBytes = gzipped.count;
        }
    }

    private static final class CountingOutput extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** One subscriber on a raw socket: counts the bytes that arrive, and decodes them to count data events. */
    private static final class Subscriber {
        final String name;
        private final int port;
        private final String path;
        private final boolean gzip;
        final AtomicLong wireBytes = new AtomicLong();
        final AtomicLong dataEvents = new AtomicLong();
        volatile String failure;
        private volatile Socket socket;
        private Thread reader;

        Subscriber(String name, int port, String path, boolean gzip) {
            this.name = name;
            this.port = port;
            this.path = path;
            this.gzip = gzip;
        }

        void start() {
            reader = Thread.ofVirtual().name("subscriber " + name).start(this::read);
        }

        private void read() {
            try (Socket s = new Socket("127.0.0.1", port)) {
                socket = s;
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                        + (gzip ? "Accept-Encoding: gzip\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream counted = new FilterInputStream(s.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            wireBytes.incrementAndGet();
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            wireBytes.addAndGet(n);
                        }
                        return n;
                    }
                };
                StreamResponse response = StreamResponse.read(counted);
                if (response.code() != 200) {
                    failure = response.status();
                    return;
                }
                // Not gzip when asked: GZIPInputStream refuses the first bytes, and the row says so.
                InputStream body = gzip ? new GZIPInputStream(response.body(), 1024) : response.body();
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.equals("event: data")) {
                        dataEvents.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                if (socket == null || !socket.isClosed()) {
                    failure = e.toString();
                }
            }
        }

        void stop() {
            try {
                if (socket != null) {
                    socket.close();
                }
                reader.join(2000);
            } catch (IOException | InterruptedException e) {
                failure = "stopping: " + e;
            }
        }
    }
}

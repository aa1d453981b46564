package io.edgegateway.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.edgegateway.command.Options;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/bench sse-framing}: the gateway's way of writing SSE (each event encoded once, the same bytes written to
 * every client) against Helidon's {@link SseSink} (each client's sink encodes each event), on one real server with
 * the same clients and the same 52-point readings. Prints CPU time, bytes allocated and wall time of each, and
 * their ratios; the answer to "why are the SSE frames our own" in docs/architecture.md.
 */
final class SseFramingBenchmark {

    private record Run(double cpuSeconds, long allocatedBytes, double wallSeconds) {
    }

    /** One connected stream: what the publisher hands it, and the client socket reading it. */
    private record Stream(BlockingQueue<Object> queue) {
    }

    int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("clients", "events", "rounds"), Set.of()).positionalCount(0, 0, "");
        int clients = o.integer("clients", 500, 1, 5000);
        int events = o.integer("events", 400, 1, 100_000);
        int rounds = o.integer("rounds", 3, 1, 20);
        String json = reading();
        List<Stream> ours = new CopyOnWriteArrayList<>();
        List<Stream> helidons = new CopyOnWriteArrayList<>();
        WebServer server = WebServer.builder().host("127.0.0.1").port(0).writeBufferSize(1024)
                .routing(r -> r.get("/ours", (req, res) -> ours(res, register(ours)))
                        .get("/helidon", (req, res) -> helidon(res, register(helidons))))
                .build().start();
        try {
            System.out.printf(Locale.ROOT, "== SSE framing: %d clients, %d events of %d bytes of reading JSON each, "
                    + "%d rounds, one JVM%n", clients, events, json.length(), rounds);
            List<Run> a = new ArrayList<>();
            List<Run> b = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                a.add(round(server.port(), "/ours", ours, clients, events, json));
                b.add(round(server.port(), "/helidon", helidons, clients, events, json));
            }
            Run mo = median(a);
            Run mh = median(b);
            print("our frames (shared bytes)", mo);
            print("Helidon SseSink", mh);
            System.out.printf(Locale.ROOT, "   ours / Helidon: CPU %.2f, allocated %.2f, wall %.2f (medians)%n",
                    mo.cpuSeconds() / mh.cpuSeconds(), (double) mo.allocatedBytes() / mh.allocatedBytes(),
                    mo.wallSeconds() / mh.wallSeconds());
        } finally {
            server.stop();
        }
        return 0;
    }

    private static Stream register(List<Stream> streams) {
        Stream s = new Stream(new ArrayBlockingQueue<>(100_000));
        streams.add(s);
        return s;
    }

    /** As the gateway does: the response's output stream, pre-encoded frames, a flush per batch. */
    private static void ours(ServerResponse res, Stream s) throws Exception {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        OutputStream out = res.outputStream();
        out.write("retry: 5000\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            Object next = s.queue().take();
            if (next == STOP) {
                break;
            }
            out.write((byte[]) next);
            Object more;
            while ((more = s.queue().poll()) != null && more != STOP) {
                out.write((byte[]) more);
            }
            out.flush();
            if (more == STOP) {
                break;
            }
        }
        out.close();
    }

    /** Helidon's SSE sink: an event object per client, encoded by each client's sink. */
    private static void helidon(ServerResponse res, Stream s) throws Exception {
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            while (true) {
                Object next = s.queue().take();
                if (next == STOP) {
                    break;
                }
                Object[] e = (Object[]) next;
                sink.emit(SseEvent.builder().id((String) e[0]).name("data").data(e[1]).build());
            }
        }
    }

    private static final Object STOP = new Object();

    private Run round(int port, String path, List<Stream> streams, int clients, int events, String json)
            throws Exception {
        streams.clear();
        byte[][] frames = new byte[events][];
        for (int i = 0; i < events; i++) {
            frames[i] = ("id: " + (1000 + i) + "\nevent: data\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
        CountDownLatch done = new CountDownLatch(clients);
        int wantEvents = events;
        List<Socket> sockets = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            sockets.add(s);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread.ofVirtual().start(() -> drain(s, wantEvents, done));
        }
        while (streams.size() < clients) {
            Thread.sleep(10);
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long cpu0 = os.getProcessCpuTime();
        long alloc0 = threads.getTotalThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i++) {
            Object item = path.equals("/ours") ? frames[i] : new Object[] {String.valueOf(1000 + i), json};
            for (Stream s : streams) {
                s.queue().put(item);
            }
        }
        if (!done.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException(done.getCount() + " of " + clients + " clients on " + path
                    + " did not get every event");
        }
        long t1 = System.nanoTime();
        Run r = new Run((os.getProcessCpuTime() - cpu0) / 1e9, threads.getTotalThreadAllocatedBytes() - alloc0,
                (t1 - t0) / 1e9);
        for (Stream s : streams) {
            s.queue().put(STOP);
        }
        for (Socket s : sockets) {
            s.close();
        }
        return r;
    }

    /** Reads the stream until {@code want} events have come: counts their JSON however the reads split it. */
    private static void drain(Socket s, int want, CountDownLatch done) {
        byte[] pattern = "{\"meterNo\"".getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[16 * 1024];
        int matched = 0;
        int seen = 0;
        try (InputStream in = s.getInputStream()) {
            int n;
            while (seen < want && (n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    matched = buf[i] == pattern[matched] ? matched + 1 : buf[i] == pattern[0] ? 1 : 0;
                    if (matched == pattern.length) {
                        seen++;
                        matched = 0;
                    }
                }
            }
        } catch (IOException e) {
            // closed at the end of the round
        } finally {
            done.countDown();
        }
    }

    private static Run median(List<Run> runs) {
        List<Run> byCpu = new ArrayList<>(runs);
        byCpu.sort((x, y) -> Double.compare(x.cpuSeconds(), y.cpuSeconds()));
        return byCpu.get(byCpu.size() / 2);
    }

    private static void print(String what, Run r) {
        System.out.printf(Locale.ROOT, "   %-26s CPU %.2f s, allocated %.1f MB, wall %.2f s%n", what, r.cpuSeconds(),
                r.allocatedBytes() / 1e6, r.wallSeconds());
    }

    /** A 52-point SDM630 reading in the documented format, about 1.9 KB. */
    private static String reading() {
        StringBuilder b = new StringBuilder("{\"meterNo\":\"62124022443\",\"timestamp\":\"2026-12-01T10:00:00.000Z\"");
        for (int i = 0; i < 52; i++) {
            b.append(",\"Point number ").append(i).append(" of the meter\":\"").append(230 + i % 7).append('.')
                    .append(i % 10).append(" V\"");
        }
        return b.append('}').toString();
    }
}

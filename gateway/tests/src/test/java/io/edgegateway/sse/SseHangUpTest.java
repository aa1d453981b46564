package io.edgegateway.sse;

import io.edgegateway.app.ApiHarness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that closes or resets its connection gives its slot back at once, not at the next heartbeat. The
 * heartbeat here is 60 s, so nothing but noticing the hang-up itself can release a slot in time.
 */
class SseHangUpTest {

    private static final String CONFIG = "sse: {heartbeat: 60s, max-clients: 1000}\n";

    @Test
    void aClientThatClosesOrResetsIsReleasedWithinASecond() throws Exception {
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters(CONFIG))) {
            for (boolean reset : new boolean[] {false, true}) {
                Socket s = openStream(gw.server.port());
                awaitCount(gw.clients::connected, 1, Duration.ofSeconds(5));
                if (reset) {
                    s.setSoLinger(true, 0); // close sends RST instead of FIN
                }
                long t0 = System.nanoTime();
                s.close();
                awaitCount(gw.clients::connected, 0, Duration.ofSeconds(1));
                System.out.printf("%s released after %.0f ms%n", reset ? "reset" : "close",
                        (System.nanoTime() - t0) / 1e6);
            }
        }
    }

    @Test
    void aReconnectStormOfEveryClientAtTheLimitIsAdmitted() throws Exception {
        int clients = 1000;
        try (ApiHarness gw = new ApiHarness(ApiHarness.twoMeters(CONFIG));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Socket> first = connectAll(pool, gw.server.port(), clients);
            assertEquals(clients, gw.clients.connected(), "every slot taken");
            for (Socket s : first) {
                s.close();
            }
            // As EventSource does: a short pause, then every client at once. Before the fix, all got 503.
            Thread.sleep(1000);
            List<Socket> second = connectAll(pool, gw.server.port(), clients);
            assertEquals(clients, second.size());
            assertEquals(clients, gw.clients.connected());
            for (Socket s : second) {
                s.close();
            }
        }
    }

    /** Opens {@code n} streams at once; fails unless each one is admitted (status 200, the connected event). */
    private static List<Socket> connectAll(ExecutorService pool, int port, int n) throws Exception {
        List<Future<Socket>> opening = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opening.add(pool.submit(() -> openStream(port)));
        }
        List<Socket> open = new ArrayList<>();
        int refused = 0;
        for (Future<Socket> f : opening) {
            try {
                open.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                refused++;
            }
        }
        assertEquals(0, refused, "streams refused although the earlier ones had all closed");
        return open;
    }

    /** A raw HTTP/1.1 stream request; returns once the {@code connected} event arrived. */
    private static Socket openStream(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /api/sse/meters HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[1024];
            while (!got.toString().contains("event: connected")) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("closed before the connected event: " + got);
                }
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                if (got.length() > 12 && !got.toString().startsWith("HTTP/1.1 200")) {
                    throw new IOException("refused: " + got.substring(0, Math.min(got.length(), 40)));
                }
            }
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static void awaitCount(IntSupplier count, int expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (count.getAsInt() != expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        assertTrue(count.getAsInt() == expected, "expected " + expected + " streams within " + within.toMillis()
                + " ms, have " + count.getAsInt());
    }
}

package io.edgegateway.poll;

import io.edgegateway.hub.EventHub;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bus of eleven meters behind one Modbus TCP server that queues requests and answers each in turn, 20 ms apart, as
 * a TCP-to-RS-485 gateway does. First polls are spread 100 ms apart; with {@code max-outstanding} above 1 each meter
 * then joins the bus's one grid of slots, so from the second second on all eleven are due at the same instant and
 * the scheduler keeps the window full with other meters' requests, never more; with 1, the spread stays and no
 * meter's request goes out before another's answer.
 */
class PipelinedBusTest {

    private static final int METERS = 11;
    private final DeviceProfile sdm120 = ProfileCatalog.shipped().find("sdm120").orElseThrow();

    /** Answers FC04 reads with zeros, in turn, and counts how many units had a request waiting at once. */
    private static final class QueueingServer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        final AtomicInteger mostUnitsWaiting = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        private final Map<Integer, Integer> waiting = new HashMap<>(); // unit -> requests received, not answered

        QueueingServer() throws IOException {
            Thread.ofVirtual().start(this::accept);
        }

        private void accept() {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
                Thread.ofVirtual().start(() -> answer(queue, out));
                while (true) {
                    byte[] header = new byte[6];
                    in.readFully(header);
                    byte[] frame = new byte[6 + (((header[4] & 0xFF) << 8) | (header[5] & 0xFF))];
                    System.arraycopy(header, 0, frame, 0, 6);
                    in.readFully(frame, 6, frame.length - 6);
                    synchronized (waiting) {
                        waiting.merge(frame[6] & 0xFF, 1, Integer::sum);
                        mostUnitsWaiting.accumulateAndGet(waiting.size(), Math::max);
                    }
                    queue.add(frame);
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void answer(BlockingQueue<byte[]> queue, OutputStream out) {
            try {
                while (true) {
                    byte[] req = queue.take();
                    Thread.sleep(20);
                    int count = ((req[10] & 0xFF) << 8) | (req[11] & 0xFF);
                    byte[] a = new byte[9 + 2 * count];
                    a[0] = req[0];
                    a[1] = req[1];
                    a[4] = (byte) ((3 + 2 * count) >> 8);
                    a[5] = (byte) (3 + 2 * count);
                    a[6] = req[6];
                    a[7] = req[7];
                    a[8] = (byte) (2 * count);
                    synchronized (waiting) {
                        waiting.computeIfPresent(req[6] & 0xFF, (u, n) -> n == 1 ? null : n - 1);
                    }
                    out.write(a);
                    out.flush();
                    answered.incrementAndGet();
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private int mostUnitsWaiting(int maxOutstanding) throws Exception {
        // Two points in one request: a meter's poll is one transaction, so only the scheduler can overlap two meters.
        List<Point> points = sdm120.points().subList(0, 2);
        try (QueueingServer server = new QueueingServer();
             ModbusClient link = ModbusClient.tcp("127.0.0.1", server.server.getLocalPort(),
                     LinkOptions.TCP.withResponseTimeout(Duration.ofMillis(500)), maxOutstanding)) {
            List<String> meterNos = new ArrayList<>();
            List<PolledDevice> devices = new ArrayList<>();
            for (int unit = 1; unit <= METERS; unit++) {
                meterNos.add("m" + unit);
                devices.add(new PolledDevice("m" + unit, new ModbusMeter(link, unit, sdm120.limits()), points,
                        List.of(new PollGroup("", Duration.ofSeconds(1), points))));
            }
            EventHub hub = new EventHub(meterNos, 100, 1);
            try (BusScheduler bus = new BusScheduler("b", "modbus-tcp", devices, hub, Backoff.DEFAULT, 0.5, link,
                    Clock.systemUTC())) {
                bus.start();
                Thread.sleep(2600);
                BusStats stats = bus.stats();
                assertTrue(stats.polls() >= METERS + 2, "every meter polled, the first ones twice: " + stats.polls());
                assertEquals(0, stats.errors().values().stream().mapToLong(Long::longValue).sum(), stats.errors()
                        .toString());
            }
            assertEquals(0, link.stats().lateRepliesDiscarded(), "nothing sent ahead was given up");
            return server.mostUnitsWaiting.get();
        }
    }

    @Test
    void metersDueTogetherShareTheWindow() throws Exception {
        assertEquals(4, mostUnitsWaiting(4), "four meters' requests went out before the first one's answer");
    }

    @Test
    void oneAtATimeNeverOverlapsTwoMeters() throws Exception {
        assertEquals(1, mostUnitsWaiting(1));
    }
}

package io.edgegateway.modbus;

import io.edgegateway.device.NoResponseException;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import io.edgegateway.profile.RequestLimits;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.edgegateway.modbus.ScriptedDevice.bytes;
import static io.edgegateway.modbus.ScriptedDevice.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several transactions in flight on one Modbus TCP connection ({@code max-outstanding}), against a device that holds
 * its answers until it has a given number of requests, then answers them in an order of its choosing: the frames are
 * the specification's FC03 examples, and every answer must reach the read that asked for it.
 */
class PipelinedExchangeTest {

    private static final LinkOptions FAST = LinkOptions.TCP.withResponseTimeout(Duration.ofMillis(1000))
            .withConnectTimeout(Duration.ofMillis(500));

    /**
     * One connection's worth of a device: answers the first request at once (the read that opens the connection:
     * nothing is sent ahead before there is one), then waits for {@code batch} requests, then answers each with its
     * start address as the register value, in {@code order} (indexes into the batch).
     */
    private static final class HoldingDevice implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        final List<byte[]> received = new ArrayList<>();
        final CompletableFuture<Boolean> moreThanBatch = new CompletableFuture<>();

        HoldingDevice(int batch, int... order) throws IOException {
            Thread.ofVirtual().start(() -> serve(batch, order));
        }

        private void serve(int batch, int[] order) {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] first = frame(in);
                synchronized (received) {
                    received.add(first);
                }
                out.write(answerWithStart(first));
                out.flush();
                List<byte[]> held = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    held.add(frame(in));
                }
                synchronized (received) {
                    received.addAll(held);
                }
                s.setSoTimeout(300); // nothing more may come while all of the window waits
                try {
                    frame(in);
                    moreThanBatch.complete(true);
                } catch (SocketTimeoutException e) {
                    moreThanBatch.complete(false);
                }
                for (int i : order) {
                    out.write(answerWithStart(held.get(i)));
                }
                out.flush();
                s.setSoTimeout(5000);
                while (true) { // answer whatever else comes, in turn
                    byte[] req = frame(in);
                    synchronized (received) {
                        received.add(req);
                    }
                    out.write(answerWithStart(req));
                }
            } catch (IOException e) {
                moreThanBatch.complete(false);
            }
        }

        /** The start address of a read request frame (MBAP header, function code, then the address). */
        static int startOf(byte[] req) {
            return ((req[8] & 0xFF) << 8) | (req[9] & 0xFF);
        }

        private static byte[] answerWithStart(byte[] req) {
            int start = startOf(req);
            return ScriptedDevice.mbapAnswer(req, req[6] & 0xFF,
                    bytes(String.format("03 02 %02X %02X", start >> 8, start & 0xFF)));
        }

        private static byte[] frame(DataInputStream in) throws IOException {
            byte[] header = new byte[6];
            in.readFully(header);
            byte[] frame = new byte[6 + (((header[4] & 0xFF) << 8) | (header[5] & 0xFF))];
            System.arraycopy(header, 0, frame, 0, 6);
            in.readFully(frame, 6, frame.length - 6);
            return frame;
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** The read that opens the connection: nothing is sent ahead before there is one. */
    private static void connect(ModbusClient link) throws Exception {
        assertEquals(0, link.read(0x11, Table.HOLDING, 0, 1).register(0));
    }

    @Test
    void noReadIsSentAheadBeforeThereIsAConnection() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST, 4)) {
            link.readAhead(0x11, Table.HOLDING, 1, 1); // would cost a connect timeout per hint on a dead host
            dev.thenPdu("03 02 00 05");
            assertEquals(5, link.read(0x11, Table.HOLDING, 7, 1).register(7));
            assertEquals(1, dev.received().size(), "nothing was sent ahead");
            assertEquals(0, link.stats().lateRepliesDiscarded());
        }
    }

    @Test
    void answersInAnyOrderReachTheReadsThatAskedForThem() throws Exception {
        try (HoldingDevice dev = new HoldingDevice(3, 2, 0, 1);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST, 3)) {
            connect(link);
            for (int start : new int[] {0x10, 0x20, 0x30}) {
                link.readAhead(0x11, Table.HOLDING, start, 1);
            }
            // The device answers nothing until it holds all three: with one at a time, the first read would time out.
            assertEquals(0x10, link.read(0x11, Table.HOLDING, 0x10, 1).register(0x10));
            assertEquals(0x20, link.read(0x11, Table.HOLDING, 0x20, 1).register(0x20));
            assertEquals(0x30, link.read(0x11, Table.HOLDING, 0x30, 1).register(0x30));
            assertEquals("03 00 10 00 01", ScriptedDevice.hex(Arrays.copyOfRange(dev.received.get(1), 7, 12)));
            assertEquals(4, link.stats().requests());
            assertEquals(0, link.stats().lateRepliesDiscarded());
        }
    }

    @Test
    void aMetersOwnRequestsGoOutTogetherAndEachValueReachesItsPoint() throws Exception {
        // Four points too far apart for one request: four requests, answered only once all four are in, in an order
        // of the device's choosing. A meter reading one at a time would time out on the first.
        List<Point> points = new ArrayList<>();
        for (int address : new int[] {0x100, 0x300, 0x500, 0x700}) {
            points.add(Point.of("R" + Integer.toHexString(address),
                    ModbusAddress.of(Table.HOLDING, address, DataType.UINT16), ""));
        }
        try (HoldingDevice dev = new HoldingDevice(4, 3, 1, 0, 2);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST, 4)) {
            connect(link);
            Map<Point, PointValue> got = new ModbusMeter(link, 0x11, RequestLimits.DEFAULT).read(points);
            for (Point p : points) {
                int address = ((ModbusAddress) p.address()).address();
                assertEquals(new PointValue.Number(BigDecimal.valueOf(address)), got.get(p), p.name());
            }
            synchronized (dev.received) {
                assertEquals(5, dev.received.size(), "the connecting read and the meter's four");
            }
            assertFalse(dev.moreThanBatch.get(5, TimeUnit.SECONDS), "nothing beyond the window");
            assertEquals(0, link.stats().lateRepliesDiscarded());
        }
    }

    @Test
    void theWindowIsNeverExceeded() throws Exception {
        try (HoldingDevice dev = new HoldingDevice(2, 0, 1);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST, 2)) {
            connect(link);
            for (int start : new int[] {1, 2, 3}) {
                link.readAhead(0x11, Table.HOLDING, start, 1); // the third does not fit
            }
            assertEquals(1, link.read(0x11, Table.HOLDING, 1, 1).register(1));
            assertEquals(2, link.read(0x11, Table.HOLDING, 2, 1).register(2));
            assertEquals(3, link.read(0x11, Table.HOLDING, 3, 1).register(3), "asked in its turn");
            assertEquals(Boolean.FALSE, dev.moreThanBatch.get(2, TimeUnit.SECONDS), "a third request while two waited");
        }
    }

    @Test
    void aReadOutOfTurnGivesUpWhatWasSentAheadAndTheirAnswersAreDropped() throws Exception {
        try (HoldingDevice dev = new HoldingDevice(2, 0, 1);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST, 3)) {
            connect(link);
            link.readAhead(0x11, Table.HOLDING, 1, 1);
            link.readAhead(0x11, Table.HOLDING, 2, 1);
            assertEquals(1, link.read(0x11, Table.HOLDING, 1, 1).register(1), "1 and 2 went out together");
            // Something else before 2 (a write would be the same): 2 is given up and its answer dropped.
            assertEquals(9, link.read(0x11, Table.HOLDING, 9, 1).register(9));
            assertEquals(1, link.stats().lateRepliesDiscarded());
            // Sent ahead but not yet written when something else is asked: it is never written at all.
            link.readAhead(0x11, Table.HOLDING, 3, 1);
            assertEquals(4, link.read(0x11, Table.HOLDING, 4, 1).register(4));
            assertEquals(2, link.read(0x11, Table.HOLDING, 2, 1).register(2), "asked again, answered in turn");
            List<Integer> starts = new ArrayList<>();
            synchronized (dev.received) {
                dev.received.forEach(f -> starts.add(HoldingDevice.startOf(f)));
            }
            assertEquals(List.of(0, 1, 2, 9, 4, 2), starts);
        }
    }

    @Test
    void aReadSentAheadThatIsNeverAnsweredTimesOutWithinTheTimeout() throws Exception {
        // The device waits for two requests and never gets them: the one sent ahead times out, as any would.
        try (HoldingDevice dev = new HoldingDevice(2, 0, 1);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST, 4)) {
            connect(link);
            link.readAhead(0x11, Table.HOLDING, 1, 1);
            long t0 = System.nanoTime();
            assertThrows(NoResponseException.class, () -> link.read(0x11, Table.HOLDING, 1, 1));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2500, "bounded by the 1 s timeout: " + ms + " ms");
        }
    }

    @Test
    void aMeterBehindASilentOneInTheWindowIsNotFailedForIt() throws Exception {
        // A gateway that answers in turn: unit 1's answer takes 1.5 s (past the 1 s timeout), unit 2's comes after it.
        try (ScriptedDevice dev = new ScriptedDevice(true);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST, 2)) {
            dev.thenPdu("03 02 00 00");
            connect(link);
            dev.then(req -> {
                sleep(1500);
                return ScriptedDevice.mbapAnswer(req, 1, bytes("03 02 00 01"));
            }).thenPdu("03 02 00 07");
            link.readAhead(1, Table.HOLDING, 1, 1, true);
            link.readAhead(2, Table.HOLDING, 1, 1, true);
            assertThrows(NoResponseException.class, () -> link.read(1, Table.HOLDING, 1, 1));
            assertEquals(7, link.read(2, Table.HOLDING, 1, 1).register(1),
                    "unit 2 gets its own timeout from its read, not from when it was sent ahead");
            assertEquals(1, link.stats().lateRepliesDiscarded(), "unit 1's late answer is dropped");
        }
    }

    @Test
    void oneAtATimeIgnoresReadAhead() throws Exception {
        try (ScriptedDevice dev = new ScriptedDevice(true);
             ModbusClient link = ModbusClient.tcp("127.0.0.1", dev.port(), FAST)) {
            dev.thenPdu("03 02 00 00").thenPdu("03 02 00 05");
            connect(link);
            link.readAhead(0x11, Table.HOLDING, 1, 1);
            assertEquals(5, link.read(0x11, Table.HOLDING, 7, 1).register(7));
            assertEquals(2, dev.received().size(), "nothing was sent ahead");
        }
    }

    @Test
    void severalInFlightNeedNoPause() {
        assertThrows(IllegalArgumentException.class,
                () -> ModbusClient.tcp("127.0.0.1", 502, FAST.withPause(Duration.ofMillis(5)), 2));
        assertThrows(IllegalArgumentException.class, () -> ModbusClient.tcp("127.0.0.1", 502, FAST, 17));
    }
}

package io.edgegateway.sim.dlms;

import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.AttributeDescriptor;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The simulated meter's load limiter (71/0.0.17.0.0.255) read and set by the gateway's DLMS client over the wrapper
 * on real sockets: who may set it, what it takes, that it stays, and the SET on the wire.
 */
@Timeout(60)
class LimiterTest {

    private static final ObisCode LIMITER = ObisCode.parse("0.0.17.0.0.255");
    private static final AttributeDescriptor NORMAL = new AttributeDescriptor(71, LIMITER, 4);
    private static final AttributeDescriptor ACTIVE = new AttributeDescriptor(71, LIMITER, 3);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private DlmsSimulator sim;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private void startSimulator() throws Exception {
        sim = DlmsSimulator.builder().wrapperTcp().port(0).build().start();
        cleanup.add(sim);
        sim.device().freeze(true);
    }

    private DlmsMeter meter(int port, boolean lls) {
        DlmsSettings.Builder b = DlmsSettings.builder().wrapperTcp("127.0.0.1", port);
        DlmsMeter m = new DlmsMeter((lls ? b.client(32).lls("12345678") : b.client(16).noSecurity()).build());
        cleanup.add(m);
        return m;
    }

    private Point point(String name) {
        return sim.device().profile().point(name).orElseThrow();
    }

    private static PointValue watts(long w) {
        return new PointValue.Number(BigDecimal.valueOf(w));
    }

    /** The simulated device's values are doubles (12000.0): compared as numbers. */
    private static void assertSameNumber(long expected, PointValue v, String what) {
        assertEquals(0, BigDecimal.valueOf(expected).compareTo(((PointValue.Number) v).value()), what + ": " + v);
    }

    private static DlmsData raw(DlmsMeter m, AttributeDescriptor a) throws Exception {
        GetResult r = m.connection().get(new CosemAddress(a.classId(), a.instance(), a.attribute()));
        return ((GetResult.Value) r).data();
    }

    @Test
    void theThresholdIsWholeWattsSetByAManagementClientAndKeptByTheMeter() throws Exception {
        startSimulator();
        Point normal = point("Limiter Threshold");
        Point active = point("Limiter Threshold Active");
        DlmsMeter operator = meter(sim.port(), true);
        Map<Point, PointValue> before = operator.read(List.of(normal, active));
        assertEquals(watts(10_000), before.get(normal), "the simulator starts at 10 kW");
        assertEquals(watts(10_000), before.get(active));
        assertEquals(DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 10_000), raw(operator, NORMAL),
                "double-long-unsigned, no scaler_unit");

        operator.write(normal, watts(12_000));
        Map<Point, PointValue> after = operator.read(List.of(normal, active));
        assertEquals(watts(12_000), after.get(normal));
        assertEquals(watts(12_000), after.get(active), "threshold_active follows threshold_normal");
        assertSameNumber(12_000, sim.device().value(normal), "the frozen device shows the SET at once");

        // The meter's state, not the association's: another client on another connection reads it.
        sim.dropConnections();
        DlmsMeter reader = meter(sim.port(), false);
        assertEquals(watts(12_000), reader.read(List.of(active)).get(active));
        // After a meter reboot too.
        sim.restart();
        assertEquals(watts(12_000), meter(sim.port(), false).read(List.of(normal)).get(normal));
    }

    @Test
    void theMeterRefusesThePublicClientOtherAttributesOtherTypesAndTooHighAThreshold() throws Exception {
        startSimulator();
        DlmsMeter reader = meter(sim.port(), false);
        DlmsMeter operator = meter(sim.port(), true);
        DlmsData ok = DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 20_000);
        assertEquals(DataAccessResult.READ_WRITE_DENIED, reader.set(NORMAL, ok), "the public client only reads");
        RejectedException publicWrite = assertThrows(RejectedException.class,
                () -> reader.write(point("Limiter Threshold"), watts(20_000)));
        assertEquals(DataAccessResult.READ_WRITE_DENIED.code(), publicWrite.code());
        assertEquals(DataAccessResult.READ_WRITE_DENIED, operator.set(ACTIVE, ok), "threshold_active is read only");
        assertEquals(DataAccessResult.READ_WRITE_DENIED, operator.set(new AttributeDescriptor(71, LIMITER, 6),
                DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 30)), "min_over_threshold_duration is read only");
        assertEquals(DataAccessResult.OBJECT_UNDEFINED, operator.set(new AttributeDescriptor(71, LIMITER, 12), ok));
        assertEquals(DataAccessResult.TYPE_UNMATCHED, operator.set(NORMAL,
                DlmsData.Int.of(DataTag.LONG_UNSIGNED, 20_000)), "a long-unsigned is not the attribute's type");
        assertEquals(DataAccessResult.OTHER_REASON, operator.set(NORMAL,
                DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 100_001)), "above 100 kW");
        assertEquals(DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 10_000), raw(operator, NORMAL), "nothing taken");
        assertEquals(DataAccessResult.SUCCESS, operator.set(NORMAL,
                DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 100_000)), "100 kW is the top of the range");
        assertEquals(DataAccessResult.SUCCESS, operator.set(NORMAL, DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 0)));
        assertEquals(DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 0), raw(reader, ACTIVE));
    }

    /** The object list tells each client what it may do: threshold_normal read-write (3) to LLS, read-only (1) else. */
    @Test
    void theObjectListGrantsTheThresholdToTheManagementClientOnly() throws Exception {
        startSimulator();
        assertEquals(List.of(1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1), limiterAccess(meter(sim.port(), true)));
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), limiterAccess(meter(sim.port(), false)));
    }

    private static List<Integer> limiterAccess(DlmsMeter m) throws Exception {
        DlmsData.Array list = (DlmsData.Array) ((GetResult.Value) m.connection()
                .get(CosemAddress.parse("15/0.0.40.0.0.255/2"))).data();
        for (DlmsData e : list.elements()) {
            DlmsData.Structure entry = (DlmsData.Structure) e;
            if (((DlmsData.Int) entry.get(0)).value() == 71) {
                assertEquals(LIMITER, ObisCode.fromBytes(((DlmsData.OctetString) entry.get(2)).value(), 0));
                DlmsData.Array attributes = (DlmsData.Array) ((DlmsData.Structure) entry.get(3)).get(0);
                return attributes.elements().stream()
                        .map(a -> (int) ((DlmsData.Int) ((DlmsData.Structure) a).get(1)).value()).toList();
            }
        }
        throw new AssertionError("no Limiter in the object list");
    }

    /**
     * What {@code DlmsMeter.write} puts on the wire for 12 kW, captured between it and the meter: the
     * SET-Request-Normal worked by hand in {@code ApduTest}, but for the invoke id, which counts per request.
     */
    @Test
    void theDriversSetIsTheHandWorkedRequest() throws Exception {
        startSimulator();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int port = relay(sim.port(), sent);
        meter(port, true).write(point("Limiter Threshold"), watts(12_000));
        List<byte[]> sets = new ArrayList<>();
        for (byte[] apdu : wrapperApdus(sent.toByteArray())) {
            if ((apdu[0] & 0xFF) == 0xC1) {
                sets.add(apdu);
            }
        }
        assertEquals(1, sets.size(), "one SET");
        byte[] set = sets.getFirst();
        assertEquals(0xC0, set[2] & 0xF0, "invoke-id-and-priority: confirmed, high priority");
        set[2] = (byte) 0xC1; // the invoke id is the connection's count; the vector's is 1
        assertEquals("C101C1" + "0047" + "0000110000FF" + "04" + "00" + "06" + "00002EE0",
                HexFormat.of().withUpperCase().formatHex(set));
        assertSameNumber(12_000, sim.device().value(point("Limiter Threshold Active")), "the meter took it");
    }

    /** The APDUs of a stream of IEC 62056-47 wrapper frames: version, source, destination, length, APDU. */
    private static List<byte[]> wrapperApdus(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at + 8 <= stream.length) {
            assertEquals(1, ((stream[at] & 0xFF) << 8) | (stream[at + 1] & 0xFF), "wrapper version 1");
            int length = ((stream[at + 6] & 0xFF) << 8) | (stream[at + 7] & 0xFF);
            out.add(java.util.Arrays.copyOfRange(stream, at + 8, at + 8 + length));
            at += 8 + length;
        }
        assertEquals(stream.length, at, "whole frames");
        return out;
    }

    /** A TCP relay to {@code target} keeping a copy of what clients send; its port. */
    private int relay(int target, ByteArrayOutputStream sent) throws IOException {
        ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        cleanup.add(server);
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Socket client = server.accept();
                    Socket meter = new Socket(InetAddress.getLoopbackAddress(), target);
                    cleanup.add(client);
                    cleanup.add(meter);
                    Thread.ofVirtual().start(() -> pipe(client, meter, sent));
                    Thread.ofVirtual().start(() -> pipe(meter, client, null));
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        return server.getLocalPort();
    }

    private static void pipe(Socket from, Socket to, ByteArrayOutputStream copy) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] b = new byte[4096];
            for (int n; (n = in.read(b)) > 0; ) {
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(b, 0, n);
                    }
                }
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // either side closed
        }
    }
}

package io.edgegateway.sim.dlms;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.testing.VirtualSerialCable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client driver against the simulator over real sockets on 127.0.0.1. */
@Timeout(60)
class DlmsClientSimulatorTest {

    @TempDir
    Path state;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private DlmsSimulator start(DlmsSimulator.Builder b) throws Exception {
        DlmsSimulator sim = b.build().start();
        cleanup.add(sim);
        sim.device().freeze(true);
        return sim;
    }

    private DlmsMeter meter(DlmsSettings s) {
        DlmsMeter m = new DlmsMeter(s);
        cleanup.add(m);
        return m;
    }

    /** The device's value as a reading shows it: rounded to the point's decimals. */
    static BigDecimal expected(DlmsSimulator sim, Point p) {
        BigDecimal v = ((PointValue.Number) sim.device().value(p)).value();
        return v.setScale(p.decimals(), RoundingMode.HALF_UP);
    }

    static void assertSameAsDevice(DlmsSimulator sim, Map<Point, PointValue> values) {
        DeviceProfile profile = sim.device().profile();
        assertEquals(profile.points().size(), values.size());
        for (Point p : profile.points()) {
            PointValue v = values.get(p);
            PointValue.Number n = assertInstanceOf(PointValue.Number.class, v, p.name() + ": " + v);
            assertEquals(0, expected(sim, p).compareTo(n.value()), p.name() + ": device " + expected(sim, p)
                    + ", read " + n.value());
        }
    }

    @Test
    void publicClientReadsTheStandardProfileOverTheWrapper() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).build());
        Map<Point, PointValue> values = m.read(sim.device().profile().points());
        assertSameAsDevice(sim, values);
        Point kwh = sim.device().profile().point("Total absolute cumulative active energy register").orElseThrow();
        assertTrue(kwh.display(values.get(kwh)).endsWith(" kWh"), kwh.display(values.get(kwh)));
        assertEquals("Wh", m.meterUnit(kwh).orElseThrow());
        Point credit = sim.device().profile().point("Remaining Credit Amount").orElseThrow();
        assertEquals("250.00", credit.display(values.get(credit)));
        assertEquals("62124022443", m.readSerialNumber());
    }

    enum Security { NONE, LLS, HLS }

    enum Link { WRAPPER, HDLC_TCP, HDLC_PTY }

    private DlmsSettings.Builder clientFor(Security security, DlmsSettings.Builder b) {
        return switch (security) {
            case NONE -> b.client(16).noSecurity();
            case LLS -> b.client(32).lls("12345678");
            case HLS -> b.client(48).hlsGmac(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, MeterAccess.EXAMPLE_AUTHENTICATION_KEY,
                    java.util.HexFormat.of().parseHex("4D4D4D0000BC614E")).stateDirectory(state);
        };
    }

    /**
     * Every transport at every security level, with a 128-byte PDU (so answers to lists and the object list come
     * in blocks) and a 32-byte HDLC information field (so requests and answers are segmented both ways).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("matrix")
    void readsAtEverySecurityLevelOverEveryTransport(Link link, Security security) throws Exception {
        DlmsSimulator.Builder sb = DlmsSimulator.builder().serverAddress(1, 17);
        DlmsSettings.Builder cb = DlmsSettings.builder().maxPduSize(128).hdlc(32, 1)
                .responseTimeout(Duration.ofSeconds(3));
        switch (link) {
            case WRAPPER -> sb.wrapperTcp();
            case HDLC_TCP -> sb.hdlcTcp();
            case HDLC_PTY -> {
                VirtualSerialCable pty = new VirtualSerialCable(state);
                cleanup.add(pty);
                sb.hdlcSerial(io.edgegateway.serial.SerialSettings.of(pty.a(), 9600));
                cb.hdlcSerial(io.edgegateway.serial.SerialSettings.of(pty.b(), 9600));
            }
        }
        DlmsSimulator sim = start(sb);
        switch (link) {
            case WRAPPER -> cb.wrapperTcp("127.0.0.1", sim.port());
            case HDLC_TCP -> cb.hdlcTcp("127.0.0.1", sim.port()).server(1, 17, 4);
            case HDLC_PTY -> cb.server(1, 17, 2);
        }
        DlmsMeter m = meter(clientFor(security, cb).build());
        assertSameAsDevice(sim, m.read(sim.device().profile().points()));
        assertEquals("62124022443", m.readSerialNumber());

        long before = sim.served().services();
        var objects = m.connection().get(io.edgegateway.point.CosemAddress.parse("15/0.0.40.0.0.255/2"));
        var list = (io.edgegateway.dlms.axdr.DlmsData.Array)
                ((io.edgegateway.dlms.apdu.GetResult.Value) objects).data();
        // The four fixed objects, one per object the profile's points read (the limiter's two thresholds are one
        // object), the three Profile Generics, the two captured registers no point reads (3.8.0, 4.8.0) and the
        // status, event and counter objects.
        long read = sim.device().profile().points().stream().map(p -> ((CosemAddress) p.address()).obis())
                .distinct().count();
        assertEquals(4 + read + 8, list.elements().size(), "object list entries");
        assertTrue(sim.served().services() - before > 5, "the object list came in blocks: "
                + (sim.served().services() - before) + " GETs");
        // A second read reuses the association.
        long associations = sim.served().associations();
        assertSameAsDevice(sim, m.read(sim.device().profile().points()));
        assertEquals(associations, sim.served().associations());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> matrix() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (Link l : Link.values()) {
            for (Security s : Security.values()) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(l, s));
            }
        }
        return out.stream();
    }

    @Test
    void hdlcWindowsOfSeveralFramesAndOneByteServerAddresses() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().hdlcTcp().hdlc(64, 3));
        DlmsMeter m = meter(DlmsSettings.builder().hdlcTcp("127.0.0.1", sim.port()).server(1).hdlc(32, 7)
                .maxPduSize(2048).build());
        assertSameAsDevice(sim, m.read(sim.device().profile().points()));
        var objects = m.connection().get(io.edgegateway.point.CosemAddress.parse("15/0.0.40.0.0.255/2"));
        assertInstanceOf(io.edgegateway.dlms.apdu.GetResult.Value.class, objects, "object list in segments, window 3");
    }

    @Test
    void clockAndTextValuesComeAsText() throws Exception {
        DlmsSimulator sim = start(DlmsSimulator.builder().wrapperTcp());
        DlmsMeter m = meter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).build());
        Point clock = new Point("Meter Clock", io.edgegateway.point.CosemAddress.parse("8/0.0.1.0.0.255/2"), null,
                Point.AS_DECODED, "", null, null, null, "");
        Point name = new Point("Device Name", io.edgegateway.point.CosemAddress.parse("1/0.0.42.0.0.255/2"), null,
                Point.AS_DECODED, "", null, null, null, "");
        Map<Point, PointValue> v = m.read(List.of(clock, name));
        String iso = ((PointValue.Text) v.get(clock)).text();
        assertTrue(iso.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"), iso);
        assertEquals("EGW62124022443", ((PointValue.Text) v.get(name)).text());
    }
}

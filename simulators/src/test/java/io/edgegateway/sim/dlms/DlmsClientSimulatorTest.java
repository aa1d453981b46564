package io.edgegateway.sim.dlms;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
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
}

package io.edgegateway.contract;

import io.edgegateway.device.DeviceException;
import io.edgegateway.device.MeterReader;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One contract for every transport the gateway reads meters over: the gateway's own reader against a simulator on
 * a real port or pty. Each subclass provides the transport (Modbus TCP, RTU on a pty, RTU over TCP, the DLMS
 * wrapper, HDLC over TCP, HDLC on a pty); the rules are the same for all of them:
 * values arrive as the device holds them, silence is "no answer" within the deadline and reading resumes by
 * itself, garbage is never taken for values, a device that drips its answer cannot hold the line past the
 * deadline, and a device that reboots is read again.
 */
@Timeout(90)
abstract class TransportContract {

    /** Timeout of the reader under test; the deadline bounds below allow for the serial wire time on top. */
    static final Duration TIMEOUT = Duration.ofMillis(600);

    /** A simulated meter on one transport, with the faults every simulator has. */
    interface Rig extends AutoCloseable {
        /** A new reader of the gateway's own kind on this transport, with {@code timeout}. */
        MeterReader reader(Duration timeout);

        /** The points the tests read. */
        List<Point> points();

        /** What a correct reader must return for {@code p}: the (frozen) device's value as the wire carries it. */
        BigDecimal expected(Point p);

        void silence(boolean on);

        void garbage(boolean on);

        /** Answers trickle at {@code bytesPerSecond}; 0 stops dripping. */
        void drip(int bytesPerSecond);

        /** The device reboots: connections and associations are lost. */
        void reboot() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Starts the simulator of this transport; {@code dir} is for ptys and state. */
    abstract Rig start(Path dir) throws Exception;

    @TempDir
    Path dir;

    private Rig rig;
    private MeterReader reader;

    @BeforeEach
    void setUp() throws Exception {
        rig = start(dir);
        reader = rig.reader(TIMEOUT);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    private void assertReadsTheDevice() throws DeviceException {
        Map<Point, PointValue> values = reader.read(rig.points());
        for (Point p : rig.points()) {
            PointValue.Number n = assertInstanceOf(PointValue.Number.class, values.get(p), p.name() + ": "
                    + values.get(p));
            assertEquals(0, rig.expected(p).compareTo(n.value()), p.name() + ": device " + rig.expected(p)
                    + ", read " + n.value());
        }
    }

    /** Reads until the values come, at most {@code attempts} times: retrying is the scheduler's, not the reader's. */
    private void assertReadsAgainWithin(int attempts) throws Exception {
        DeviceException last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                assertReadsTheDevice();
                return;
            } catch (DeviceException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        fail("not read again after " + attempts + " attempts: " + last, last);
    }

    @Test
    void readsTheValuesTheDeviceHolds() throws Exception {
        assertReadsTheDevice();
        assertReadsTheDevice();
    }

    @Test
    void silenceIsNoAnswerWithinTheDeadlineAndReadingResumes() throws Exception {
        assertReadsTheDevice();
        rig.silence(true);
        long t0 = System.nanoTime();
        assertThrows(NoResponseException.class, () -> reader.read(rig.points()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5 * TIMEOUT.toMillis() + 2000, "bounded by the timeout: " + ms + " ms");
        rig.silence(false);
        assertReadsAgainWithin(5);
    }

    @Test
    void garbageIsNeverTakenForValues() throws Exception {
        assertReadsTheDevice();
        rig.garbage(true);
        for (int i = 0; i < 3; i++) {
            try {
                Map<Point, PointValue> v = reader.read(rig.points());
                for (Point p : rig.points()) {
                    assertInstanceOf(PointValue.Invalid.class, v.get(p), "random bytes decoded as " + p.name() + " = "
                            + v.get(p));
                }
            } catch (DeviceException expected) {
                // refused as a bad frame, or no valid answer before the deadline
            }
        }
        rig.garbage(false);
        assertReadsAgainWithin(5);
    }

    @Test
    void aDeviceDrippingItsAnswerIsCutOffAtTheDeadline() throws Exception {
        assertReadsTheDevice();
        // 20 bytes a second: a whole answer would take seconds, several times the timeout. (The answer being
        // dripped when the fault ends still finishes at that pace, as a real device's would.)
        rig.drip(20);
        long t0 = System.nanoTime();
        assertThrows(NoResponseException.class, () -> reader.read(rig.points()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // Without a deadline per exchange each dripped byte would restart the timeout: seconds per answer.
        assertTrue(ms < 4 * TIMEOUT.toMillis() + 1500, "the whole exchange is bounded, however the bytes trickle: "
                + ms + " ms");
        rig.drip(0);
        assertReadsAgainWithin(10);
    }

    @Test
    void aRebootedDeviceIsReadAgain() throws Exception {
        assertReadsTheDevice();
        rig.reboot();
        assertReadsAgainWithin(8);
    }
}

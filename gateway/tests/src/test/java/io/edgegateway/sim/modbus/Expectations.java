package io.edgegateway.sim.modbus;

import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.modbus.codec.RegisterDecoder;
import io.edgegateway.modbus.codec.RegisterEncoder;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a correct master must read from a simulated device. */
public final class Expectations {

    public static final ProfileCatalog CATALOG = ProfileCatalog.shipped();

    private Expectations() {
    }

    public static DeviceProfile profile(String name) {
        return CATALOG.find(name).orElseThrow();
    }

    /**
     * The device's current value as the wire carries it: what the point's type keeps of it (a float32 keeps
     * 7 digits, a ÷10 integer one decimal). The codec itself is checked against vectors in the drivers module.
     */
    public static PointValue onTheWire(SimulatedDevice device, Point p) {
        ModbusAddress a = (ModbusAddress) p.address();
        byte[] wire = RegisterEncoder.encode(p, device.value(p));
        return RegisterDecoder.decode(p, new RegisterBlock(a.table(), a.address(), a.size(), wire));
    }

    /** Every point read equals what the (frozen) device holds. */
    static void assertReadsMatch(SimulatedDevice device, List<Point> points, Map<Point, PointValue> read) {
        assertTrue(read.keySet().containsAll(points), "a value for every point");
        for (Point p : points) {
            PointValue got = read.get(p);
            assertFalse(got instanceof PointValue.Invalid, p.name() + ": " + got);
            PointValue want = onTheWire(device, p);
            if (want instanceof PointValue.Number w && got instanceof PointValue.Number g) {
                assertEquals(0, w.value().compareTo(g.value()), p.name() + ": want " + w.value() + ", got " + g.value());
            } else {
                assertEquals(want, got, p.name());
            }
        }
    }

    static double number(Map<Point, PointValue> read, DeviceProfile profile, String point) {
        return ((PointValue.Number) read.get(profile.point(point).orElseThrow())).value().doubleValue();
    }
}

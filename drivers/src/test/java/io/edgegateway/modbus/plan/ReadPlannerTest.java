package io.edgegateway.modbus.plan;

import io.edgegateway.profile.RequestLimits;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadPlannerTest {

    private final ProfileCatalog catalog = ProfileCatalog.shipped();

    @Test
    void sdm630FullProfilePlansIntoAtMostFourRequests() {
        DeviceProfile sdm630 = catalog.find("sdm630").orElseThrow();
        assertTrue(sdm630.points().size() >= 30, "the full profile has 30+ points");
        ReadPlan plan = new ReadPlanner(sdm630.limits()).plan(sdm630.points());
        assertTrue(plan.requests().size() <= 4, plan.describe());
        assertPlanKeepsRules(sdm630.points(), plan, sdm630.limits());
    }

    @Test
    void everyShippedProfilePlansWithinItsLimits() {
        for (DeviceProfile p : catalog.all()) {
            if (p.protocol() != io.edgegateway.profile.Protocol.MODBUS) {
                continue; // DLMS profiles are read by COSEM address, not planned into register blocks
            }
            ReadPlan plan = new ReadPlanner(p.limits()).plan(p.points());
            assertPlanKeepsRules(p.points(), plan, p.limits());
        }
    }

    @Test
    void contiguousPointsMergeAndFarOnesDoNot() {
        List<Point> points = List.of(reg(0, DataType.FLOAT32), reg(2, DataType.FLOAT32), reg(4, DataType.UINT16),
                reg(100, DataType.UINT16));
        ReadPlan plan = new ReadPlanner(RequestLimits.DEFAULT.withMaxGap(10)).plan(points);
        assertEquals(2, plan.requests().size());
        assertEquals(0, plan.requests().get(0).start());
        assertEquals(5, plan.requests().get(0).count());
        assertEquals(100, plan.requests().get(1).start());
    }

    @Test
    void gapAtTheLimitJoinsOneBeyondDoesNot() {
        // end of first point = 1; next at 12 -> gap 10 registers (2..11).
        ReadPlan joined = new ReadPlanner(RequestLimits.DEFAULT.withMaxGap(10))
                .plan(List.of(reg(0, DataType.INT32), reg(12, DataType.UINT16)));
        assertEquals(1, joined.requests().size());
        ReadPlan split = new ReadPlanner(RequestLimits.DEFAULT.withMaxGap(9))
                .plan(List.of(reg(0, DataType.INT32), reg(12, DataType.UINT16)));
        assertEquals(2, split.requests().size());
    }

    @Test
    void aPointIsNeverSplitAcrossTheCap() {
        // cap 4: points at 0 (2 regs) and 3 (2 regs) would need 5 registers together.
        ReadPlan plan = new ReadPlanner(RequestLimits.DEFAULT.withMaxRegisters(4))
                .plan(List.of(reg(0, DataType.INT32), reg(3, DataType.INT32)));
        assertEquals(2, plan.requests().size());
        assertThrows(IllegalArgumentException.class, () -> new ReadPlanner(RequestLimits.DEFAULT.withMaxRegisters(3))
                .plan(List.of(reg(0, DataType.INT64))));
    }

    @Test
    void tablesAreNeverMixed() {
        List<Point> points = List.of(reg(0, DataType.UINT16),
                Point.of("h0", ModbusAddress.of(Table.HOLDING, 1, DataType.UINT16), ""),
                Point.of("c0", ModbusAddress.of(Table.COIL, 0, DataType.BOOL), ""));
        ReadPlan plan = new ReadPlanner(RequestLimits.DEFAULT).plan(points);
        assertEquals(3, plan.requests().size());
    }

    @RepeatedTest(50)
    void randomPointSetsKeepEveryRule() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        RequestLimits limits = new RequestLimits(1 + random.nextInt(125), 1 + random.nextInt(2000), random.nextInt(30),
                random.nextInt(100));
        List<Point> points = new ArrayList<>();
        int n = 1 + random.nextInt(200);
        DataType[] types = {DataType.UINT16, DataType.INT32, DataType.FLOAT32, DataType.INT64, DataType.FLOAT64};
        for (int i = 0; i < n; i++) {
            Table t = Table.values()[random.nextInt(4)];
            int address = random.nextInt(3000);
            ModbusAddress a;
            if (t.isBits()) {
                a = ModbusAddress.of(t, address, DataType.BOOL);
            } else {
                DataType type = types[random.nextInt(types.length)];
                if (type.words() > limits.maxRegisters()) {
                    type = DataType.UINT16;
                }
                a = new ModbusAddress(t, address, type, WordOrder.ABCD, -1, 0);
            }
            points.add(Point.of("p" + i, a, ""));
        }
        ReadPlan plan = new ReadPlanner(limits).plan(points);
        assertPlanKeepsRules(points, plan, limits);
        // Merging can only reduce requests compared to one per point.
        assertTrue(plan.requests().size() <= points.size(), "seed " + seed);
    }

    private static void assertPlanKeepsRules(List<Point> points, ReadPlan plan, RequestLimits limits) {
        Map<Point, Integer> seen = new HashMap<>();
        for (ReadRequest r : plan.requests()) {
            int cap = r.table().isBits() ? limits.maxBits() : limits.maxRegisters();
            assertTrue(r.count() <= cap, r.describe() + " exceeds " + cap);
            assertTrue(r.count() <= r.table().maxPerRead());
            for (Point p : r.points()) {
                ModbusAddress a = (ModbusAddress) p.address();
                assertTrue(a.address() >= r.start() && a.end() <= r.end(), p.name() + " split by " + r.describe());
                seen.merge(p, 1, Integer::sum);
            }
        }
        assertEquals(points.size(), seen.size(), "every point planned");
        seen.forEach((p, c) -> assertEquals(1, c, p.name() + " read exactly once"));
    }

    private static Point reg(int address, DataType type) {
        return Point.of("r" + address, new ModbusAddress(Table.INPUT, address, type, WordOrder.ABCD, -1, 0), "");
    }
}

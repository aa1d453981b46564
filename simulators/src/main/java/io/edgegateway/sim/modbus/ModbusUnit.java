package io.edgegateway.sim.modbus;

import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.modbus.codec.RegisterDecoder;
import io.edgegateway.modbus.codec.RegisterEncoder;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.sim.model.SimulatedDevice;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One simulated device behind a unit id: its profile's points at their real addresses and encodings, rendered on
 * demand from the {@link SimulatedDevice} through {@link RegisterEncoder}.
 *
 * <p>Reads: bools sharing a register are OR-ed together; registers no point covers read as 0, or, in strict mode,
 * refuse the whole read with exception 02 (as many meters do; it exercises the gateway's re-planning).
 * Writes (holding registers and coils only, as the protocol allows): every written register must belong to a
 * point (else 02), every point touched must be written whole (else 03: the registers do not make a value), and
 * a point the device will not take (a measurement, a read-only setting) answers 02, the way meters answer a write
 * to an address that is not writable, and a value the model refuses (a setpoint out of its range) answers 03. A
 * value that cannot be rendered (a pinned value outside the point's type)
 * answers 04.
 */
final class ModbusUnit {

    /** A Modbus exception to answer with. */
    static final class Refusal extends Exception {
        final int code;

        Refusal(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final int id;
    private final SimulatedDevice device;
    private final boolean strict;
    private final Map<Table, NavigableMap<Integer, List<Point>>> byStart = new EnumMap<>(Table.class);
    private final Map<Table, Integer> widest = new EnumMap<>(Table.class);

    ModbusUnit(int id, SimulatedDevice device, boolean strict) {
        this.id = id;
        this.device = device;
        this.strict = strict;
        for (Table t : Table.values()) {
            byStart.put(t, new TreeMap<>());
            widest.put(t, 1);
        }
        for (Point p : device.profile().points()) {
            if (p.address() instanceof ModbusAddress a) {
                byStart.get(a.table()).computeIfAbsent(a.address(), k -> new ArrayList<>()).add(p);
                widest.merge(a.table(), a.size(), Math::max);
            }
        }
    }

    int id() {
        return id;
    }

    SimulatedDevice device() {
        return device;
    }

    DeviceProfile profile() {
        return device.profile();
    }

    /** Points overlapping {@code [start, start+count)} of {@code table}, in address order. */
    private List<Point> overlapping(Table table, int start, int count) {
        int end = start + count - 1;
        List<Point> out = new ArrayList<>();
        int from = Math.max(0, start - widest.get(table) + 1);
        for (List<Point> at : byStart.get(table).subMap(from, true, end, true).values()) {
            for (Point p : at) {
                if (((ModbusAddress) p.address()).end() >= start) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    byte[] readRegisters(Table table, int start, int count) throws Refusal {
        byte[] out = new byte[2 * count];
        boolean[] covered = strict ? new boolean[count] : null;
        for (Point p : overlapping(table, start, count)) {
            ModbusAddress a = (ModbusAddress) p.address();
            byte[] wire = render(p);
            for (int i = 0; i < a.size(); i++) {
                int reg = a.address() + i - start;
                if (reg < 0 || reg >= count) {
                    continue;
                }
                if (a.type() == DataType.BOOL) {
                    out[2 * reg] |= wire[2 * i];
                    out[2 * reg + 1] |= wire[2 * i + 1];
                } else {
                    out[2 * reg] = wire[2 * i];
                    out[2 * reg + 1] = wire[2 * i + 1];
                }
                if (covered != null) {
                    covered[reg] = true;
                }
            }
        }
        checkCovered(table, start, covered);
        return out;
    }

    boolean[] readBits(Table table, int start, int count) throws Refusal {
        boolean[] out = new boolean[count];
        boolean[] covered = strict ? new boolean[count] : null;
        for (Point p : overlapping(table, start, count)) {
            int bit = ((ModbusAddress) p.address()).address() - start;
            out[bit] |= render(p)[0] != 0;
            if (covered != null) {
                covered[bit] = true;
            }
        }
        checkCovered(table, start, covered);
        return out;
    }

    private void checkCovered(Table table, int start, boolean[] covered) throws Refusal {
        if (covered == null) {
            return;
        }
        for (int i = 0; i < covered.length; i++) {
            if (!covered[i]) {
                throw new Refusal(Pdu.ILLEGAL_DATA_ADDRESS, String.format("%s address 0x%04X is not implemented",
                        table.configName(), start + i));
            }
        }
    }

    private byte[] render(Point p) throws Refusal {
        PointValue v = device.value(p);
        try {
            return RegisterEncoder.encode(p, v);
        } catch (RuntimeException e) {
            throw new Refusal(Pdu.SERVER_DEVICE_FAILURE, p.name() + ": cannot render " + v + ": " + e.getMessage());
        }
    }

    /** Functions 6 and 16. */
    void writeRegisters(int start, byte[] data) throws Refusal {
        int count = data.length / 2;
        List<Point> points = overlapping(Table.HOLDING, start, count);
        boolean[] covered = new boolean[count];
        for (Point p : points) {
            ModbusAddress a = (ModbusAddress) p.address();
            if (a.address() < start || a.end() >= start + count) {
                throw new Refusal(Pdu.ILLEGAL_DATA_VALUE, p.name() + " spans " + a.describe()
                        + "; a write must cover it whole");
            }
            for (int i = 0; i < a.size(); i++) {
                covered[a.address() - start + i] = true;
            }
        }
        checkWritten(Table.HOLDING, start, covered);
        RegisterBlock block = new RegisterBlock(Table.HOLDING, start, count, data);
        Map<Point, PointValue> values = new LinkedHashMap<>();
        for (Point p : points) {
            PointValue v = RegisterDecoder.decode(p, block);
            if (v instanceof PointValue.Invalid) {
                throw new Refusal(Pdu.ILLEGAL_DATA_VALUE, p.name() + ": " + ((PointValue.Invalid) v).reason());
            }
            values.put(p, v);
        }
        apply(values);
    }

    /** Functions 5 and 15. */
    void writeCoils(int start, boolean[] bits) throws Refusal {
        List<Point> points = overlapping(Table.COIL, start, bits.length);
        boolean[] covered = new boolean[bits.length];
        Map<Point, PointValue> values = new LinkedHashMap<>();
        for (Point p : points) {
            int i = ((ModbusAddress) p.address()).address() - start;
            covered[i] = true;
            values.put(p, new PointValue.Flag(bits[i]));
        }
        checkWritten(Table.COIL, start, covered);
        apply(values);
    }

    private static void checkWritten(Table table, int start, boolean[] covered) throws Refusal {
        for (int i = 0; i < covered.length; i++) {
            if (!covered[i]) {
                throw new Refusal(Pdu.ILLEGAL_DATA_ADDRESS, String.format("%s address 0x%04X holds nothing writable",
                        table.configName(), start + i));
            }
        }
    }

    private void apply(Map<Point, PointValue> values) throws Refusal {
        for (Map.Entry<Point, PointValue> e : values.entrySet()) {
            boolean taken;
            try {
                taken = device.write(e.getKey(), e.getValue());
            } catch (IllegalArgumentException refused) {
                throw new Refusal(Pdu.ILLEGAL_DATA_VALUE, e.getKey().name() + ": " + refused.getMessage());
            }
            if (!taken) {
                throw new Refusal(Pdu.ILLEGAL_DATA_ADDRESS, e.getKey().name() + " is read-only");
            }
        }
    }

    /** "input 0x0000-0x015F, holding 0x0000-0x0011": where this unit has points, for start-up lines. */
    String describeRanges() {
        List<String> parts = new ArrayList<>();
        for (Table t : Table.values()) {
            NavigableMap<Integer, List<Point>> m = byStart.get(t);
            if (m.isEmpty()) {
                continue;
            }
            int last = m.values().stream().flatMap(List::stream).mapToInt(p -> ((ModbusAddress) p.address()).end())
                    .max().orElse(m.lastKey());
            parts.add(String.format("%s 0x%04X-0x%04X", t.configName(), m.firstKey(), last));
        }
        return String.join(", ", parts);
    }
}

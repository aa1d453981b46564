package io.edgegateway.profile;

import io.edgegateway.point.RegisterNumber;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointAddress;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.point.WriteRange;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one point from YAML. Used for profile files and for points written inline in the gateway config.
 *
 * <pre>
 * - name: L1 Voltage          # display name, the key in readings
 *   address: 0x0000           # 0-based protocol address, or
 *   register: 30001           #   the manual's 1-based number (register 3028 = address 3027); 3xxxx/4xxxx pick the table
 *   table: input              # coil | discrete | holding | input
 *   type: float32             # int16 uint16 int32 uint32 int64 uint64 float32 float64 bool string
 *   order: ABCD               # ABCD CDAB BADC DCBA
 *   bit: 3                    # for a bool inside a register
 *   length: 8                 # registers of a string
 *   cosem: 3/1.0.32.7.0.255/2 # instead of the Modbus keys, for DLMS: class/OBIS/attribute
 *   scale: 0.1                # factor, or
 *   exponent: -1              #   power of ten
 *   offset: 0
 *   decimals: 1
 *   unit: V
 *   deadband: 0.5
 *   labels: {0: STOPPED, 1: RUNNING}
 *   group: fast               # poll group
 *   quantity: voltage.l1      # what it measures (simulators, scans)
 *   writable: true            # a setpoint or command the gateway may write (holding, coil, or DLMS)
 *   min: 0                    # what a write may set, in engineering units (optional)
 *   max: 100
 *   step: 0.5                 # a write is min + k * step (optional)
 * </pre>
 */
public final class PointParser {

    static final Set<String> KEYS = Set.of("name", "address", "register", "table", "type", "order", "bit", "length",
            "cosem", "scale", "exponent", "offset", "decimals", "unit", "deadband", "labels", "group", "quantity",
            "writable", "min", "max", "step");

    /** Reading keys that are not points (docs/api.md, "Reading"). */
    static final Set<String> RESERVED_NAMES = Set.of("meterNo", "timestamp", "id", "_id", "profile");

    /** Keys that may appear under a profile's {@code defaults}. */
    static final Set<String> DEFAULT_KEYS = Set.of("table", "type", "order", "decimals", "group");

    private PointParser() {
    }

    /** A point written on its own (inline in the gateway config), without profile defaults. */
    public static Point parse(ConfigNode node, Protocol protocol) {
        return parse(node, ConfigNode.empty(node.source()), protocol);
    }

    /**
     * @param node     the point's node
     * @param defaults the profile's {@code defaults} node (may be absent)
     * @param protocol decides whether Modbus or COSEM keys are expected
     */
    public static Point parse(ConfigNode node, ConfigNode defaults, Protocol protocol) {
        node.allowOnly(KEYS);
        String name = node.string("name");
        if (RESERVED_NAMES.contains(name)) {
            throw node.get("name").error("'" + name + "' is a key of every reading already; choose another name");
        }
        PointAddress address = protocol == Protocol.DLMS ? cosem(node) : modbus(node, defaults);

        Scaling scaling = Scaling.NONE;
        var scale = node.optionalDecimal("scale");
        var exponent = node.optionalInteger("exponent", -12, 12);
        if (scale.isPresent() && exponent.isPresent()) {
            throw node.get("exponent").error("give either scale or exponent, not both");
        }
        if (scale.isPresent()) {
            if (scale.get().signum() == 0) {
                throw node.get("scale").error("must not be zero");
            }
            scaling = new Scaling(scale.get(), BigDecimal.ZERO);
        } else if (exponent.isPresent()) {
            scaling = Scaling.powerOfTen(exponent.get());
        }
        BigDecimal offset = node.optionalDecimal("offset").orElse(BigDecimal.ZERO);
        scaling = scaling.withOffset(offset);

        int defaultDecimals = defaults.integer("decimals", protocol == Protocol.DLMS ? Point.AS_DECODED : 2, -1, 12);
        int decimals = node.integer("decimals", defaultDecimals, -1, 12);
        BigDecimal deadband = node.optionalDecimal("deadband").orElse(BigDecimal.ZERO);
        if (deadband.signum() < 0) {
            throw node.get("deadband").error("must not be negative");
        }
        Map<Long, String> labels = new LinkedHashMap<>();
        for (var e : node.get("labels").children().entrySet()) {
            long raw = node.get("labels").convert(e.getKey(), e.getKey(), "an integer key", Long::parseLong);
            if (!e.getValue().isLeaf()) {
                throw e.getValue().error("a label must be text");
            }
            labels.put(raw, e.getValue().value().orElse(""));
        }
        String group = node.string("group", defaults.string("group", ""));
        WriteRange write = write(node, address);
        try {
            return new Point(name, address, scaling, decimals, node.string("unit", ""), deadband, labels, group,
                    node.string("quantity", ""), write);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /**
     * {@code writable}, {@code min}, {@code max}, {@code step}: null for a read-only point. Only what a device can
     * be written at may be writable: holding registers and coils (Modbus), COSEM attributes (DLMS, by SET), and
     * only numbers and bools, never text.
     */
    private static WriteRange write(ConfigNode node, PointAddress address) {
        boolean writable = node.bool("writable", false);
        if (!writable) {
            for (String k : new String[] {"min", "max", "step"}) {
                if (node.has(k)) {
                    throw node.get(k).error("applies to writable points only; add writable: true");
                }
            }
            return null;
        }
        if (address instanceof ModbusAddress a) {
            if (a.table() != Table.HOLDING && a.table() != Table.COIL) {
                throw node.get("writable").error("a " + a.table().configName() + " cannot be written; only holding "
                        + "registers and coils can");
            }
            if (a.type() == DataType.STRING) {
                throw node.get("writable").error("text points cannot be written; writable is for numbers and bools");
            }
            if (a.type() == DataType.BOOL) {
                for (String k : new String[] {"min", "max", "step"}) {
                    if (node.has(k)) {
                        throw node.get(k).error("a bool is on or off; " + k + " is for numbers");
                    }
                }
            }
        }
        var min = sized(node, "min");
        var max = sized(node, "max");
        var step = sized(node, "step");
        if (step.isPresent() && step.get().signum() <= 0) {
            throw node.get("step").error("must be above 0, got " + step.get().toPlainString());
        }
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
            throw node.get("min").error("is above max (" + min.get().toPlainString() + " > "
                    + max.get().toPlainString() + ")");
        }
        return new WriteRange(min.orElse(null), max.orElse(null), step.orElse(null));
    }

    /** A write bound, refused before any arithmetic when it has more digits than a write may. */
    private static Optional<BigDecimal> sized(ConfigNode node, String key) {
        Optional<BigDecimal> v = node.optionalDecimal(key);
        if (v.isPresent() && !WriteRange.sized(v.get())) {
            throw node.get(key).error("has too many digits (" + v.get() + "): " + WriteRange.DIGITS);
        }
        return v;
    }

    private static CosemAddress cosem(ConfigNode node) {
        for (String k : new String[] {"address", "register", "table", "type", "order", "bit", "length"}) {
            if (node.has(k)) {
                throw node.get(k).error("not a DLMS key; a DLMS point is addressed by cosem: class/obis/attribute");
            }
        }
        return node.convert("cosem", node.string("cosem"), "class/obis/attribute", CosemAddress::parse);
    }

    private static ModbusAddress modbus(ConfigNode node, ConfigNode defaults) {
        if (node.has("cosem")) {
            throw node.get("cosem").error("not a Modbus key; this profile's protocol is modbus");
        }
        boolean hasAddress = node.has("address");
        boolean hasRegister = node.has("register");
        if (hasAddress == hasRegister) {
            throw node.error(hasAddress ? "give either address (0-based) or register (1-based), not both"
                    : "needs address (0-based) or register (1-based manual number)");
        }
        Table own = node.has("table") ? node.convert("table", node.string("table"), "a table", Table::parse) : null;
        Table fallback = defaults.has("table")
                ? defaults.convert("table", defaults.string("table"), "a table", Table::parse) : null;
        Table t;
        int address;
        if (hasAddress) {
            address = node.integer("address", 0, 0xFFFF);
            t = own != null ? own : fallback != null ? fallback : Table.HOLDING;
        } else {
            int number = node.integer("register", 1, 465536);
            // The point's own table must agree with the number; the profile's default only counts for numbers
            // without a table digit of their own (a six-digit 300001 is input register 0 whatever the default).
            Table given = own != null ? own : number >= 100_000 ? null : fallback;
            try {
                RegisterNumber r = RegisterNumber.fromManual(number, given);
                t = r.table();
                address = r.address();
            } catch (IllegalArgumentException e) {
                throw node.get(own != null ? "table" : "register").error("register " + e.getMessage());
            }
        }
        String typeDefault = t.isBits() ? "bool" : defaults.string("type", "uint16");
        DataType type = node.convert("type", node.string("type", typeDefault), "a data type", DataType::parse);
        if (t.isBits() && !node.has("type")) {
            type = DataType.BOOL;
        }
        WordOrder order = node.convert("order", node.string("order", defaults.string("order", "ABCD")), "a byte order",
                WordOrder::parse);
        int bit = node.integer("bit", -1, 0, 15);
        int length = node.integer("length", 0, 1, 125);
        if (t.isBits() && bit != -1) {
            throw node.get("bit").error("a " + t.configName() + " is one bit already; bit is for bools in registers");
        }
        try {
            return new ModbusAddress(t, address, type, order, bit, length);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }
}

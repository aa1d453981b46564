package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.apdu.AttributeDescriptor;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.Conformance;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.CosemUnit;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.sim.model.SimulatedDevice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The COSEM objects a simulated meter serves: one per DLMS point of the device's profile (Register, Extended
 * register, Data, Account, Credit, Clock), plus the clock 0.0.1.0.0.255, the serial number 0.0.96.1.0.255, the
 * logical device name 0.0.42.0.0.255 and the current Association LN 0.0.40.0.0.255 with its object list.
 *
 * <p>Registers are encoded the way a meter would: the point's unit without its prefix as the COSEM unit (kWh is
 * sent as Wh), an integer type fitting the quantity, and a scaler that keeps the point's decimals
 * (scaler = prefix exponent - decimals, so 1456.78 kWh travels as 145678 with scaler 1, unit Wh).
 */
final class MeterObjects {

    static final ObisCode CLOCK = new ObisCode(0, 0, 1, 0, 0, 255);
    static final ObisCode SERIAL_NUMBER = new ObisCode(0, 0, 96, 1, 0, 255);
    static final ObisCode DEVICE_NAME = new ObisCode(0, 0, 42, 0, 0, 255);
    static final ObisCode ASSOCIATION = new ObisCode(0, 0, 40, 0, 0, 255);
    /** Account amounts travel in hundredths: currency scale -2. */
    static final int CURRENCY_SCALE = -2;

    /** What a GET needs to know about the association asking. */
    record AssociationView(int clientSap, int serverSap, int mechanism, Conformance conformance, int maxReceivePdu,
                           int maxSendPdu) {
    }

    /** How one register point travels. */
    record Encoding(int scaler, CosemUnit unit, DataTag type, int prefixExponent) {
    }

    private record ObjectKey(int classId, ObisCode obis) {
    }

    private final SimulatedDevice device;
    private final String serialNumber;
    private final DlmsFaults faults;
    private final Clock clock;
    private final Map<ObjectKey, Point> points = new LinkedHashMap<>();
    private final Map<ObjectKey, Encoding> encodings = new LinkedHashMap<>();

    MeterObjects(SimulatedDevice device, String serialNumber, DlmsFaults faults, Clock clock) {
        this.device = device;
        this.serialNumber = serialNumber;
        this.faults = faults;
        this.clock = clock;
        for (Point p : device.profile().points()) {
            if (p.address() instanceof CosemAddress a && a.attribute() >= 2) {
                ObjectKey k = new ObjectKey(a.classId(), a.obis());
                points.putIfAbsent(k, p);
                if (a.classId() == 3 || a.classId() == 4) {
                    encodings.put(k, encoding(p));
                }
            }
        }
    }

    static Encoding encoding(Point p) {
        String unit = CosemUnit.normalise(p.unit());
        int prefix = 0;
        String base = unit;
        CosemUnit cu = unit.isEmpty() ? CosemUnit.COUNT : CosemUnit.bySymbol(unit).orElse(null);
        if (cu == null && unit.length() > 1) {
            prefix = switch (unit.charAt(0)) {
                case 'k' -> 3;
                case 'M' -> 6;
                case 'G' -> 9;
                case 'm' -> -3;
                default -> 0;
            };
            base = unit.substring(1);
            cu = CosemUnit.bySymbol(base).orElse(null);
        }
        if (cu == null) {
            cu = new CosemUnit(254); // "other": the simulator cannot name it
            prefix = 0;
        }
        int decimals = p.decimals() == Point.AS_DECODED ? 2 : p.decimals();
        String q = p.quantity();
        DataTag type;
        if (q.startsWith("energy.") || q.startsWith("charge")) {
            type = DataTag.DOUBLE_LONG_UNSIGNED;
        } else if (q.startsWith("voltage.") || q.startsWith("current.") || q.equals("frequency")) {
            type = DataTag.LONG_UNSIGNED;
        } else if (q.startsWith("pf.")) {
            type = DataTag.LONG;
        } else {
            type = DataTag.DOUBLE_LONG;
        }
        return new Encoding(prefix - decimals, cu, type, prefix);
    }

    /** Every object served, for the Association LN object list: class id, version, logical name. */
    List<int[]> objectList() {
        List<int[]> out = new ArrayList<>();
        out.add(new int[] {15, 1});
        out.add(new int[] {8, 0});
        out.add(new int[] {1, 0});
        out.add(new int[] {1, 0});
        List<ObisCode> names = new ArrayList<>(List.of(ASSOCIATION, CLOCK, SERIAL_NUMBER, DEVICE_NAME));
        for (ObjectKey k : points.keySet()) {
            if (!names.contains(k.obis())) {
                names.add(k.obis());
                out.add(new int[] {k.classId(), k.classId() == 4 || k.classId() == 3 ? 0 : 0});
            }
        }
        List<int[]> withObis = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            ObisCode o = names.get(i);
            withObis.add(new int[] {out.get(i)[0], out.get(i)[1], o.a(), o.b(), o.c(), o.d(), o.e(), o.f()});
        }
        return withObis;
    }

    GetResult get(AttributeDescriptor requested, AssociationView view) {
        if (requested.attribute() < 1) {
            return new GetResult.Failure(DataAccessResult.OBJECT_UNDEFINED);
        }
        CosemAddress a = new CosemAddress(requested.classId(), requested.instance(), requested.attribute());
        var injected = faults.failure(a.obis(), a.attribute());
        if (injected.isPresent()) {
            return new GetResult.Failure(injected.get());
        }
        if (denied(a)) {
            return new GetResult.Failure(DataAccessResult.READ_WRITE_DENIED);
        }
        DlmsData d = value(a, view);
        return d == null ? new GetResult.Failure(DataAccessResult.OBJECT_UNDEFINED) : new GetResult.Value(d);
    }

    private DlmsData value(CosemAddress a, AssociationView view) {
        ObisCode o = a.obis();
        int c = a.classId();
        if (c == 15 && o.equals(ASSOCIATION)) {
            return association(a.attribute(), view);
        }
        if (c == 8 && o.equals(CLOCK)) {
            return clockAttribute(a.attribute());
        }
        if (c == 1 && o.equals(SERIAL_NUMBER) && !points.containsKey(new ObjectKey(1, o))) {
            return a.attribute() == 1 ? ln(o) : a.attribute() == 2
                    ? new DlmsData.OctetString(serialNumber.getBytes(StandardCharsets.US_ASCII)) : null;
        }
        if (c == 1 && o.equals(DEVICE_NAME) && !points.containsKey(new ObjectKey(1, o))) {
            return a.attribute() == 1 ? ln(o) : a.attribute() == 2
                    ? new DlmsData.OctetString(("EGW" + serialNumber).getBytes(StandardCharsets.US_ASCII)) : null;
        }
        ObjectKey k = new ObjectKey(c, o);
        Point p = points.get(k);
        if (p == null) {
            return null;
        }
        if (a.attribute() == 1) {
            return ln(o);
        }
        return switch (c) {
            case 3, 4 -> register(p, encodings.get(k), a.attribute());
            case 1 -> a.attribute() == 2 ? plain(p) : null;
            case 8 -> clockAttribute(a.attribute());
            case 111 -> account(p, a.attribute());
            case 112 -> a.attribute() == 2 || a.attribute() == 3 ? amount(p) : null;
            default -> a.attribute() == 2 ? plain(p) : null;
        };
    }

    private static DlmsData ln(ObisCode o) {
        return new DlmsData.OctetString(o.toBytes());
    }

    private DlmsData register(Point p, Encoding e, int attribute) {
        return switch (attribute) {
            case 2 -> {
                PointValue v = device.value(p);
                if (!(v instanceof PointValue.Number n)) {
                    yield DlmsData.Null.INSTANCE;
                }
                BigDecimal raw = p.scaling().unapply(n.value()).scaleByPowerOfTen(e.prefixExponent() - e.scaler())
                        .setScale(0, RoundingMode.HALF_UP);
                yield integer(e.type(), raw.longValue());
            }
            case 3 -> DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, e.scaler()),
                    DlmsData.Int.of(DataTag.ENUM, e.unit().code()));
            case 4 -> p.address() instanceof CosemAddress ca && ca.classId() == 4
                    ? DlmsData.Int.of(DataTag.UNSIGNED, 0) : null;
            case 5 -> p.address() instanceof CosemAddress ca && ca.classId() == 4
                    ? CosemDateTime.ofUtc(clock.instant()).toData() : null;
            default -> null;
        };
    }

    /** A value that does not fit its usual type moves to a wider one rather than wrapping around. */
    private static DlmsData integer(DataTag type, long raw) {
        DataTag t = type;
        boolean fits = switch (type) {
            case LONG_UNSIGNED -> raw >= 0 && raw <= 0xFFFF;
            case LONG -> raw >= Short.MIN_VALUE && raw <= Short.MAX_VALUE;
            case DOUBLE_LONG_UNSIGNED -> raw >= 0 && raw <= 0xFFFF_FFFFL;
            case DOUBLE_LONG -> raw >= Integer.MIN_VALUE && raw <= Integer.MAX_VALUE;
            default -> true;
        };
        if (!fits) {
            t = raw >= 0 ? DataTag.LONG64_UNSIGNED : DataTag.LONG64;
        }
        return DlmsData.Int.of(t, raw);
    }

    private DlmsData plain(Point p) {
        PointValue v = device.value(p);
        return switch (v) {
            case PointValue.Number n -> {
                BigDecimal raw = p.scaling().unapply(n.value());
                if (raw.stripTrailingZeros().scale() <= 0) {
                    yield integer(DataTag.DOUBLE_LONG, raw.longValue());
                }
                yield new DlmsData.Float64(raw.doubleValue());
            }
            case PointValue.Flag f -> new DlmsData.Bool(f.on());
            case PointValue.Text t -> new DlmsData.OctetString(t.text().getBytes(StandardCharsets.US_ASCII));
            case PointValue.Invalid i -> DlmsData.Null.INSTANCE;
        };
    }

    private DlmsData amount(Point p) {
        PointValue v = device.value(p);
        if (!(v instanceof PointValue.Number n)) {
            return DlmsData.Null.INSTANCE;
        }
        BigDecimal raw = p.scaling().unapply(n.value()).scaleByPowerOfTen(-CURRENCY_SCALE)
                .setScale(0, RoundingMode.HALF_UP);
        return integer(DataTag.DOUBLE_LONG, raw.longValue());
    }

    private DlmsData account(Point p, int attribute) {
        return switch (attribute) {
            // account_mode_and_status: credit mode (1), active (2)
            case 2 -> DlmsData.Structure.of(DlmsData.Int.of(DataTag.ENUM, 1), DlmsData.Int.of(DataTag.ENUM, 2));
            case 5, 6, 7, 8 -> {
                CosemAddress a = (CosemAddress) p.address();
                yield a.attribute() == attribute ? amount(p) : DlmsData.Int.of(DataTag.DOUBLE_LONG, 0);
            }
            // currency: name, scale, unit (monetary)
            case 15 -> DlmsData.Structure.of(new DlmsData.Utf8String("EUR"),
                    DlmsData.Int.of(DataTag.INTEGER, CURRENCY_SCALE), DlmsData.Int.of(DataTag.ENUM, 2));
            default -> null;
        };
    }

    private DlmsData clockAttribute(int attribute) {
        return switch (attribute) {
            case 1 -> ln(CLOCK);
            case 2 -> CosemDateTime.ofUtc(clock.instant()).toData();
            case 3 -> DlmsData.Int.of(DataTag.LONG, 0);          // time_zone: UTC
            case 4 -> DlmsData.Int.of(DataTag.UNSIGNED, 0);      // status: ok
            case 8 -> new DlmsData.Bool(false);                  // daylight savings disabled
            case 9 -> DlmsData.Int.of(DataTag.ENUM, 1);          // clock_base: internal crystal
            default -> null;
        };
    }

    private DlmsData association(int attribute, AssociationView view) {
        return switch (attribute) {
            case 1 -> ln(ASSOCIATION);
            case 2 -> objectListData();
            case 3 -> DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, view.clientSap()),
                    DlmsData.Int.of(DataTag.LONG_UNSIGNED, view.serverSap()));
            case 4 -> new DlmsData.OctetString(new byte[] {0x60, (byte) 0x85, 0x74, 0x05, 0x08, 0x01,
                    (byte) (view.mechanism() == 5 ? 3 : 1)});
            case 5 -> DlmsData.Structure.of(
                    new DlmsData.BitString(24, new byte[] {(byte) (view.conformance().bits() >> 16),
                            (byte) (view.conformance().bits() >> 8), (byte) view.conformance().bits()}),
                    DlmsData.Int.of(DataTag.LONG_UNSIGNED, view.maxReceivePdu()),
                    DlmsData.Int.of(DataTag.LONG_UNSIGNED, view.maxSendPdu()),
                    DlmsData.Int.of(DataTag.UNSIGNED, 6), DlmsData.Int.of(DataTag.INTEGER, 0),
                    new DlmsData.OctetString(new byte[0]));
            case 6 -> new DlmsData.OctetString(new byte[] {0x60, (byte) 0x85, 0x74, 0x05, 0x08, 0x02,
                    (byte) view.mechanism()});
            case 7 -> null; // the secret is never readable: answered as read-write-denied below
            case 8 -> DlmsData.Int.of(DataTag.ENUM, 2); // associated
            default -> null;
        };
    }

    /** Association LN secret (attribute 7) and similar: denied rather than undefined. */
    boolean denied(CosemAddress a) {
        return a.classId() == 15 && a.obis().equals(ASSOCIATION) && a.attribute() == 7;
    }

    private DlmsData objectListData() {
        List<DlmsData> entries = new ArrayList<>();
        for (int[] o : objectList()) {
            int classId = o[0];
            ObisCode obis = new ObisCode(o[2], o[3], o[4], o[5], o[6], o[7]);
            int attributes = switch (classId) {
                case 3 -> 3;
                case 4 -> 5;
                case 8 -> 9;
                case 15 -> 8;
                case 111 -> 15;
                default -> 2;
            };
            List<DlmsData> attrAccess = new ArrayList<>();
            for (int i = 1; i <= attributes; i++) {
                int mode = classId == 15 && i == 7 ? 0 : 1; // 0 no access, 1 read-only
                attrAccess.add(DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, i),
                        DlmsData.Int.of(DataTag.ENUM, mode), DlmsData.Null.INSTANCE));
            }
            List<DlmsData> methodAccess = new ArrayList<>();
            if (classId == 15) {
                methodAccess.add(DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, 1),
                        DlmsData.Int.of(DataTag.ENUM, 1)));
            }
            entries.add(DlmsData.Structure.of(DlmsData.Int.of(DataTag.LONG_UNSIGNED, classId),
                    DlmsData.Int.of(DataTag.UNSIGNED, o[1]), new DlmsData.OctetString(obis.toBytes()),
                    DlmsData.Structure.of(new DlmsData.Array(attrAccess), new DlmsData.Array(methodAccess))));
        }
        return new DlmsData.Array(entries);
    }
}

package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.apdu.AccessSelection;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The COSEM objects a simulated meter serves: one per DLMS point of the device's profile (Register, Extended
 * register, Data, Account, Credit, Clock), plus the clock 0.0.1.0.0.255, the serial number 0.0.96.1.0.255, the
 * logical device name 0.0.42.0.0.255, the current Association LN 0.0.40.0.0.255 with its object list, the load
 * {@link Limiter} 0.0.17.0.0.255 (when the model is a meter's), the Profile Generic objects of
 * {@link MeterProfiles} with a Register for every register they capture (from the model when the profile has no
 * point for it), the AMR profile status 0.0.96.10.1.255, the event code 0.0.96.11.0.255 and the HLS client's next
 * invocation counter 0.0.43.1.0.255.
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
    /** The invocation counter the meter accepts next from its HLS client (Data, double-long-unsigned). */
    static final ObisCode INVOCATION_COUNTER = new ObisCode(0, 0, 43, 1, 0, 255);
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

    /** An entry of the object list. */
    private record Listed(int classId, int version, ObisCode obis) {
    }

    private final SimulatedDevice device;
    private final String serialNumber;
    private final DlmsFaults faults;
    private final MeterClock clock;
    /** The time preset by clock method 6, set by method 4. */
    private DlmsData presetTime;
    private final LongSupplier nextClientCounter;
    private final Map<ObjectKey, Point> points = new LinkedHashMap<>();
    private final Map<ObjectKey, Encoding> encodings = new LinkedHashMap<>();
    /** Registers served for the profiles' sake, not points of the device's profile. */
    private final List<ObisCode> captureOnly = new ArrayList<>();
    private final MeterProfiles profiles;
    private final Limiter limiter;

    /**
     * @param history           how far back the profiles' buffers reach at start
     * @param nextClientCounter the invocation counter the HLS client may use next
     */
    MeterObjects(SimulatedDevice device, String serialNumber, DlmsFaults faults, MeterClock clock, Duration history,
                 long seed, LongSupplier nextClientCounter) {
        this.device = device;
        this.serialNumber = serialNumber;
        this.faults = faults;
        this.clock = clock;
        this.nextClientCounter = nextClientCounter;
        for (Point p : device.profile().points()) {
            if (p.address() instanceof CosemAddress a && a.attribute() >= 2) {
                ObjectKey k = new ObjectKey(a.classId(), a.obis());
                points.putIfAbsent(k, p);
                if (a.classId() == 3 || a.classId() == 4) {
                    encodings.put(k, encoding(p));
                }
            }
        }
        for (ObisCode o : MeterProfiles.LOAD_PROFILE_REGISTERS) {
            ObjectKey k = new ObjectKey(3, o);
            if (!points.containsKey(k)) {
                Point p = capturedRegister(o);
                points.put(k, p);
                encodings.put(k, encoding(p));
                captureOnly.add(o);
            }
        }
        this.profiles = new MeterProfiles(device, clock, faults, this::registerColumn, history, seed);
        this.limiter = new Limiter(device);
    }

    /** A register the profiles capture but the device's profile lacks: its model quantity, unit and decimals. */
    private static Point capturedRegister(ObisCode o) {
        String[] q = switch (o.c() * 100 + o.d()) {
            case 108 -> new String[] {"energy.active.import", "kWh", "2"};
            case 208 -> new String[] {"energy.active.export", "kWh", "2"};
            case 308 -> new String[] {"energy.reactive.import", "kvarh", "2"};
            case 408 -> new String[] {"energy.reactive.export", "kvarh", "2"};
            case 3207 -> new String[] {"voltage.l1", "V", "1"};
            case 107 -> new String[] {"power.active.total", "W", "1"};
            default -> throw new IllegalArgumentException("no model quantity for " + o);
        };
        // The name carries the OBIS code so that it cannot meet a point name of the device's profile.
        return new Point("captured " + o, new CosemAddress(3, o, 2), null, Integer.parseInt(q[2]), q[1], null, null,
                null, q[0]);
    }

    private BufferColumn registerColumn(ObisCode o) {
        ObjectKey k = new ObjectKey(3, o);
        return BufferColumn.register(points.get(k), encodings.get(k));
    }

    MeterProfiles profiles() {
        return profiles;
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

    /** Every object served, for the Association LN object list. */
    private List<Listed> objectList() {
        List<Listed> out = new ArrayList<>(List.of(new Listed(15, 1, ASSOCIATION), new Listed(8, 0, CLOCK),
                new Listed(1, 0, SERIAL_NUMBER), new Listed(1, 0, DEVICE_NAME)));
        List<ObisCode> names = new ArrayList<>(List.of(ASSOCIATION, CLOCK, SERIAL_NUMBER, DEVICE_NAME));
        if (limiter.present()) {
            out.add(new Listed(Limiter.CLASS_ID, 0, Limiter.OBIS));
            names.add(Limiter.OBIS);
        }
        for (ObjectKey k : points.keySet()) {
            if (!names.contains(k.obis()) && !captureOnly.contains(k.obis())) {
                names.add(k.obis());
                out.add(new Listed(k.classId(), 0, k.obis()));
            }
        }
        for (ProfileGeneric p : profiles.objects()) {
            out.add(new Listed(ProfileGeneric.CLASS_ID, 1, p.obis()));
        }
        for (ObisCode o : captureOnly) {
            out.add(new Listed(3, 0, o));
        }
        for (ObisCode o : List.of(MeterProfiles.PROFILE_STATUS, MeterProfiles.EVENT_CODE, INVOCATION_COUNTER)) {
            if (!names.contains(o)) {
                out.add(new Listed(1, 0, o));
            }
        }
        return out;
    }

    /**
     * Reads an attribute, the profiles' captures brought up to date first (so a live register never runs ahead
     * of a capture still due). Selective access is for a Profile Generic buffer; elsewhere it answers
     * other-reason.
     */
    GetResult get(AttributeDescriptor requested, AccessSelection access, AssociationView view) {
        profiles.catchUp();
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
        if (a.classId() == ProfileGeneric.CLASS_ID) {
            GetResult r = profiles.get(a.obis(), a.attribute(), access);
            return r != null ? r : new GetResult.Failure(DataAccessResult.OBJECT_UNDEFINED);
        }
        DlmsData d = value(a, view);
        if (d == null) {
            return new GetResult.Failure(DataAccessResult.OBJECT_UNDEFINED);
        }
        return access == null ? new GetResult.Value(d) : new GetResult.Failure(DataAccessResult.OTHER_REASON);
    }

    /**
     * Writes an attribute. Only the clock's time (8/0.0.1.0.0.255/2) and the limiter's threshold_normal
     * (71/0.0.17.0.0.255/4) are writable, by an authenticated (LLS or HLS) association: the public client gets
     * read-write-denied, as does any other attribute that exists; attributes that do not exist are object-undefined.
     */
    DataAccessResult set(AttributeDescriptor requested, AccessSelection access, DlmsData value, AssociationView view) {
        profiles.catchUp();
        if (requested.attribute() < 1) {
            return DataAccessResult.OBJECT_UNDEFINED;
        }
        CosemAddress a = new CosemAddress(requested.classId(), requested.instance(), requested.attribute());
        var injected = faults.failure(a.obis(), a.attribute());
        if (injected.isPresent()) {
            return injected.get();
        }
        if (a.classId() == 8 && a.obis().equals(CLOCK) && a.attribute() == 2) {
            if (!mayWrite(view)) {
                return DataAccessResult.READ_WRITE_DENIED;
            }
            return access == null ? setClock(value) : DataAccessResult.OTHER_REASON;
        }
        if (a.classId() == Limiter.CLASS_ID && a.obis().equals(Limiter.OBIS)) {
            return access == null ? limiter.set(a.attribute(), value, mayWrite(view)) : DataAccessResult.OTHER_REASON;
        }
        boolean exists = a.classId() == ProfileGeneric.CLASS_ID
                ? profiles.has(a.obis()) && a.attribute() <= ProfileGeneric.ATTRIBUTES
                : denied(a) || value(a, view) != null;
        return exists ? DataAccessResult.READ_WRITE_DENIED : DataAccessResult.OBJECT_UNDEFINED;
    }

    /**
     * A method of a served object: the clock's preset_adjusting_time (6: structure of preset time and validity
     * window) and adjust_to_preset_time (4), as a head-end sets a clock at a chosen instant; the rest is undefined.
     *
     * @return the action-result code
     */
    int action(int classId, ObisCode obis, int method, DlmsData parameters, AssociationView view) {
        profiles.catchUp();
        if (classId != 8 || !obis.equals(CLOCK)) {
            return DataAccessResult.OBJECT_UNDEFINED.code();
        }
        if (!mayWrite(view)) {
            return DataAccessResult.READ_WRITE_DENIED.code();
        }
        return switch (method) {
            case 6 -> {
                if (!(parameters instanceof DlmsData.Structure st) || st.elements().size() != 3) {
                    yield DataAccessResult.TYPE_UNMATCHED.code();
                }
                presetTime = st.elements().getFirst();
                yield DataAccessResult.SUCCESS.code();
            }
            case 4 -> {
                if (presetTime == null) {
                    yield DataAccessResult.OTHER_REASON.code();
                }
                DataAccessResult r = setClock(presetTime);
                presetTime = null;
                yield r.code();
            }
            default -> DataAccessResult.OBJECT_UNDEFINED.code();
        };
    }

    /** LLS and HLS associations (a head-end's management client) may set; the public client only reads. */
    private static boolean mayWrite(AssociationView view) {
        return view.mechanism() != 0;
    }

    private DataAccessResult setClock(DlmsData value) {
        java.util.Optional<CosemDateTime> sent = CosemDateTime.fromData(value);
        if (sent.isEmpty()) {
            return DataAccessResult.TYPE_UNMATCHED;
        }
        CosemDateTime t = sent.get();
        if (t.deviation() == CosemDateTime.DEVIATION_NOT_SPECIFIED) {
            t = new CosemDateTime(t.year(), t.month(), t.day(), t.dayOfWeek(), t.hour(), t.minute(), t.second(),
                    t.hundredths(), clock.deviation(), t.clockStatus()); // local time of the meter's own zone
        }
        Instant to;
        try {
            to = t.toInstant();
        } catch (MalformedException e) {
            return DataAccessResult.OTHER_REASON;
        }
        profiles.setClock(to);
        return DataAccessResult.SUCCESS;
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
        if (c == Limiter.CLASS_ID && o.equals(Limiter.OBIS)) {
            return limiter.get(a.attribute());
        }
        if (c == 1 && o.equals(SERIAL_NUMBER) && !points.containsKey(new ObjectKey(1, o))) {
            return a.attribute() == 1 ? ln(o) : a.attribute() == 2
                    ? new DlmsData.OctetString(serialNumber.getBytes(StandardCharsets.US_ASCII)) : null;
        }
        if (c == 1 && o.equals(DEVICE_NAME) && !points.containsKey(new ObjectKey(1, o))) {
            return a.attribute() == 1 ? ln(o) : a.attribute() == 2
                    ? new DlmsData.OctetString(("EGW" + serialNumber).getBytes(StandardCharsets.US_ASCII)) : null;
        }
        if (c == 1 && !points.containsKey(new ObjectKey(1, o))) {
            DlmsData d = recordData(o);
            if (d != null) {
                return a.attribute() == 1 ? ln(o) : a.attribute() == 2 ? d : null;
            }
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

    /** The Data objects next to the profiles: AMR status, event code, the next invocation counter; else null. */
    private DlmsData recordData(ObisCode o) {
        if (o.equals(MeterProfiles.PROFILE_STATUS)) {
            return DlmsData.Int.of(DataTag.UNSIGNED, profiles.profileStatus() & 0xFF);
        }
        if (o.equals(MeterProfiles.EVENT_CODE)) {
            return DlmsData.Int.of(DataTag.UNSIGNED, profiles.lastEventCode() & 0xFF);
        }
        if (o.equals(INVOCATION_COUNTER)) {
            return DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, Math.min(0xFFFF_FFFFL, nextClientCounter.getAsLong()));
        }
        return null;
    }

    private static DlmsData ln(ObisCode o) {
        return new DlmsData.OctetString(o.toBytes());
    }

    private DlmsData register(Point p, Encoding e, int attribute) {
        return switch (attribute) {
            case 2 -> {
                long raw = raw(p, e, device.value(p));
                yield raw == BufferColumn.NO_VALUE ? DlmsData.Null.INSTANCE : integer(e.type(), raw);
            }
            case 3 -> DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, e.scaler()),
                    DlmsData.Int.of(DataTag.ENUM, e.unit().code()));
            case 4 -> p.address() instanceof CosemAddress ca && ca.classId() == 4
                    ? DlmsData.Int.of(DataTag.UNSIGNED, 0) : null;
            case 5 -> p.address() instanceof CosemAddress ca && ca.classId() == 4
                    ? clock.dateTime(clock.now()).toData() : null;
            default -> null;
        };
    }

    /**
     * A register value as the integer the meter sends (the point's value over 10^scaler in the unit without
     * prefix), or {@link BufferColumn#NO_VALUE} when there is no number.
     */
    static long raw(Point p, Encoding e, PointValue v) {
        if (!(v instanceof PointValue.Number n)) {
            return BufferColumn.NO_VALUE;
        }
        BigDecimal raw = p.scaling().unapply(n.value()).scaleByPowerOfTen(e.prefixExponent() - e.scaler())
                .setScale(0, RoundingMode.HALF_UP);
        return raw.longValue();
    }

    /** A value that does not fit its usual type moves to a wider one rather than wrapping around. */
    static DlmsData integer(DataTag type, long raw) {
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
            case 2 -> clock.dateTime(clock.now()).toData();
            case 3 -> DlmsData.Int.of(DataTag.LONG, clock.deviation()); // time_zone: the deviation of local time
            case 4 -> DlmsData.Int.of(DataTag.UNSIGNED, 0);      // status: ok
            case 7 -> DlmsData.Int.of(DataTag.INTEGER, 0);       // daylight_savings_deviation
            case 8 -> new DlmsData.Bool(false);                  // daylight savings disabled
            case 9 -> DlmsData.Int.of(DataTag.ENUM, 1);          // clock_base: internal crystal
            default -> null;
        };
    }

    private DlmsData association(int attribute, AssociationView view) {
        return switch (attribute) {
            case 1 -> ln(ASSOCIATION);
            case 2 -> objectListData(view);
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

    private DlmsData objectListData(AssociationView view) {
        List<DlmsData> entries = new ArrayList<>();
        for (Listed o : objectList()) {
            int attributes = switch (o.classId()) {
                case 3 -> 3;
                case 4 -> 5;
                case 7 -> ProfileGeneric.ATTRIBUTES;
                case 8 -> 9;
                case 15 -> 8;
                case Limiter.CLASS_ID -> Limiter.ATTRIBUTES;
                case 111 -> 15;
                default -> 2;
            };
            List<DlmsData> attrAccess = new ArrayList<>();
            for (int i = 1; i <= attributes; i++) {
                // 0 no access, 1 read-only, 3 read-and-write
                boolean settable = o.classId() == 8 && o.obis().equals(CLOCK) && i == 2
                        || o.classId() == Limiter.CLASS_ID && Limiter.writable(i);
                int mode = o.classId() == 15 && i == 7 ? 0 : settable && mayWrite(view) ? 3 : 1;
                attrAccess.add(DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, i),
                        DlmsData.Int.of(DataTag.ENUM, mode), DlmsData.Null.INSTANCE));
            }
            List<DlmsData> methodAccess = new ArrayList<>();
            if (o.classId() == 15) {
                methodAccess.add(DlmsData.Structure.of(DlmsData.Int.of(DataTag.INTEGER, 1),
                        DlmsData.Int.of(DataTag.ENUM, 1)));
            }
            entries.add(DlmsData.Structure.of(DlmsData.Int.of(DataTag.LONG_UNSIGNED, o.classId()),
                    DlmsData.Int.of(DataTag.UNSIGNED, o.version()), new DlmsData.OctetString(o.obis().toBytes()),
                    DlmsData.Structure.of(new DlmsData.Array(attrAccess), new DlmsData.Array(methodAccess))));
        }
        return new DlmsData.Array(entries);
    }
}

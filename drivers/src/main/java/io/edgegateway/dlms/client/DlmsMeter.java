package io.edgegateway.dlms.client;

import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.MeterReader;
import io.edgegateway.device.RejectedException;
import io.edgegateway.device.UnsuitableValueException;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.AttributeDescriptor;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.CaptureObject;
import io.edgegateway.dlms.cosem.ClockReading;
import io.edgegateway.dlms.cosem.LoadProfile;
import io.edgegateway.dlms.cosem.ProfileBuffer;
import io.edgegateway.dlms.cosem.ProfileColumn;
import io.edgegateway.dlms.cosem.ProfileRow;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.CosemUnit;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.security.InvocationCounterStore;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a profile's points from one DLMS/COSEM meter by logical name.
 *
 * <p>Per interface class: Data (1) gives its value as is; Register (3) and Extended register (4) give
 * {@code value × 10^scaler} from scaler_unit (attribute 3, read once and cached per object), exact in
 * {@link BigDecimal}; Clock (8) time and an extended register's capture time come as ISO-8601 text; Account (111)
 * amounts (attributes 5-8) are scaled by the currency scale of attribute 15 when the meter has it; Credit (112)
 * amounts come as sent.
 *
 * <p>Units: when a point declares a unit, a register's reported unit is converted to it by decimal prefix
 * (Wh to kWh, W to kW, A to mA); an incompatible unit makes the value {@link PointValue.Invalid} rather than
 * wrong. When a point's unit is blank, the value stays in the meter's unit, and {@link #meterUnit(Point)} tells
 * the gateway which unit that is. The point's own scaling is applied last.
 *
 * <p>Connection: the first read connects and associates; the association is kept for later reads. On any
 * failure the connection is dropped and the next read reconnects; a kept association that turns out dead
 * (closed by the meter's inactivity timer) is reopened once within the same read. Not thread-safe: the bus
 * scheduler calls it from one thread.
 */
public final class DlmsMeter implements MeterReader {

    /** COSEM serial number object (Data, 0.0.96.1.0.255). */
    public static final ObisCode SERIAL_NUMBER = new ObisCode(0, 0, 96, 1, 0, 255);

    private static final System.Logger LOG = System.getLogger(DlmsMeter.class.getName());
    /** The public client, which every meter lets read without security. */
    private static final int PUBLIC_CLIENT = 16;

    private final DlmsSettings settings;
    private final MultiDropLine line;
    private final InvocationCounterStore.Counter counter;
    private DlmsConnection connection;
    private java.util.function.Consumer<byte[]> unsolicited;
    /** Read once; again only after an association failed (the meter may have refused the counter). */
    private boolean counterCaughtUp;
    /** Per association: each Profile Generic read, and the scaler_unit of each captured register. */
    private final Map<ObisCode, Shape> shapes = new HashMap<>();
    private final Map<CosemAddress, ScalerUnit> columnScalers = new HashMap<>();
    /** scaler_unit per Register/Extended register, currency scale per Account (as a unit-less scaler). */
    private final Map<CosemAddress, ScalerUnit> scalers = new HashMap<>();

    /** A register's scaler and unit. */
    public record ScalerUnit(int scaler, CosemUnit unit) {
    }

    public DlmsMeter(DlmsSettings settings) {
        this(settings, null);
    }

    /**
     * A meter on a line it shares with others (HDLC multi-drop): its associations take the line over in turn.
     *
     * @param line the bus's line, or null when the meter has its own transport
     */
    public DlmsMeter(DlmsSettings settings, MultiDropLine line) {
        this.line = line;
        this.settings = settings;
        this.counter = settings.authentication() == Authentication.HLS_GMAC
                ? new InvocationCounterStore(settings.stateDirectory()).counter(settings.counterKey()) : null;
    }

    public DlmsSettings settings() {
        return settings;
    }

    /**
     * Where Data-Notifications the meter pushes over the link it is being read on go (its APDU bytes, still
     * ciphered); the read goes on with the answer that follows. Called on the bus thread.
     */
    public void onUnsolicited(java.util.function.Consumer<byte[]> sink) {
        this.unsolicited = sink;
        if (connection != null) {
            connection.onUnsolicited(sink);
        }
    }

    /** The open association, connecting first if needed. */
    public DlmsConnection connection() throws DeviceException {
        if (connection == null) {
            if (settings.invocationCounterObject() != null && !counterCaughtUp) {
                catchUpInvocationCounter();
            }
            DlmsConnection c;
            try {
                c = DlmsConnection.open(settings, counter, line == null ? null : line.claim(this));
            } catch (LinkDownException e) {
                if (line != null) {
                    line.broken(); // the port, not the meter: open it again next time
                }
                throw e;
            } catch (DeviceException | RuntimeException e) {
                if (e instanceof RejectedException) {
                    counterCaughtUp = false; // perhaps our counter: read the meter's again before the next try
                }
                if (line != null) {
                    line.released(this);
                }
                throw e;
            }
            if (unsolicited != null) {
                c.onUnsolicited(unsolicited);
            }
            connection = c;
        }
        return connection;
    }

    public boolean connected() {
        return connection != null;
    }

    @Override
    public Map<Point, PointValue> read(List<Point> points) throws DeviceException {
        Map<Point, PointValue> out = new LinkedHashMap<>();
        Set<CosemAddress> wanted = new LinkedHashSet<>();
        for (Point p : points) {
            if (p.address() instanceof CosemAddress a) {
                wanted.add(a);
                CosemAddress extra = scalerAttribute(a);
                if (extra != null && !scalers.containsKey(extra)) {
                    wanted.add(extra);
                }
            }
        }
        Map<CosemAddress, GetResult> results = fetch(new ArrayList<>(wanted));
        Map<CosemAddress, ScalerUnit> current = new HashMap<>(scalers);
        for (Map.Entry<CosemAddress, GetResult> e : results.entrySet()) {
            CosemAddress a = e.getKey();
            if (isScalerAttribute(a) && !scalers.containsKey(a)) {
                ScalerUnit su = scalerUnit(a, e.getValue());
                current.put(a, su);
                if (su != null) {
                    scalers.put(a, su); // failures are asked again next time
                }
            }
        }
        for (Point p : points) {
            if (!(p.address() instanceof CosemAddress a)) {
                out.put(p, new PointValue.Invalid("not a DLMS point (address " + p.address().describe() + ")"));
                continue;
            }
            out.put(p, decode(p, a, results.get(a), current));
        }
        return out;
    }

    /**
     * Reads attributes, reopening a kept association once when it turned out dead.
     */
    private Map<CosemAddress, GetResult> fetch(List<CosemAddress> attributes) throws DeviceException {
        return exchange(c -> zip(attributes, c.get(attributes)));
    }

    private static Map<CosemAddress, GetResult> zip(List<CosemAddress> a, List<GetResult> r) {
        Map<CosemAddress, GetResult> m = new LinkedHashMap<>();
        for (int i = 0; i < a.size(); i++) {
            m.put(a.get(i), r.get(i));
        }
        return m;
    }

    /**
     * The unit the meter reports for this point (a register's scaler_unit, e.g. "V", "Wh"), once a read has fetched
     * it. Empty for points without a reported unit (Data, Clock, unit-less registers) or before the first read.
     * Gateways use it for points whose profile unit is blank.
     */
    public Optional<String> meterUnit(Point point) {
        if (!(point.address() instanceof CosemAddress a)) {
            return Optional.empty();
        }
        CosemAddress s = scalerAttribute(a);
        if (s == null || s.classId() == 111) {
            return Optional.empty();
        }
        ScalerUnit su = scalers.get(s);
        if (su == null || su.unit() == null || su.unit().symbol().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(su.unit().symbol());
    }

    /** The cached scaler_unit of a register point, if read. */
    public Optional<ScalerUnit> scalerUnit(Point point) {
        if (!(point.address() instanceof CosemAddress a)) {
            return Optional.empty();
        }
        CosemAddress s = scalerAttribute(a);
        return s == null ? Optional.empty() : Optional.ofNullable(scalers.get(s));
    }

    /**
     * Reads the meter's serial number (Data 0.0.96.1.0.255, attribute 2): the meterNo of readings.
     *
     * @throws RejectedException when the meter has no such object or denies it
     */
    public String readSerialNumber() throws DeviceException {
        CosemAddress a = new CosemAddress(1, SERIAL_NUMBER, 2);
        GetResult r = fetch(List.of(a)).get(a);
        return switch (r) {
            case GetResult.Failure f -> throw new RejectedException(settings.endpoint() + ": serial number "
                    + SERIAL_NUMBER + " not readable: " + f.result(), f.result().code());
            case GetResult.Value v -> switch (v.data()) {
                case DlmsData.OctetString s -> text(s.value());
                case DlmsData.VisibleString s -> s.value().trim();
                case DlmsData.Utf8String s -> s.value().trim();
                case DlmsData.Int i -> i.decimal().toPlainString();
                default -> throw new BadResponseException(settings.endpoint() + ": serial number is a "
                        + v.data().tag().asn1Name(), null);
            };
        };
    }

    /**
     * Reads, as the public client, the invocation counter the meter expects next from our HLS client, and moves our
     * counter up to it: a meter rejects a counter that fell behind (a restored SD card, a replaced gateway).
     */
    private void catchUpInvocationCounter() throws DeviceException {
        DlmsSettings publicClient = settings.toBuilder().client(PUBLIC_CLIENT).noSecurity()
                .invocationCounterObject(null).build();
        CosemAddress a = new CosemAddress(1, settings.invocationCounterObject(), 2);
        GetResult r;
        try (DlmsConnection c = DlmsConnection.open(publicClient, null, line == null ? null : line.claim(this))) {
            r = c.get(a);
        } finally {
            if (line != null) {
                line.released(this);
            }
        }
        if (r instanceof GetResult.Value v && v.data() instanceof DlmsData.Int i && i.value() >= 0) {
            // Meters hold either the last counter they took or the next they expect; one above is right for both.
            long next = i.value() + 1;
            if (next > counter.peek()) {
                LOG.log(System.Logger.Level.INFO, "{0}: the meter expects invocation counter {1}; ours was {2}",
                        settings.endpoint(), next, counter.peek());
            }
            counter.advanceTo(next);
            counterCaughtUp = true;
            return;
        }
        throw new RejectedException(settings.endpoint() + ": invocation counter " + settings.invocationCounterObject()
                + " not readable by the public client: " + r, -1);
    }

    /** Drops the association and the transport; the next read reconnects. */
    @Override
    public void close() {
        shapes.clear();
        columnScalers.clear();
        if (connection != null) {
            DlmsConnection c = connection;
            connection = null;
            c.close();
        }
        if (line != null) {
            line.released(this);
        }
    }

    // ---- Profile Generic, Clock, SET ---------------------------------------------------------------------

    /** One exchange on the association; a kept association found dead is reopened once. */
    @FunctionalInterface
    private interface Exchange<T> {
        T on(DlmsConnection c) throws DeviceException;
    }

    private <T> T exchange(Exchange<T> op) throws DeviceException {
        boolean reused = connection != null;
        try {
            return op.on(connection());
        } catch (RejectedException e) {
            throw e; // the meter answered and refused: the association is fine
        } catch (LinkDownException | BadResponseException e) {
            drop(e);
            if (!reused) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "{0}: kept association failed ({1}); reconnecting",
                    settings.endpoint(), e.getMessage());
            try {
                return op.on(connection());
            } catch (RejectedException again) {
                throw again;
            } catch (DeviceException | RuntimeException again) {
                drop(again);
                throw again;
            }
        } catch (DeviceException | RuntimeException e) {
            drop(e);
            throw e;
        }
    }

    /** Drops the association after a failure; a shared port that failed is opened again, not reused. */
    private void drop(Exception e) {
        close();
        if (e instanceof LinkDownException && line != null) {
            line.broken();
        }
    }


    /** A Profile Generic's shape: attributes 3, 4, 5, 7 and 8. */
    private record Shape(List<ProfileColumn> columns, Duration period, int sortMethod, long entriesInUse,
                         long profileEntries) {
    }

    /**
     * Reads rows of a Profile Generic buffer: the capture objects and each captured register's scaler_unit
     * first (once per association), then the buffer with the selection, reassembled from blocks when large.
     *
     * @param selection by range or by entry; null for the whole buffer
     * @throws RejectedException when the meter has no such profile or refuses the selection
     */
    public LoadProfile readProfile(ObisCode obis, BufferSelection selection) throws DeviceException {
        return exchange(c -> {
            Shape shape = shape(c, obis, true);
            List<ProfileColumn> columns = selectedColumns(shape.columns(), selection);
            GetResult r = c.get(new AttributeDescriptor(7, obis, 2), selection == null ? null : selection.toAccess());
            DlmsData buffer = value(r, "buffer of " + obis);
            try {
                List<ProfileRow> rows = ProfileBuffer.decode(buffer, columns, shape.period());
                return new LoadProfile(obis, columns, shape.period(), shape.sortMethod(), shape.entriesInUse(),
                        shape.profileEntries(), rows);
            } catch (MalformedException e) {
                throw new BadResponseException(settings.endpoint() + ": buffer of " + obis + ": " + e.getMessage(), e);
            }
        });
    }

    /** The profile's shape with an empty buffer: capture objects, period, sort method and entry counts, fresh. */
    public LoadProfile describeProfile(ObisCode obis) throws DeviceException {
        return exchange(c -> {
            Shape shape = shape(c, obis, false);
            return new LoadProfile(obis, shape.columns(), shape.period(), shape.sortMethod(), shape.entriesInUse(),
                    shape.profileEntries(), List.of());
        });
    }

    private Shape shape(DlmsConnection c, ObisCode obis, boolean cached) throws DeviceException {
        Shape known = shapes.get(obis);
        List<CosemAddress> attributes = new ArrayList<>();
        for (int attribute : known != null && cached ? new int[] {7} : new int[] {3, 4, 5, 7, 8}) {
            attributes.add(new CosemAddress(7, obis, attribute));
        }
        List<GetResult> results = c.get(attributes);
        if (known == null || !cached) {
            List<CaptureObject> objects;
            try {
                objects = CaptureObject.listFromData(value(results.get(0), "capture_objects of " + obis));
            } catch (MalformedException e) {
                throw new BadResponseException(settings.endpoint() + ": " + e.getMessage(), e);
            }
            List<ProfileColumn> columns = columns(c, objects);
            long period = integer(results.get(1), 0);
            known = new Shape(columns, Duration.ofSeconds(period), (int) integer(results.get(2), 1),
                    integer(results.get(3), -1), integer(results.get(4), -1));
            shapes.put(obis, known);
            return known;
        }
        // The cached shape with a fresh entries_in_use: the one attribute that moves between reads.
        Shape fresh = new Shape(known.columns(), known.period(), known.sortMethod(), integer(results.get(0), -1),
                known.profileEntries());
        shapes.put(obis, fresh);
        return fresh;
    }

    /** Each captured register's scaler_unit, read once per association in one list. */
    private List<ProfileColumn> columns(DlmsConnection c, List<CaptureObject> objects) throws DeviceException {
        List<CosemAddress> missing = new ArrayList<>();
        for (CaptureObject o : objects) {
            CosemAddress s = columnScaler(o);
            if (s != null && !columnScalers.containsKey(s) && !missing.contains(s)) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            List<GetResult> results = c.get(missing);
            for (int i = 0; i < missing.size(); i++) {
                ScalerUnit su = scalerUnit(missing.get(i), results.get(i));
                columnScalers.put(missing.get(i), su == null ? new ScalerUnit(0, null) : su);
            }
        }
        List<ProfileColumn> out = new ArrayList<>(objects.size());
        for (CaptureObject o : objects) {
            CosemAddress s = columnScaler(o);
            ScalerUnit su = s == null ? null : columnScalers.get(s);
            out.add(su == null ? ProfileColumn.unscaled(o) : new ProfileColumn(o, su.scaler(), su.unit()));
        }
        return out;
    }

    /** The scaler_unit attribute of a captured register value: 3 for Register and Extended register, 4 for Demand. */
    private static CosemAddress columnScaler(CaptureObject o) {
        if (!o.isRegisterValue() || o.dataIndex() != 0) {
            return null;
        }
        return new CosemAddress(o.classId(), o.obis(), o.classId() == 5 ? 4 : 3);
    }

    private static List<ProfileColumn> selectedColumns(List<ProfileColumn> all, BufferSelection selection) {
        return switch (selection) {
            case null -> all;
            case BufferSelection.ByRange r when r.selected().isEmpty() -> all;
            case BufferSelection.ByRange r -> r.selected().stream()
                    .map(o -> all.stream().filter(c -> c.object().equals(o)).findFirst()
                            .orElse(ProfileColumn.unscaled(o)))
                    .toList();
            case BufferSelection.ByEntry e -> {
                int from = Math.min(all.size(), e.fromColumn()) - 1;
                int to = e.toColumn() == 0 ? all.size() : Math.min(all.size(), e.toColumn());
                yield from < 0 || from >= to ? List.of() : all.subList(from, to);
            }
        };
    }

    private DlmsData value(GetResult r, String what) throws DeviceException {
        return switch (r) {
            case GetResult.Value v -> v.data();
            case GetResult.Failure f -> throw new RejectedException(settings.endpoint() + ": " + what
                    + ": meter answered " + f.result(), f.result().code());
        };
    }

    private static long integer(GetResult r, long otherwise) {
        return r instanceof GetResult.Value v && v.data() instanceof DlmsData.Int i ? i.value() : otherwise;
    }

    /** The meter's clock (0.0.1.0.0.255, attribute 2) with the gateway's time halfway through the exchange. */
    public ClockReading readClock(java.time.Clock gatewayClock) throws DeviceException {
        return exchange(c -> {
            long t0 = gatewayClock.millis();
            GetResult r = c.get(new AttributeDescriptor(8, CaptureObject.CLOCK, 2));
            long t1 = gatewayClock.millis();
            DlmsData d = value(r, "clock time");
            CosemDateTime time = CosemDateTime.fromData(d).orElseThrow(() -> new BadResponseException(
                    settings.endpoint() + ": clock time is a " + d.tag().asn1Name(), null));
            try {
                time.toInstant();
            } catch (MalformedException e) {
                throw new BadResponseException(settings.endpoint() + ": clock time " + e.getMessage(), e);
            }
            return new ClockReading(time, java.time.Instant.ofEpochMilli(t0 + (t1 - t0) / 2));
        });
    }

    /**
     * Sets the meter's clock to {@code to}, keeping the deviation it reported.
     *
     * @throws RejectedException when the meter refuses (not an association allowed to set it)
     */
    public void setClock(java.time.Instant to, int deviation) throws DeviceException {
        DataAccessResult r = set(new AttributeDescriptor(8, CaptureObject.CLOCK, 2),
                CosemDateTime.of(to, deviation == CosemDateTime.DEVIATION_NOT_SPECIFIED ? 0 : deviation, 0).toData());
        if (r != DataAccessResult.SUCCESS) {
            throw new RejectedException(settings.endpoint() + ": setting the clock refused: " + r, r.code());
        }
    }

    /** Writes one attribute; the meter's data-access-result. */
    public DataAccessResult set(AttributeDescriptor attribute, DlmsData value) throws DeviceException {
        return exchange(c -> c.set(attribute, null, value));
    }

    /**
     * Writes a number to a point's attribute by SET, in the COSEM type the attribute holds now (read first: a meter
     * refuses another type with type-unmatched), scaled back as a read scales it (the point's scale, the
     * register's scaler_unit, the unit's prefix).
     *
     * @throws RejectedException with the data-access-result the meter answered (read-write-denied...), or -1 for an
     *                           attribute that holds no number or a value its type cannot carry
     */
    @Override
    public void write(Point point, PointValue value) throws DeviceException {
        if (!(point.address() instanceof CosemAddress a)) {
            throw new IllegalArgumentException(point.name() + " is not a DLMS point");
        }
        if (!(value instanceof PointValue.Number n)) {
            throw new IllegalArgumentException(point.name() + " takes a number, not " + value);
        }
        read(List.of(point)); // fetches the scaler_unit once, as a poll does
        CosemAddress s = scalerAttribute(a);
        GetResult now = fetch(List.of(a)).get(a);
        if (now instanceof GetResult.Failure f) {
            throw new RejectedException(settings.endpoint() + ": " + a + " answered " + f.result() + " before the SET",
                    f.result().code());
        }
        BigDecimal raw = point.scaling().unapply(n.value());
        if (s != null) {
            ScalerUnit su = scalers.get(s);
            if (su == null) {
                throw new RejectedException(settings.endpoint() + ": no usable scaler_unit for " + a, -1);
            }
            if (su.unit() != null) {
                Integer exponent = prefixExponent(su.unit().symbol(), point.unit());
                if (exponent == null) {
                    // A read of this attribute is refused for the same reason: the value would be off by a prefix.
                    throw new UnsuitableValueException(UnsuitableValueException.Reason.UNIT_MISMATCH, a + " is in "
                            + su.unit().symbol() + ", which does not convert to the point's " + point.unit());
                }
                raw = raw.scaleByPowerOfTen(exponent);
            }
            raw = raw.scaleByPowerOfTen(-su.scaler());
        }
        DlmsData data = switch (((GetResult.Value) now).data()) {
            case DlmsData.Int i -> integer(a, i.type(), n.value(), raw);
            case DlmsData.Float32 f -> new DlmsData.Float32((float) finite(a, n.value(), raw.floatValue()));
            case DlmsData.Float64 f -> new DlmsData.Float64(finite(a, n.value(), raw.doubleValue()));
            default -> throw new UnsuitableValueException(UnsuitableValueException.Reason.WRONG_TYPE,
                    a + " holds " + ((GetResult.Value) now).data().tag().asn1Name() + ", not a number");
        };
        DataAccessResult r = set(new AttributeDescriptor(a.classId(), a.obis(), a.attribute()), data);
        if (r != DataAccessResult.SUCCESS) {
            throw new RejectedException(settings.endpoint() + ": SET of " + a + " refused: " + r, r.code());
        }
    }

    private static double finite(CosemAddress a, BigDecimal asked, double v) {
        if (!Double.isFinite(v)) {
            throw new UnsuitableValueException(UnsuitableValueException.Reason.OUT_OF_RANGE, asked.toPlainString()
                    + " is beyond what " + a + " holds (a float)");
        }
        return v;
    }

    /** The raw value in the attribute's integer type, refused before any SET when it does not fit. */
    private static DlmsData integer(CosemAddress a, DataTag type, BigDecimal asked, BigDecimal raw) {
        BigDecimal whole;
        try {
            whole = raw.setScale(0, java.math.RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new UnsuitableValueException(UnsuitableValueException.Reason.OFF_STEP, asked.toPlainString()
                    + " is finer than " + a + " holds (" + type.asn1Name() + ", raw " + raw.toPlainString() + ")");
        }
        BigDecimal max = type == DataTag.LONG64_UNSIGNED ? new BigDecimal("18446744073709551615")
                : BigDecimal.valueOf(type.maximum());
        BigDecimal min = type == DataTag.LONG64_UNSIGNED ? BigDecimal.ZERO : BigDecimal.valueOf(type.minimum());
        if (whole.compareTo(min) < 0 || whole.compareTo(max) > 0) {
            throw new UnsuitableValueException(UnsuitableValueException.Reason.OUT_OF_RANGE, asked.toPlainString()
                    + " is beyond what " + a + " holds (" + type.asn1Name() + ", " + min.toPlainString() + " to "
                    + max.toPlainString() + ")");
        }
        // long64-unsigned above Long.MAX_VALUE travels as the same 64 bits.
        return DlmsData.Int.of(type, whole.toBigInteger().longValue());
    }

    // ---- decoding ----------------------------------------------------------------------------------------

    /** The attribute that scales {@code a}'s value, or null. */
    private static CosemAddress scalerAttribute(CosemAddress a) {
        if ((a.classId() == 3 || a.classId() == 4) && a.attribute() == 2) {
            return new CosemAddress(a.classId(), a.obis(), 3);
        }
        if (a.classId() == 111 && a.attribute() >= 5 && a.attribute() <= 8) {
            return new CosemAddress(111, a.obis(), 15);
        }
        return null;
    }

    private static boolean isScalerAttribute(CosemAddress a) {
        return ((a.classId() == 3 || a.classId() == 4) && a.attribute() == 3)
                || (a.classId() == 111 && a.attribute() == 15)
                || (a.classId() == 5 && a.attribute() == 4);
    }

    /** scaler_unit {integer scaler, enum unit}, or the Account currency {name, scale, unit}. */
    private ScalerUnit scalerUnit(CosemAddress a, GetResult r) {
        if (r instanceof GetResult.Value v && v.data() instanceof DlmsData.Structure s) {
            try {
                if (a.classId() == 111 && s.elements().size() >= 2 && s.get(1) instanceof DlmsData.Int scale) {
                    return new ScalerUnit((int) scale.value(), null);
                }
                if (s.elements().size() == 2 && s.get(0) instanceof DlmsData.Int scaler
                        && s.get(1) instanceof DlmsData.Int unit) {
                    return new ScalerUnit((int) scaler.value(), new CosemUnit((int) (unit.value() & 0xFF)));
                }
            } catch (IllegalArgumentException e) {
                // falls through to "unusable"
            }
        }
        if (a.classId() == 111) {
            return new ScalerUnit(0, null); // no currency attribute: amounts as sent
        }
        // A data-access error already shows in the point's Invalid reason; a malformed scaler_unit is a meter bug.
        LOG.log(r instanceof GetResult.Failure ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                "{0}: scaler_unit of {1} unusable: {2}", settings.endpoint(), a, r);
        return null;
    }

    private PointValue decode(Point p, CosemAddress a, GetResult r, Map<CosemAddress, ScalerUnit> current) {
        if (r == null) {
            return new PointValue.Invalid("no result for " + a);
        }
        if (r instanceof GetResult.Failure f) {
            return new PointValue.Invalid("meter answered " + f.result() + " for " + a);
        }
        DlmsData d = ((GetResult.Value) r).data();
        try {
            return switch (d) {
                case DlmsData.Int i -> number(p, a, i.decimal(), current);
                case DlmsData.Float32 f -> Float.isFinite(f.value())
                        ? number(p, a, new BigDecimal(Float.toString(f.value())), current)
                        : new PointValue.Invalid("not a finite number: " + f.value());
                case DlmsData.Float64 f -> Double.isFinite(f.value())
                        ? number(p, a, new BigDecimal(Double.toString(f.value())), current)
                        : new PointValue.Invalid("not a finite number: " + f.value());
                case DlmsData.Bool b -> new PointValue.Flag(b.value());
                case DlmsData.VisibleString s -> new PointValue.Text(s.value());
                case DlmsData.Utf8String s -> new PointValue.Text(s.value());
                case DlmsData.DateTimeValue t when t.tag() == io.edgegateway.dlms.axdr.DataTag.DATE_TIME ->
                        new PointValue.Text(CosemDateTime.fromBytes(t.raw()).toIso());
                case DlmsData.DateTimeValue t -> new PointValue.Text(HexFormat.of().formatHex(t.raw()));
                case DlmsData.OctetString s -> isDateTime(a) && s.length() == 12
                        ? new PointValue.Text(CosemDateTime.fromBytes(s.value()).toIso())
                        : new PointValue.Text(text(s.value()));
                case DlmsData.BitString b -> new PointValue.Text(bits(b));
                case DlmsData.Null n -> new PointValue.Invalid("meter sent null-data for " + a);
                case DlmsData.Structure s -> new PointValue.Invalid("meter sent a structure for " + a
                        + ", not a single value");
                case DlmsData.Array arr -> new PointValue.Invalid("meter sent an array for " + a + ", not a single value");
            };
        } catch (MalformedException e) {
            return new PointValue.Invalid(a + ": " + e.getMessage());
        }
    }

    private static boolean isDateTime(CosemAddress a) {
        return (a.classId() == 8 && a.attribute() == 2) || (a.classId() == 4 && a.attribute() == 5);
    }

    private PointValue number(Point p, CosemAddress a, BigDecimal raw, Map<CosemAddress, ScalerUnit> current) {
        BigDecimal v = raw;
        CosemAddress s = scalerAttribute(a);
        if (s != null) {
            ScalerUnit su = current.get(s);
            if (su == null) {
                return new PointValue.Invalid("no usable scaler_unit for " + a + " (attribute " + s.attribute() + ")");
            }
            v = v.scaleByPowerOfTen(su.scaler());
            if (su.unit() != null) {
                String meterUnit = su.unit().symbol();
                Integer exponent = prefixExponent(meterUnit, p.unit());
                if (exponent == null) {
                    return new PointValue.Invalid("meter reports " + a + " in " + su.unit() + " but the point is in "
                            + p.unit());
                }
                v = v.scaleByPowerOfTen(-exponent);
            }
        }
        v = p.scaling().apply(v);
        return new PointValue.Number(v.scale() < 0 ? v.setScale(0) : v);
    }

    /**
     * The power of ten between the meter's unit and the point's: 3 for Wh to kWh, 0 for the same unit or a blank
     * point unit; null when the two are not the same quantity.
     */
    static Integer prefixExponent(String meterUnit, String pointUnit) {
        java.util.OptionalInt e = CosemUnit.prefixExponent(meterUnit, pointUnit);
        return e.isPresent() ? e.getAsInt() : null;
    }

    /** Printable ASCII as text (serial numbers, names), anything else as hex. */
    static String text(byte[] b) {
        boolean printable = b.length > 0;
        for (byte x : b) {
            if (x < 0x20 || x > 0x7E) {
                printable = false;
                break;
            }
        }
        return printable ? new String(b, StandardCharsets.US_ASCII).trim() : HexFormat.of().withUpperCase().formatHex(b);
    }

    private static String bits(DlmsData.BitString b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < b.bits(); i++) {
            s.append(b.bit(i) ? '1' : '0');
        }
        return s.toString();
    }
}

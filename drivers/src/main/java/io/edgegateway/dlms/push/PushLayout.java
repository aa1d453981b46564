package io.edgegateway.dlms.push;

import io.edgegateway.dlms.axdr.CosemUnit;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A meter's push_object_list as points: the push body's values, in order, become the values of these points. An
 * object at the address of one of the meter's points is that point, its value converted from the object's unit to
 * the point's by prefix (Wh to kWh) and through the point's scaling, as a polled value is; any other object is a
 * point named by its OBIS code, valued raw x 10^scaler in the object's unit. The Push setup's logical name is
 * skipped.
 *
 * <p>The points are made once, here: a reading's consumers may key their state by the point instance.
 */
public final class PushLayout {

    /** An object the layout cannot take, with its index in the list. */
    public static final class BadObjectException extends IllegalArgumentException {
        private final int index;

        BadObjectException(int index, String message) {
            super(message);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    /** What becomes of one pushed value: nothing (skipped) or a point's value. */
    private sealed interface Slot permits Skipped, Valued {
    }

    private record Skipped() implements Slot {
    }

    /** @param exponent the power of ten from the object's unit to the point's */
    private record Valued(Point point, int scaler, int exponent) implements Slot {
    }

    private final List<PushObject> objects;
    private final List<Slot> slots;

    private PushLayout(List<PushObject> objects, List<Slot> slots) {
        this.objects = objects;
        this.slots = slots;
    }

    /**
     * @param objects the push_object_list, in order
     * @param points  the meter's points (its profile's), matched by {@link CosemAddress}
     * @throws BadObjectException for an object listed twice, or pushed in a unit that does not convert to its point's
     */
    public static PushLayout of(List<PushObject> objects, List<Point> points) {
        Map<CosemAddress, Point> byAddress = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Point p : points) {
            if (p.address() instanceof CosemAddress a) {
                byAddress.putIfAbsent(a, p);
            }
            names.add(p.name());
        }
        Set<CosemAddress> seen = new HashSet<>();
        Set<String> taken = new HashSet<>();
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            PushObject o = objects.get(i);
            if (!seen.add(o.address())) {
                throw new BadObjectException(i, o.address() + " is listed twice");
            }
            if (o.isPushSetupName()) {
                slots.add(new Skipped());
                continue;
            }
            Point p = byAddress.get(o.address());
            if (p != null) {
                OptionalInt e = CosemUnit.prefixExponent(o.unit(), p.unit());
                if (e.isEmpty()) {
                    throw new BadObjectException(i, o.address() + " is pushed in " + o.unit() + ", which does not"
                            + " convert to " + p.unit() + " of point '" + p.name() + "'");
                }
                taken.add(p.name());
                slots.add(new Valued(p, o.scaler(), e.getAsInt()));
                continue;
            }
            String name = o.address().obis().toString();
            if (names.contains(name) || taken.contains(name)) {
                name = o.address().describe(); // two attributes of one object: told apart by the attribute
            }
            if (names.contains(name) || !taken.add(name)) {
                throw new BadObjectException(i, "a point of this meter is already named " + name);
            }
            slots.add(new Valued(new Point(name, o.address(), Scaling.NONE, Point.AS_DECODED, o.unit(),
                    BigDecimal.ZERO, Map.of(), "", ""), o.scaler(), 0));
        }
        return new PushLayout(List.copyOf(objects), List.copyOf(slots));
    }

    public List<PushObject> objects() {
        return objects;
    }

    /** The points a push gives values to, in list order. */
    public List<Point> points() {
        return slots.stream().filter(s -> s instanceof Valued).map(s -> ((Valued) s).point()).toList();
    }

    /**
     * The body's values by point, in list order. A value that is not what its point takes (null-data, a structure,
     * a unit-less text for a number) is kept as {@link PointValue.Invalid} with the reason.
     *
     * @throws MalformedException when the body is not a structure of one value per object
     */
    public Map<Point, PointValue> values(DlmsData body) {
        if (!(body instanceof DlmsData.Structure s)) {
            throw new MalformedException("the push body is " + body.tag().asn1Name() + ", not a structure of the "
                    + objects.size() + " values of the push_object_list");
        }
        if (s.elements().size() != slots.size()) {
            throw new MalformedException("the push carries " + s.elements().size() + " values, the configured"
                    + " push_object_list " + slots.size() + " objects");
        }
        Map<Point, PointValue> out = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) instanceof Valued v) {
                out.put(v.point(), value(v, objects.get(i).address(), s.get(i)));
            }
        }
        return out;
    }

    private static PointValue value(Valued v, CosemAddress a, DlmsData d) {
        try {
            return switch (d) {
                case DlmsData.Int i -> number(v, i.decimal());
                case DlmsData.Float32 f -> Float.isFinite(f.value())
                        ? number(v, new BigDecimal(Float.toString(f.value())))
                        : new PointValue.Invalid("not a finite number: " + f.value());
                case DlmsData.Float64 f -> Double.isFinite(f.value())
                        ? number(v, new BigDecimal(Double.toString(f.value())))
                        : new PointValue.Invalid("not a finite number: " + f.value());
                case DlmsData.Bool b -> new PointValue.Flag(b.value());
                case DlmsData.VisibleString t -> new PointValue.Text(t.value());
                case DlmsData.Utf8String t -> new PointValue.Text(t.value());
                case DlmsData.DateTimeValue t when t.tag() == DataTag.DATE_TIME ->
                        new PointValue.Text(CosemDateTime.fromBytes(t.raw()).toIso());
                case DlmsData.DateTimeValue t -> new PointValue.Text(HexFormat.of().formatHex(t.raw()));
                case DlmsData.OctetString t -> new PointValue.Text(isDateTime(a) && t.length() == 12
                        ? CosemDateTime.fromBytes(t.value()).toIso() : text(t.value()));
                case DlmsData.BitString b -> new PointValue.Invalid("meter pushed a bit-string for " + a);
                case DlmsData.Null n -> new PointValue.Invalid("meter pushed null-data for " + a);
                case DlmsData.Structure st -> new PointValue.Invalid("meter pushed a structure for " + a);
                case DlmsData.Array ar -> new PointValue.Invalid("meter pushed an array for " + a);
            };
        } catch (MalformedException e) {
            return new PointValue.Invalid(a + ": " + e.getMessage());
        }
    }

    private static PointValue number(Valued v, BigDecimal raw) {
        BigDecimal x = v.point().scaling().apply(raw.scaleByPowerOfTen(v.scaler() - v.exponent()));
        return new PointValue.Number(x.scale() < 0 ? x.setScale(0) : x);
    }

    private static boolean isDateTime(CosemAddress a) {
        return (a.classId() == 8 && a.attribute() == 2) || (a.classId() == 4 && a.attribute() == 5);
    }

    /** Printable ASCII as text (serial numbers), anything else as hex. */
    private static String text(byte[] b) {
        boolean printable = b.length > 0;
        for (byte x : b) {
            if (x < 0x20 || x > 0x7E) {
                printable = false;
                break;
            }
        }
        return printable ? new String(b, StandardCharsets.US_ASCII).trim()
                : HexFormat.of().withUpperCase().formatHex(b);
    }
}

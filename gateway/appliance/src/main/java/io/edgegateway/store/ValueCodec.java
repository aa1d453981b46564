package io.edgegateway.store;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.StatusReport;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one stored event. A reading is a list of (point, value) pairs sorted by point id, each id coded as
 * the step from the previous one, shifted left by one with the low bit saying whether the hub counted the value as
 * changed (beyond its deadband); a value is a tag byte and its payload. Numbers are stored as the reading shows them (rounded to the
 * point's decimals) as an unscaled integer and a scale, so 230.5 V costs three bytes and the documented JSON is
 * rebuilt exactly. See docs/storage.md for the layout.
 */
final class ValueCodec {

    // Tags. A number whose scale s is 0..14 has tag NUMBER + s, then its unscaled value as a zig-zag varint.
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int TEXT = 3;
    private static final int INVALID = 4;
    /** A number of any scale or size: zig-zag scale, byte count, two's complement bytes. */
    private static final int BIG = 5;
    private static final int NUMBER = 16;

    private ValueCodec() {
    }

    /**
     * A point id with the value the reading shows.
     *
     * @param changed the hub published this value as a change (a resumed stream filters by it)
     */
    record Entry(int pointId, PointValue value, boolean changed) {
    }

    /** The value as the reading shows it: rounded to the point's decimals; what the store keeps and compares. */
    static PointValue shown(Point p, PointValue v) {
        if (v instanceof PointValue.Number n) {
            BigDecimal d = p.decimals() == Point.AS_DECODED ? n.value().stripTrailingZeros()
                    : n.value().setScale(p.decimals(), RoundingMode.HALF_UP);
            d = d.scale() < 0 ? d.setScale(0) : d;
            return d == n.value() ? v : new PointValue.Number(d); // already as shown: every poll, every point
        }
        return v;
    }

    static byte[] encode(List<Entry> entries) {
        Bytes out = new Bytes(8 + 4 * entries.size());
        int last = 0;
        for (Entry e : entries) {
            varint(out, ((long) (e.pointId() - last) << 1) | (e.changed() ? 1 : 0));
            last = e.pointId();
            switch (e.value()) {
                case PointValue.Number n -> number(out, n.value());
                case PointValue.Flag f -> out.write(f.on() ? TRUE : FALSE);
                case PointValue.Text t -> text(out, TEXT, t.text());
                case PointValue.Invalid i -> text(out, INVALID, i.reason());
            }
        }
        return out.toByteArray();
    }

    static List<Entry> decode(byte[] b) {
        List<Entry> out = new ArrayList<>();
        int[] at = {0};
        int id = 0;
        while (at[0] < b.length) {
            long step = readVarint(b, at);
            id += (int) (step >>> 1);
            boolean changed = (step & 1) != 0;
            int tag = b[at[0]++] & 0xFF;
            PointValue v;
            if (tag >= NUMBER) {
                long unscaled = unzigzag(readVarint(b, at));
                v = new PointValue.Number(BigDecimal.valueOf(unscaled, tag - NUMBER));
            } else {
                v = switch (tag) {
                    case FALSE -> new PointValue.Flag(false);
                    case TRUE -> new PointValue.Flag(true);
                    case TEXT -> new PointValue.Text(readText(b, at));
                    case INVALID -> new PointValue.Invalid(readText(b, at));
                    case BIG -> {
                        int scale = (int) unzigzag(readVarint(b, at));
                        int n = (int) readVarint(b, at);
                        byte[] mag = java.util.Arrays.copyOfRange(b, at[0], at[0] + n);
                        at[0] += n;
                        yield new PointValue.Number(new BigDecimal(new BigInteger(mag), scale));
                    }
                    default -> throw new IllegalArgumentException("stored value with unknown tag " + tag);
                };
            }
            out.add(new Entry(id, v, changed));
        }
        return out;
    }

    /** A status transition: the status, when the meter was last seen, and why. */
    static byte[] encode(StatusReport s) {
        Bytes out = new Bytes(32);
        out.write(s.status().ordinal());
        varint(out, s.lastSeen() == null ? 0 : s.lastSeen().toEpochMilli() + 1);
        byte[] detail = s.detail() == null ? new byte[0] : s.detail().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(detail);
        return out.toByteArray();
    }

    static StatusReport decodeStatus(String meterNo, byte[] b) {
        int[] at = {1};
        long seen = readVarint(b, at);
        String detail = at[0] < b.length ? new String(b, at[0], b.length - at[0], StandardCharsets.UTF_8) : null;
        return new StatusReport(meterNo, MeterStatus.values()[b[0]], seen == 0 ? null : Instant.ofEpochMilli(seen - 1),
                detail);
    }

    private static void number(Bytes out, BigDecimal d) {
        int scale = d.scale();
        BigInteger u = d.unscaledValue();
        if (scale >= 0 && scale <= 14 && u.bitLength() < 63) {
            out.write(NUMBER + scale);
            varint(out, zigzag(u.longValue()));
        } else {
            out.write(BIG);
            varint(out, zigzag(scale));
            byte[] mag = u.toByteArray();
            varint(out, mag.length);
            out.writeBytes(mag);
        }
    }

    private static void text(Bytes out, int tag, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(tag);
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static String readText(byte[] b, int[] at) {
        int n = (int) readVarint(b, at);
        String s = new String(b, at[0], n, StandardCharsets.UTF_8);
        at[0] += n;
        return s;
    }

    static void varint(Bytes out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static long readVarint(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = b[at[0]++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint longer than 64 bits");
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growing byte buffer; ByteArrayOutputStream's methods are synchronized, and this is one writer's. */
    static final class Bytes {
        private byte[] b;
        private int n;

        Bytes(int capacity) {
            b = new byte[capacity];
        }

        void write(int x) {
            if (n == b.length) {
                b = java.util.Arrays.copyOf(b, b.length * 2);
            }
            b[n++] = (byte) x;
        }

        void writeBytes(byte[] x) {
            if (n + x.length > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, n + x.length));
            }
            System.arraycopy(x, 0, b, n, x.length);
            n += x.length;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(b, n);
        }
    }
}

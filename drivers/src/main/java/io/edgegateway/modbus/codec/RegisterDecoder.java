package io.edgegateway.modbus.codec;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Decodes Modbus register and bit data into point values, applying type, byte/word order and scaling. */
public final class RegisterDecoder {

    private RegisterDecoder() {
    }

    /** Decodes {@code point} (which must have a Modbus address) from a block that covers it, then scales it. */
    public static PointValue decode(Point point, RegisterBlock block) {
        if (!(point.address() instanceof ModbusAddress a)) {
            throw new IllegalArgumentException(point.name() + " is not a Modbus point");
        }
        PointValue raw = decodeRaw(a, block);
        if (raw instanceof PointValue.Number n && !point.scaling().isIdentity()) {
            return new PointValue.Number(point.scaling().apply(n.value()));
        }
        return raw;
    }

    /** Decodes the unscaled value at {@code a}. */
    public static PointValue decodeRaw(ModbusAddress a, RegisterBlock block) {
        if (block.table() != a.table() || !block.covers(a.address(), a.size())) {
            throw new IllegalArgumentException("block " + block.table().configName() + " " + block.start() + "+"
                    + block.count() + " does not cover " + a.describe());
        }
        if (a.table().isBits()) {
            return new PointValue.Flag(block.bit(a.address()));
        }
        return decodeAt(a, block.data(), 2 * (a.address() - block.start()));
    }

    /** Decodes the raw bytes of exactly this point's registers, as they came off the wire. */
    public static PointValue decodeRegisters(ModbusAddress a, byte[] wire) {
        return decodeAt(a, wire, 0);
    }

    // Numbers are assembled straight from the wire bytes, without copies: the driver decodes every point of every
    // poll, and this is most of its cost above bare j2mod (bin/bench modbus).
    private static PointValue decodeAt(ModbusAddress a, byte[] data, int offset) {
        DataType type = a.type();
        if (type == DataType.BOOL) {
            int word = ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
            return new PointValue.Flag(((word >> a.bit()) & 1) != 0);
        }
        if (type == DataType.STRING) {
            byte[] wire = Arrays.copyOfRange(data, offset, offset + 2 * a.size());
            byte[] text = a.order().swapBytes() ? swapPairs(wire) : wire;
            return new PointValue.Text(asciiText(text));
        }
        long v = bigEndian(data, offset, type.words(), a.order());
        return switch (type) {
            case INT16 -> PointValue.of((short) v);
            case UINT16 -> PointValue.of(v & 0xFFFF);
            case INT32 -> PointValue.of((int) v);
            case UINT32 -> PointValue.of(v & 0xFFFF_FFFFL);
            case INT64 -> PointValue.of(v);
            case UINT64 -> v >= 0 ? PointValue.of(v)
                    : new PointValue.Number(new BigDecimal(new BigInteger(Long.toUnsignedString(v))));
            case FLOAT32 -> float32(Float.intBitsToFloat((int) v));
            case FLOAT64 -> PointValue.of(Double.longBitsToDouble(v));
            case BOOL, STRING -> throw new AssertionError(type);
        };
    }

    /**
     * The value of {@code words} registers at {@code offset} as one big-endian number: the same reordering as
     * {@link io.edgegateway.point.WordOrder#toBigEndian}, without building the reordered array.
     */
    private static long bigEndian(byte[] data, int offset, int words, io.edgegateway.point.WordOrder order) {
        long v = 0;
        for (int w = 0; w < words; w++) {
            int src = offset + 2 * (order.reverseWords() ? words - 1 - w : w);
            int hi = data[src] & 0xFF;
            int lo = data[src + 1] & 0xFF;
            v = (v << 16) | (order.swapBytes() ? (lo << 8) | hi : (hi << 8) | lo);
        }
        return v;
    }

    // Float.toString gives the shortest decimal that round-trips, so 230.5f shows as 230.5, not 230.5000000xx.
    private static PointValue float32(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return new PointValue.Invalid("not a finite number: " + f);
        }
        return new PointValue.Number(shortestDecimal(Float.toString(f)));
    }

    /**
     * {@code new BigDecimal(s)} for the output of {@link Float#toString} ("230.5", "-1.0E-5", "1.23456E7"), with
     * the same unscaled value and scale, parsed without BigDecimal's general-purpose string parser.
     */
    static BigDecimal shortestDecimal(String s) {
        long unscaled = 0;
        int scale = 0;
        int digits = 0;
        boolean negative = false;
        boolean fraction = false;
        int i = 0;
        int n = s.length();
        if (s.charAt(0) == '-') {
            negative = true;
            i = 1;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                fraction = true;
            } else if (c == 'E') {
                scale -= Integer.parseInt(s, i + 1, n, 10);
                break;
            } else {
                unscaled = unscaled * 10 + (c - '0');
                digits++;
                if (fraction) {
                    scale++;
                }
            }
        }
        if (digits > 18) {
            return new BigDecimal(s); // cannot happen for a float (at most 9 significant digits), but stay exact
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
    }

    private static byte[] swapPairs(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i + 1 < in.length; i += 2) {
            out[i] = in[i + 1];
            out[i + 1] = in[i];
        }
        return out;
    }

    // Devices pad names with NUL or spaces; anything outside printable ASCII would break the JSON consumer's display.
    private static String asciiText(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        String s = new String(bytes, 0, end, StandardCharsets.US_ASCII);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString().strip();
    }
}

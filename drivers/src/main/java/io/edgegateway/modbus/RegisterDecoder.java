package io.edgegateway.modbus;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
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
        if (raw instanceof PointValue.Number n) {
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
        int offset = 2 * (a.address() - block.start());
        byte[] wire = Arrays.copyOfRange(block.data(), offset, offset + 2 * a.size());
        return decodeRegisters(a, wire);
    }

    /** Decodes the raw bytes of exactly this point's registers, as they came off the wire. */
    public static PointValue decodeRegisters(ModbusAddress a, byte[] wire) {
        DataType type = a.type();
        if (type == DataType.BOOL) {
            int word = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
            return new PointValue.Flag(((word >> a.bit()) & 1) != 0);
        }
        if (type == DataType.STRING) {
            byte[] text = a.order().swapBytes() ? swapPairs(wire) : wire;
            return new PointValue.Text(asciiText(text));
        }
        ByteBuffer be = ByteBuffer.wrap(a.order().toBigEndian(wire));
        return switch (type) {
            case INT16 -> PointValue.of(be.getShort());
            case UINT16 -> PointValue.of(be.getShort() & 0xFFFF);
            case INT32 -> PointValue.of(be.getInt());
            case UINT32 -> PointValue.of(be.getInt() & 0xFFFF_FFFFL);
            case INT64 -> PointValue.of(be.getLong());
            case UINT64 -> new PointValue.Number(new BigDecimal(new BigInteger(1, be.array())));
            case FLOAT32 -> float32(be.getFloat());
            case FLOAT64 -> PointValue.of(be.getDouble());
            case BOOL, STRING -> throw new AssertionError(type);
        };
    }

    // Float.toString gives the shortest decimal that round-trips, so 230.5f shows as 230.5, not 230.5000000xx.
    private static PointValue float32(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return new PointValue.Invalid("not a finite number: " + f);
        }
        return new PointValue.Number(new BigDecimal(Float.toString(f)));
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

package io.edgegateway.modbus.codec;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes engineering values into register bytes as a device would send them: the inverse of
 * {@link RegisterDecoder}. Used by simulators and for writes to setpoints.
 */
public final class RegisterEncoder {

    private RegisterEncoder() {
    }

    /**
     * Encodes {@code value} (in engineering units) for {@code point}: unscale, round to the type, order bytes.
     *
     * @return wire bytes, two per register; for bit tables one byte, 0 or 1
     * @throws IllegalArgumentException when the value does not fit the point's type
     */
    public static byte[] encode(Point point, PointValue value) {
        if (!(point.address() instanceof ModbusAddress a)) {
            throw new IllegalArgumentException(point.name() + " is not a Modbus point");
        }
        return switch (value) {
            case PointValue.Flag f -> encodeFlag(a, f.on());
            case PointValue.Number n -> encodeNumber(a, point.scaling().unapply(n.value()));
            case PointValue.Text t -> encodeText(a, t.text());
            case PointValue.Invalid i -> throw new IllegalArgumentException("cannot encode an invalid value");
        };
    }

    /** Encodes an unscaled number for the address's type and order. */
    public static byte[] encodeNumber(ModbusAddress a, BigDecimal raw) {
        DataType type = a.type();
        if (type == DataType.BOOL) {
            return encodeFlag(a, raw.signum() != 0);
        }
        if (type == DataType.STRING) {
            return encodeText(a, raw.toPlainString());
        }
        ByteBuffer be = ByteBuffer.allocate(2 * type.words());
        switch (type) {
            case FLOAT32 -> be.putFloat(raw.floatValue());
            case FLOAT64 -> be.putDouble(raw.doubleValue());
            default -> {
                BigInteger i = raw.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
                checkRange(type, i);
                switch (type) {
                    case INT16, UINT16 -> be.putShort((short) i.intValue());
                    case INT32, UINT32 -> be.putInt((int) i.longValue());
                    case INT64, UINT64 -> be.putLong(i.longValue());
                    default -> throw new AssertionError(type);
                }
            }
        }
        return a.order().toBigEndian(be.array());
    }

    private static void checkRange(DataType type, BigInteger i) {
        int bits = 16 * type.words();
        BigInteger min = type.signed() ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
        BigInteger max = type.signed() ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (i.compareTo(min) < 0 || i.compareTo(max) > 0) {
            throw new IllegalArgumentException(i + " does not fit " + type.configName());
        }
    }

    private static byte[] encodeFlag(ModbusAddress a, boolean on) {
        if (a.table().isBits()) {
            return new byte[] {(byte) (on ? 1 : 0)};
        }
        int word = on ? 1 << a.bit() : 0;
        return new byte[] {(byte) (word >> 8), (byte) word};
    }

    private static byte[] encodeText(ModbusAddress a, String text) {
        byte[] out = new byte[2 * a.size()];
        byte[] chars = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chars, 0, out, 0, Math.min(chars.length, out.length));
        if (a.order().swapBytes()) {
            for (int i = 0; i + 1 < out.length; i += 2) {
                byte t = out[i];
                out[i] = out[i + 1];
                out[i + 1] = t;
            }
        }
        return out;
    }
}

package io.edgegateway.sim.modbus;

import io.edgegateway.point.Table;

import java.util.Arrays;

/**
 * Modbus PDUs from the server side, written from the Modbus Application Protocol specification v1.1b3 section 6
 * (and independent of j2mod, which the driver uses: a bug on one side cannot hide behind the same bug on the other).
 * Requests are decoded with the spec's validity checks: a malformed request decodes to {@link Malformed} carrying
 * the exception code the spec prescribes.
 */
public final class Pdu {

    public static final int READ_COILS = 0x01;
    public static final int READ_DISCRETE_INPUTS = 0x02;
    public static final int READ_HOLDING_REGISTERS = 0x03;
    public static final int READ_INPUT_REGISTERS = 0x04;
    public static final int WRITE_SINGLE_COIL = 0x05;
    public static final int WRITE_SINGLE_REGISTER = 0x06;
    public static final int WRITE_MULTIPLE_COILS = 0x0F;
    public static final int WRITE_MULTIPLE_REGISTERS = 0x10;

    public static final int ILLEGAL_FUNCTION = 0x01;
    public static final int ILLEGAL_DATA_ADDRESS = 0x02;
    public static final int ILLEGAL_DATA_VALUE = 0x03;
    public static final int SERVER_DEVICE_FAILURE = 0x04;
    public static final int GATEWAY_TARGET_FAILED = 0x0B;

    /** A decoded request. */
    public sealed interface Request permits ReadBits, ReadRegisters, WriteCoil, WriteRegister, WriteCoils,
            WriteRegisters, Malformed {
        int function();

        /** Whether it changes the device (broadcasts execute only these). */
        default boolean isWrite() {
            return this instanceof WriteCoil || this instanceof WriteRegister || this instanceof WriteCoils
                    || this instanceof WriteRegisters;
        }
    }

    /** Functions 1 and 2. */
    public record ReadBits(int function, Table table, int start, int count) implements Request {
    }

    /** Functions 3 and 4. */
    public record ReadRegisters(int function, Table table, int start, int count) implements Request {
    }

    /** Function 5. */
    public record WriteCoil(int address, boolean on) implements Request {
        @Override
        public int function() {
            return WRITE_SINGLE_COIL;
        }
    }

    /** Function 6. */
    public record WriteRegister(int address, int value) implements Request {
        @Override
        public int function() {
            return WRITE_SINGLE_REGISTER;
        }
    }

    /** Function 15. */
    public record WriteCoils(int start, boolean[] values) implements Request {
        @Override
        public int function() {
            return WRITE_MULTIPLE_COILS;
        }
    }

    /** Function 16; {@code data} holds two bytes per register as sent. */
    public record WriteRegisters(int start, byte[] data) implements Request {
        @Override
        public int function() {
            return WRITE_MULTIPLE_REGISTERS;
        }

        public int count() {
            return data.length / 2;
        }
    }

    /** A request the spec says to refuse with {@code exceptionCode}. */
    public record Malformed(int function, int exceptionCode) implements Request {
    }

    private Pdu() {
    }

    /** The request a range of items makes, once its start and count are checked. */
    private interface RangeRequest {
        Request of(int start, int count);
    }

    /** A read of 1..{@code max} items from a start address, checked as the spec orders the checks. */
    private static Request read(byte[] pdu, int function, int max, RangeRequest request) {
        if (pdu.length != 5) {
            return new Malformed(function, ILLEGAL_DATA_VALUE);
        }
        int start = u16(pdu, 1);
        int count = u16(pdu, 3);
        if (count < 1 || count > max) {
            return new Malformed(function, ILLEGAL_DATA_VALUE);
        }
        if (start + count > 0x10000) {
            return new Malformed(function, ILLEGAL_DATA_ADDRESS);
        }
        return request.of(start, count);
    }

    /**
     * A write of 1..{@code max} items with its byte count, which must be {@code bytesFor(count)} and match the
     * data that follows.
     */
    private static Request write(byte[] pdu, int function, int max, java.util.function.IntUnaryOperator bytesFor,
                                 RangeRequest request) {
        if (pdu.length < 6) {
            return new Malformed(function, ILLEGAL_DATA_VALUE);
        }
        int start = u16(pdu, 1);
        int count = u16(pdu, 3);
        int bytes = pdu[5] & 0xFF;
        if (count < 1 || count > max || bytes != bytesFor.applyAsInt(count) || pdu.length != 6 + bytes) {
            return new Malformed(function, ILLEGAL_DATA_VALUE);
        }
        if (start + count > 0x10000) {
            return new Malformed(function, ILLEGAL_DATA_ADDRESS);
        }
        return request.of(start, count);
    }

    /** Decodes a request PDU (function code first). Never throws. */
    public static Request decode(byte[] pdu) {
        if (pdu.length == 0) {
            return new Malformed(0, ILLEGAL_FUNCTION);
        }
        int function = pdu[0] & 0xFF;
        return switch (function) {
            case READ_COILS, READ_DISCRETE_INPUTS -> read(pdu, function, 2000, (start, count) ->
                    new ReadBits(function, function == READ_COILS ? Table.COIL : Table.DISCRETE_INPUT, start, count));
            case READ_HOLDING_REGISTERS, READ_INPUT_REGISTERS -> read(pdu, function, 125, (start, count) ->
                    new ReadRegisters(function, function == READ_HOLDING_REGISTERS ? Table.HOLDING : Table.INPUT,
                            start, count));
            case WRITE_SINGLE_COIL -> {
                if (pdu.length != 5) {
                    yield new Malformed(function, ILLEGAL_DATA_VALUE);
                }
                int value = u16(pdu, 3);
                if (value != 0xFF00 && value != 0x0000) {
                    yield new Malformed(function, ILLEGAL_DATA_VALUE);
                }
                yield new WriteCoil(u16(pdu, 1), value == 0xFF00);
            }
            case WRITE_SINGLE_REGISTER -> pdu.length != 5 ? new Malformed(function, ILLEGAL_DATA_VALUE)
                    : new WriteRegister(u16(pdu, 1), u16(pdu, 3));
            case WRITE_MULTIPLE_COILS -> write(pdu, function, 0x07B0, count -> (count + 7) / 8, (start, count) -> {
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    values[i] = (pdu[6 + i / 8] >> (i % 8) & 1) != 0;
                }
                return new WriteCoils(start, values);
            });
            case WRITE_MULTIPLE_REGISTERS -> write(pdu, function, 0x007B, count -> 2 * count,
                    (start, count) -> new WriteRegisters(start, Arrays.copyOfRange(pdu, 6, 6 + 2 * count)));
            default -> new Malformed(function, ILLEGAL_FUNCTION);
        };
    }

    /** Answer to function 1 or 2: byte count, then the bits packed from bit 0 of the first byte. */
    public static byte[] bitsAnswer(int function, boolean[] bits) {
        int bytes = (bits.length + 7) / 8;
        byte[] out = new byte[2 + bytes];
        out[0] = (byte) function;
        out[1] = (byte) bytes;
        for (int i = 0; i < bits.length; i++) {
            if (bits[i]) {
                out[2 + i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }

    /** Answer to function 3 or 4: byte count, then the registers' bytes as given. */
    public static byte[] registersAnswer(int function, byte[] data) {
        byte[] out = new byte[2 + data.length];
        out[0] = (byte) function;
        out[1] = (byte) data.length;
        System.arraycopy(data, 0, out, 2, data.length);
        return out;
    }

    /** Answer to a write: functions 5 and 6 echo the request, 15 and 16 echo its address and quantity. */
    public static byte[] writeAnswer(byte[] requestPdu) {
        int function = requestPdu[0] & 0xFF;
        int length = function == WRITE_MULTIPLE_COILS || function == WRITE_MULTIPLE_REGISTERS ? 5 : requestPdu.length;
        return Arrays.copyOf(requestPdu, length);
    }

    /** Exception answer: the function code with its high bit set, then the exception code. */
    public static byte[] exception(int function, int code) {
        return new byte[] {(byte) (function | 0x80), (byte) code};
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }
}

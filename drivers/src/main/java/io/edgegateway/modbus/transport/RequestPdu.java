package io.edgegateway.modbus.transport;

import io.edgegateway.point.Table;

import java.util.Locale;

/**
 * The requests the gateway sends, as values: reads of the four tables (functions 1-4) and the four writes
 * (5, 6, 15, 16). {@link PduCodec} turns them into bytes.
 */
public sealed interface RequestPdu {

    /** The function code. */
    int function();

    /** Bytes of the answer's PDU when it succeeds (function code included), for framing and deadlines. */
    int answerLength();

    /** "FC03 holding 0x006B+3", for messages; formatted only when a message is made. */
    String describe();

    /** Function 1, 2, 3 or 4: {@code count} bits or registers of {@code table} from {@code start}. */
    record Read(Table table, int start, int count) implements RequestPdu {
        public Read {
            check(table, start, count, table.maxPerRead());
        }

        @Override
        public int function() {
            return table.readFunction();
        }

        @Override
        public int answerLength() {
            return 2 + (table.isBits() ? (count + 7) / 8 : 2 * count);
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "FC%02d %s 0x%04X+%d", function(), table.configName(), start, count);
        }
    }

    /** Function 5: one coil on or off. */
    record WriteCoil(int address, boolean on) implements RequestPdu {
        public WriteCoil {
            check(Table.COIL, address, 1, 1);
        }

        @Override
        public int function() {
            return 5;
        }

        @Override
        public int answerLength() {
            return 5;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "FC05 coil 0x%04X=%s", address, on ? "ON" : "OFF");
        }
    }

    /** Function 6: one holding register, {@code value} 0..65535. */
    record WriteRegister(int address, int value) implements RequestPdu {
        public WriteRegister {
            check(Table.HOLDING, address, 1, 1);
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("register value " + value + " does not fit 16 bits");
            }
        }

        @Override
        public int function() {
            return 6;
        }

        @Override
        public int answerLength() {
            return 5;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "FC06 holding 0x%04X=0x%04X", address, value);
        }
    }

    /** Function 15: {@code values.length} coils (1..1968) from {@code start}. */
    record WriteCoils(int start, boolean[] values) implements RequestPdu {
        public WriteCoils {
            values = values.clone();
            check(Table.COIL, start, values.length, 1968);
        }

        @Override
        public int function() {
            return 15;
        }

        @Override
        public int answerLength() {
            return 5;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "FC15 coil 0x%04X+%d", start, values.length);
        }
    }

    /** Function 16: registers from {@code start}, two bytes each in {@code data} (1..123 registers). */
    record WriteRegisters(int start, byte[] data) implements RequestPdu {
        public WriteRegisters {
            if (data.length == 0 || data.length % 2 != 0) {
                throw new IllegalArgumentException("register data must be a non-empty even number of bytes");
            }
            data = data.clone();
            check(Table.HOLDING, start, data.length / 2, 123);
        }

        public int count() {
            return data.length / 2;
        }

        @Override
        public int function() {
            return 16;
        }

        @Override
        public int answerLength() {
            return 5;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "FC16 holding 0x%04X+%d", start, count());
        }
    }

    private static void check(Table table, int start, int count, int max) {
        if (count < 1 || count > max) {
            throw new IllegalArgumentException(table.configName() + " count " + count + " outside 1.." + max);
        }
        if (start < 0 || start + count - 1 > 0xFFFF) {
            throw new IllegalArgumentException(table.configName() + " range " + start + "+" + count
                    + " outside 0..65535");
        }
    }
}

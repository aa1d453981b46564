package io.edgegateway.point;

import java.util.Locale;

/**
 * A point's place in a Modbus device: table, 0-based protocol address, data type and byte/word order.
 *
 * @param table   coil, discrete input, holding or input register
 * @param address 0-based address as sent on the wire (manual "register 3028" is address 3027)
 * @param type    data type; bit tables only allow {@link DataType#BOOL}
 * @param order   byte/word order for multi-register and byte-swapped values
 * @param bit     bit index 0-15 for a BOOL inside a register, -1 otherwise
 * @param length  number of registers of a STRING, 0 otherwise
 */
public record ModbusAddress(Table table, int address, DataType type, WordOrder order, int bit, int length)
        implements PointAddress {

    public ModbusAddress {
        if (table == null || type == null || order == null) {
            throw new IllegalArgumentException("table, type and order are required");
        }
        if (address < 0 || address > 0xFFFF) {
            throw new IllegalArgumentException("address " + address + " out of range 0..65535");
        }
        if (table.isBits() && type != DataType.BOOL) {
            throw new IllegalArgumentException(table.configName() + " points must be bool, not " + type.configName());
        }
        if (!table.isBits() && type == DataType.BOOL && (bit < 0 || bit > 15)) {
            throw new IllegalArgumentException("a bool in a register needs bit 0..15, got " + bit);
        }
        if (type != DataType.BOOL && bit != -1) {
            throw new IllegalArgumentException("bit is only allowed for bool points");
        }
        if (type == DataType.STRING && (length < 1 || length > 125)) {
            throw new IllegalArgumentException("a string needs length 1..125 registers, got " + length);
        }
        if (type != DataType.STRING && length != 0) {
            throw new IllegalArgumentException("length is only allowed for string points");
        }
        if (address + (type == DataType.STRING ? length : Math.max(1, type.words())) - 1 > 0xFFFF) {
            throw new IllegalArgumentException("point runs past address 65535");
        }
    }

    /** A plain big-endian register or bit point. */
    public static ModbusAddress of(Table table, int address, DataType type) {
        return new ModbusAddress(table, address, type, WordOrder.ABCD, -1, 0);
    }

    /** Registers (or bits, for bit tables) this point occupies. */
    public int size() {
        if (table.isBits()) {
            return 1;
        }
        return type == DataType.STRING ? length : type.words();
    }

    /** Last address occupied, inclusive. */
    public int end() {
        return address + size() - 1;
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder(table.configName()).append(' ')
                .append(String.format(Locale.ROOT, "0x%04X", address)).append(' ').append(type.configName());
        if (type.words() > 1 || (type == DataType.STRING && order.swapBytes())) {
            b.append(' ').append(order);
        }
        if (bit >= 0) {
            b.append(" bit ").append(bit);
        }
        if (type == DataType.STRING) {
            b.append('[').append(length).append(']');
        }
        return b.toString();
    }
}

package io.edgegateway.modbus.codec;

import io.edgegateway.point.Table;

/**
 * The data one read returned: {@code count} registers (two bytes each, as on the wire) or {@code count} bits
 * (one byte each, 0 or 1) of {@code table} starting at {@code start}.
 */
public record RegisterBlock(Table table, int start, int count, byte[] data) {

    public RegisterBlock {
        int expected = table.isBits() ? count : 2 * count;
        if (data.length != expected) {
            throw new IllegalArgumentException("block of " + count + (table.isBits() ? " bits" : " registers")
                    + " needs " + expected + " bytes, got " + data.length);
        }
    }

    /** Whether the block holds the whole range [address, address + size). */
    public boolean covers(int address, int size) {
        return address >= start && address + size <= start + count;
    }

    /** Register at {@code address} as an unsigned 16-bit value. */
    public int register(int address) {
        int i = 2 * (address - start);
        return ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
    }

    /** Bit at {@code address} of a coil or discrete block. */
    public boolean bit(int address) {
        return data[address - start] != 0;
    }
}

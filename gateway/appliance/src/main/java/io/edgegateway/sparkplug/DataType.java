package io.edgegateway.sparkplug;

/** Sparkplug B's scalar data types, with their codes from the specification's DataType enum. */
public enum DataType {
    INT8(1), INT16(2), INT32(3), INT64(4), UINT8(5), UINT16(6), UINT32(7), UINT64(8), FLOAT(9), DOUBLE(10),
    BOOLEAN(11), STRING(12), DATETIME(13), TEXT(14);

    private final int code;

    DataType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether the value goes in the payload's 64-bit {@code long_value}, not the 32-bit {@code int_value}. */
    public boolean wide() {
        return this == INT64 || this == UINT64 || this == DATETIME;
    }

    /** The type of {@code code}, or null for the non-scalar ones (DataSet, Template, ...) the gateway does not read. */
    public static DataType of(int code) {
        for (DataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}

package io.edgegateway.sparkplug;

/** The Sparkplug B data types the gateway sends, with their codes from the specification's DataType enum. */
public enum DataType {
    INT64(4), UINT64(8), DOUBLE(10), BOOLEAN(11), STRING(12);

    private final int code;

    DataType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type of {@code code}, or null for one the gateway neither sends nor reads. */
    public static DataType of(int code) {
        for (DataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}

package io.edgegateway.dlms.axdr;

/** The A-XDR type tags of COSEM data (the {@code Data} CHOICE), with the value ranges of the integer types. */
public enum DataTag {
    NULL_DATA(0, "null-data", 0, 0, 0),
    ARRAY(1, "array", 0, 0, 0),
    STRUCTURE(2, "structure", 0, 0, 0),
    BOOLEAN(3, "boolean", 0, 0, 0),
    BIT_STRING(4, "bit-string", 0, 0, 0),
    DOUBLE_LONG(5, "double-long", 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    DOUBLE_LONG_UNSIGNED(6, "double-long-unsigned", 4, 0, 0xFFFF_FFFFL),
    OCTET_STRING(9, "octet-string", 0, 0, 0),
    VISIBLE_STRING(10, "visible-string", 0, 0, 0),
    UTF8_STRING(12, "utf8-string", 0, 0, 0),
    BCD(13, "bcd", 1, -128, 127),
    INTEGER(15, "integer", 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
    LONG(16, "long", 2, Short.MIN_VALUE, Short.MAX_VALUE),
    UNSIGNED(17, "unsigned", 1, 0, 0xFF),
    LONG_UNSIGNED(18, "long-unsigned", 2, 0, 0xFFFF),
    COMPACT_ARRAY(19, "compact-array", 0, 0, 0),
    LONG64(20, "long64", 8, Long.MIN_VALUE, Long.MAX_VALUE),
    LONG64_UNSIGNED(21, "long64-unsigned", 8, 0, Long.MAX_VALUE),
    ENUM(22, "enum", 1, 0, 0xFF),
    FLOAT32(23, "float32", 4, 0, 0),
    FLOAT64(24, "float64", 8, 0, 0),
    DATE_TIME(25, "date-time", 12, 0, 0),
    DATE(26, "date", 5, 0, 0),
    TIME(27, "time", 4, 0, 0),
    DONT_CARE(255, "dont-care", 0, 0, 0);

    private final int code;
    private final String asn1Name;
    private final int size;
    private final long minimum;
    private final long maximum;

    DataTag(int code, String asn1Name, int size, long minimum, long maximum) {
        this.code = code;
        this.asn1Name = asn1Name;
        this.size = size;
        this.minimum = minimum;
        this.maximum = maximum;
    }

    public int code() {
        return code;
    }

    /** The name used in the standard, e.g. {@code double-long-unsigned}. */
    public String asn1Name() {
        return asn1Name;
    }

    /** Fixed encoded size in bytes after the tag, 0 for variable-size and compound types. */
    public int size() {
        return size;
    }

    /** The smallest value of an integer type. */
    public long minimum() {
        return minimum;
    }

    /** The largest value of an integer type that a long holds (long64-unsigned goes up to 2^64 - 1). */
    public long maximum() {
        return maximum;
    }

    public boolean isInteger() {
        return switch (this) {
            case DOUBLE_LONG, DOUBLE_LONG_UNSIGNED, BCD, INTEGER, LONG, UNSIGNED, LONG_UNSIGNED, LONG64,
                 LONG64_UNSIGNED, ENUM -> true;
            default -> false;
        };
    }

    public boolean isSigned() {
        return switch (this) {
            case DOUBLE_LONG, BCD, INTEGER, LONG, LONG64 -> true;
            default -> false;
        };
    }

    /** The tag with this code, or null for a code that is not a COSEM data type. */
    public static DataTag of(int code) {
        for (DataTag t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}

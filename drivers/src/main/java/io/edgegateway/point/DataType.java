package io.edgegateway.point;

import java.util.Locale;

/**
 * How the raw bits of a point are interpreted. {@link #words()} is the size in 16-bit registers;
 * {@link #STRING} takes its size from the point's length.
 */
public enum DataType {
    INT16(1, true), UINT16(1, false),
    INT32(2, true), UINT32(2, false),
    INT64(4, true), UINT64(4, false),
    FLOAT32(2, true), FLOAT64(4, true),
    /** One bit: a coil or discrete input, or a bit inside a register. */
    BOOL(1, false),
    /** ASCII text, two characters per register. */
    STRING(0, false);

    private final int words;
    private final boolean signed;

    DataType(int words, boolean signed) {
        this.words = words;
        this.signed = signed;
    }

    /** Size in registers; 0 for STRING, whose size is the point's length. */
    public int words() {
        return words;
    }

    public boolean signed() {
        return signed;
    }

    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config name such as {@code float32}, {@code uint16}, {@code bool} (also {@code bit}), {@code string}. */
    public static DataType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "bit", "bool", "boolean" -> BOOL;
            case "float", "real" -> FLOAT32;
            case "double" -> FLOAT64;
            case "ascii", "text" -> STRING;
            default -> {
                for (DataType d : values()) {
                    if (d.configName().equals(t)) {
                        yield d;
                    }
                }
                throw new IllegalArgumentException("unknown type '" + text
                        + "' (expected int16, uint16, int32, uint32, int64, uint64, float32, float64, bool or string)");
            }
        };
    }
}

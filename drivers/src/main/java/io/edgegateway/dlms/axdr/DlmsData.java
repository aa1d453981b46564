package io.edgegateway.dlms.axdr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One COSEM data value as carried in A-XDR. Byte-array components are copied in and compared by content.
 */
public sealed interface DlmsData {

    /** The A-XDR type tag of this value. */
    DataTag tag();

    /** null-data (tag 0). */
    record Null() implements DlmsData {
        public static final Null INSTANCE = new Null();

        @Override
        public DataTag tag() {
            return DataTag.NULL_DATA;
        }
    }

    /** boolean (tag 3). */
    record Bool(boolean value) implements DlmsData {
        @Override
        public DataTag tag() {
            return DataTag.BOOLEAN;
        }
    }

    /** bit-string (tag 4): {@code bits} bits, most significant bit of the first byte first. */
    record BitString(int bits, byte[] bytes) implements DlmsData {
        public BitString {
            if (bits < 0 || bytes.length != (bits + 7) / 8) {
                throw new IllegalArgumentException("a bit-string of " + bits + " bits needs " + (bits + 7) / 8 + " bytes");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public boolean bit(int index) {
            return (bytes[index / 8] & (0x80 >> (index % 8))) != 0;
        }

        @Override
        public DataTag tag() {
            return DataTag.BIT_STRING;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BitString b && b.bits == bits && Arrays.equals(b.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return bits * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "BitString[" + bits + ", " + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    /**
     * Any integer type: integer, long, unsigned, long-unsigned, double-long(-unsigned), long64(-unsigned), enum
     * and bcd. {@code value} holds the number; for long64-unsigned above {@link Long#MAX_VALUE} it holds the
     * same 64 bits (see {@link #decimal()}).
     */
    record Int(DataTag type, long value) implements DlmsData {
        public Int {
            if (!type.isInteger()) {
                throw new IllegalArgumentException(type + " is not an integer type");
            }
            if (type != DataTag.LONG64_UNSIGNED && type != DataTag.LONG64
                    && (value < type.minimum() || value > type.maximum())) {
                throw new IllegalArgumentException(value + " out of range for " + type.asn1Name());
            }
        }

        public static Int of(DataTag type, long value) {
            return new Int(type, value);
        }

        @Override
        public DataTag tag() {
            return type;
        }

        /** The exact value, unsigned 64-bit values included. */
        public BigDecimal decimal() {
            if (type == DataTag.LONG64_UNSIGNED && value < 0) {
                return new BigDecimal(new BigInteger(Long.toUnsignedString(value)));
            }
            return BigDecimal.valueOf(value);
        }
    }

    /** float32 (tag 23). */
    record Float32(float value) implements DlmsData {
        @Override
        public DataTag tag() {
            return DataTag.FLOAT32;
        }
    }

    /** float64 (tag 24). */
    record Float64(double value) implements DlmsData {
        @Override
        public DataTag tag() {
            return DataTag.FLOAT64;
        }
    }

    /** octet-string (tag 9). */
    record OctetString(byte[] value) implements DlmsData {
        public OctetString {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public int length() {
            return value.length;
        }

        @Override
        public DataTag tag() {
            return DataTag.OCTET_STRING;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OctetString s && Arrays.equals(s.value, value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "OctetString[" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** visible-string (tag 10): printable ASCII. */
    record VisibleString(String value) implements DlmsData {
        public VisibleString {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
                throw new IllegalArgumentException("a visible-string is ASCII only");
            }
        }

        @Override
        public DataTag tag() {
            return DataTag.VISIBLE_STRING;
        }
    }

    /** utf8-string (tag 12). */
    record Utf8String(String value) implements DlmsData {
        @Override
        public DataTag tag() {
            return DataTag.UTF8_STRING;
        }
    }

    /** date-time (tag 25), date (tag 26) or time (tag 27), kept as the raw 12, 5 or 4 bytes. */
    record DateTimeValue(DataTag type, byte[] raw) implements DlmsData {
        public DateTimeValue {
            int need = switch (type) {
                case DATE_TIME -> 12;
                case DATE -> 5;
                case TIME -> 4;
                default -> throw new IllegalArgumentException(type + " is not a date/time type");
            };
            if (raw.length != need) {
                throw new IllegalArgumentException(type.asn1Name() + " needs " + need + " bytes, got " + raw.length);
            }
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public DataTag tag() {
            return type;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DateTimeValue d && d.type == type && Arrays.equals(d.raw, raw);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(raw);
        }

        @Override
        public String toString() {
            return type.asn1Name() + "[" + HexFormat.of().formatHex(raw) + "]";
        }
    }

    /** structure (tag 2): an ordered list of values of any types. */
    record Structure(List<DlmsData> elements) implements DlmsData {
        public Structure {
            elements = List.copyOf(elements);
        }

        public static Structure of(DlmsData... elements) {
            return new Structure(List.of(elements));
        }

        public DlmsData get(int i) {
            return elements.get(i);
        }

        @Override
        public DataTag tag() {
            return DataTag.STRUCTURE;
        }
    }

    /** array (tag 1): values of one type. */
    record Array(List<DlmsData> elements) implements DlmsData {
        public Array {
            elements = List.copyOf(elements);
        }

        @Override
        public DataTag tag() {
            return DataTag.ARRAY;
        }
    }
}

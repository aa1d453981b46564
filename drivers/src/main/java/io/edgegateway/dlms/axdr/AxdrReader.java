package io.edgegateway.dlms.axdr;

import io.edgegateway.dlms.MalformedException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads A-XDR from a byte array: COSEM data values and the primitives APDUs are built from. */
public final class AxdrReader {

    /** Deeper nesting than this is refused, so a hostile frame cannot exhaust the stack. */
    private static final int MAX_DEPTH = 16;

    private final byte[] buffer;
    private int position;
    private final int end;

    public AxdrReader(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    public AxdrReader(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("range outside the buffer");
        }
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
    }

    /** Decodes exactly one value filling the whole array. */
    public static DlmsData decode(byte[] encoded) {
        AxdrReader r = new AxdrReader(encoded);
        DlmsData d = r.data();
        r.expectEnd();
        return d;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return end - position;
    }

    public boolean hasRemaining() {
        return position < end;
    }

    public void expectEnd() {
        if (position != end) {
            throw new MalformedException((end - position) + " unexpected bytes after the value");
        }
    }

    private void need(int n) {
        if (n < 0 || end - position < n) {
            throw new MalformedException("truncated: needs " + n + " more bytes, " + (end - position) + " left");
        }
    }

    public int u8() {
        need(1);
        return buffer[position++] & 0xFF;
    }

    public int u16() {
        need(2);
        int v = ((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF);
        position += 2;
        return v;
    }

    public long u32() {
        return bigEndian(4);
    }

    public long s64() {
        return bigEndian(8);
    }

    /** The next {@code n} bytes (at most 8) as an unsigned big-endian number; 8 bytes wrap to a signed long. */
    private long bigEndian(int n) {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buffer[position++] & 0xFF);
        }
        return v;
    }

    public byte[] bytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(buffer, position, position + n);
        position += n;
        return out;
    }

    /** The rest of the input. */
    public byte[] rest() {
        return bytes(end - position);
    }

    /** A-XDR length: one byte below 0x80, else 0x8N followed by N bytes (N at most 4 here). */
    public int length() {
        int first = u8();
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7F;
        if (n == 0 || n > 4) {
            throw new MalformedException("unsupported length encoding 0x" + Integer.toHexString(first));
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | u8();
        }
        if (v > Integer.MAX_VALUE) {
            throw new MalformedException("length " + v + " too large");
        }
        return (int) v;
    }

    /** A length-prefixed octet string (as in raw-data of a data block or an APDU's octet-string fields). */
    public byte[] octetString() {
        return bytes(length());
    }

    public DlmsData data() {
        return data(0);
    }

    private DlmsData data(int depth) {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("data nested deeper than " + MAX_DEPTH + " levels");
        }
        int code = u8();
        DataTag tag = DataTag.of(code);
        if (tag == null) {
            throw new MalformedException("unknown data type tag " + code);
        }
        return switch (tag) {
            case NULL_DATA -> DlmsData.Null.INSTANCE;
            case ARRAY, STRUCTURE -> {
                int n = length();
                if (n > remaining()) {
                    throw new MalformedException(tag.asn1Name() + " of " + n + " elements in " + remaining() + " bytes");
                }
                List<DlmsData> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(data(depth + 1));
                }
                yield tag == DataTag.ARRAY ? new DlmsData.Array(items) : new DlmsData.Structure(items);
            }
            case BOOLEAN -> new DlmsData.Bool(u8() != 0);
            case BIT_STRING -> {
                int bits = length();
                yield new DlmsData.BitString(bits, bytes((bits + 7) / 8));
            }
            case DOUBLE_LONG -> DlmsData.Int.of(tag, (int) u32());
            case DOUBLE_LONG_UNSIGNED -> DlmsData.Int.of(tag, u32());
            case OCTET_STRING -> new DlmsData.OctetString(octetString());
            case VISIBLE_STRING -> {
                byte[] b = octetString();
                for (byte c : b) {
                    if (c < 0) {
                        throw new MalformedException("visible-string with a non-ASCII byte");
                    }
                }
                yield new DlmsData.VisibleString(new String(b, StandardCharsets.US_ASCII));
            }
            case UTF8_STRING -> new DlmsData.Utf8String(new String(octetString(), StandardCharsets.UTF_8));
            case BCD, INTEGER -> DlmsData.Int.of(tag, (byte) u8());
            case LONG -> DlmsData.Int.of(tag, (short) u16());
            case UNSIGNED, ENUM -> DlmsData.Int.of(tag, u8());
            case LONG_UNSIGNED -> DlmsData.Int.of(tag, u16());
            case LONG64, LONG64_UNSIGNED -> DlmsData.Int.of(tag, s64());
            case FLOAT32 -> new DlmsData.Float32(Float.intBitsToFloat((int) u32()));
            case FLOAT64 -> new DlmsData.Float64(Double.longBitsToDouble(s64()));
            case DATE_TIME, DATE, TIME -> new DlmsData.DateTimeValue(tag, bytes(tag.size()));
            case COMPACT_ARRAY, DONT_CARE ->
                    throw new MalformedException(tag.asn1Name() + " is not supported");
        };
    }
}

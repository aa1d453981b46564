package io.edgegateway.dlms.axdr;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes A-XDR: COSEM data values and APDU primitives. */
public final class AxdrWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    public static byte[] encode(DlmsData data) {
        return new AxdrWriter().data(data).toByteArray();
    }

    public AxdrWriter u8(int v) {
        out.write(v);
        return this;
    }

    public AxdrWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public AxdrWriter u32(long v) {
        for (int s = 24; s >= 0; s -= 8) {
            out.write((int) (v >>> s));
        }
        return this;
    }

    public AxdrWriter s64(long v) {
        for (int s = 56; s >= 0; s -= 8) {
            out.write((int) (v >>> s));
        }
        return this;
    }

    public AxdrWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** Compact A-XDR length. */
    public AxdrWriter length(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (n < 0x80) {
            out.write(n);
        } else if (n <= 0xFF) {
            out.write(0x81);
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(0x82);
            u16(n);
        } else {
            out.write(0x84);
            u32(n);
        }
        return this;
    }

    public AxdrWriter octetString(byte[] b) {
        return length(b.length).bytes(b);
    }

    public AxdrWriter data(DlmsData d) {
        out.write(d.tag().code());
        switch (d) {
            case DlmsData.Null n -> { }
            case DlmsData.Bool b -> out.write(b.value() ? 1 : 0);
            case DlmsData.BitString b -> length(b.bits()).bytes(b.bytes());
            case DlmsData.Int i -> {
                switch (i.type()) {
                    case DOUBLE_LONG, DOUBLE_LONG_UNSIGNED -> u32(i.value());
                    case BCD, INTEGER, UNSIGNED, ENUM -> out.write((int) i.value());
                    case LONG, LONG_UNSIGNED -> u16((int) i.value());
                    case LONG64, LONG64_UNSIGNED -> s64(i.value());
                    default -> throw new IllegalStateException(i.type().name());
                }
            }
            case DlmsData.Float32 f -> u32(Float.floatToIntBits(f.value()) & 0xFFFF_FFFFL);
            case DlmsData.Float64 f -> s64(Double.doubleToLongBits(f.value()));
            case DlmsData.OctetString s -> octetString(s.value());
            case DlmsData.VisibleString s -> octetString(s.value().getBytes(StandardCharsets.US_ASCII));
            case DlmsData.Utf8String s -> octetString(s.value().getBytes(StandardCharsets.UTF_8));
            case DlmsData.DateTimeValue t -> bytes(t.raw());
            case DlmsData.Structure s -> {
                length(s.elements().size());
                s.elements().forEach(this::data);
            }
            case DlmsData.Array a -> {
                length(a.elements().size());
                a.elements().forEach(this::data);
            }
        }
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}

package io.edgegateway.sparkplug;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Protocol Buffers wire format, the few encodings Sparkplug's messages use. */
final class ProtoWriter {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    void varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
    }

    void bool(int field, boolean value) {
        varint(field, value ? 1 : 0);
    }

    void fixed64(int field, long bits) {
        tag(field, FIXED64);
        for (int i = 0; i < 8; i++) {
            out.write((int) (bits >>> (8 * i)));
        }
    }

    void string(int field, String value) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(int field, byte[] value) {
        tag(field, LENGTH);
        rawVarint(value.length);
        out.writeBytes(value);
    }

    void message(int field, ProtoWriter nested) {
        bytes(field, nested.toByteArray());
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}

package io.edgegateway.sparkplug;

import java.nio.charset.StandardCharsets;

/** Reads Protocol Buffers fields one by one; unknown fields are skipped, as the format intends. */
final class ProtoReader {

    private final byte[] buf;
    private int pos;
    private final int end;
    private long tag;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int from, int to) {
        this.buf = buf;
        this.pos = from;
        this.end = to;
    }

    /** Moves to the next field; false at the end. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        tag = varint();
        return true;
    }

    int field() {
        return (int) (tag >>> 3);
    }

    int wireType() {
        return (int) (tag & 7);
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = byteAt(pos++);
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    long fixed64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (byteAt(pos++) & 0xFF) << (8 * i);
        }
        return v;
    }

    int fixed32() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (byteAt(pos++) & 0xFF) << (8 * i);
        }
        return v;
    }

    String string() {
        int n = length();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    ProtoReader message() {
        int n = length();
        ProtoReader r = new ProtoReader(buf, pos, pos + n);
        pos += n;
        return r;
    }

    void skip() {
        switch (wireType()) {
            case ProtoWriter.VARINT -> varint();
            case ProtoWriter.FIXED64 -> pos += 8;
            case ProtoWriter.LENGTH -> {
                int n = length(); // before the +=, which would read pos ahead of the length's own bytes
                pos += n;
            }
            case 5 -> pos += 4;
            default -> throw new IllegalArgumentException("wire type " + wireType() + " is not used by Sparkplug");
        }
        if (pos > end) {
            throw new IllegalArgumentException("a field runs past the end of the payload");
        }
    }

    private int length() {
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw new IllegalArgumentException("a length of " + n + " runs past the end of the payload");
        }
        return (int) n;
    }

    private byte byteAt(int i) {
        if (i >= end) {
            throw new IllegalArgumentException("the payload ends inside a field");
        }
        return buf[i];
    }
}

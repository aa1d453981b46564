package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The little BER the ACSE PDUs need: tag, definite length, value; tags are single bytes here. */
final class Ber {

    private Ber() {
    }

    static void write(ByteArrayOutputStream out, int tag, byte[] value) {
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n <= 0xFF) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, tag, value);
        return out.toByteArray();
    }

    /**
     * Splits a constructed value into its elements by tag (each tag at most once, as in AARQ/AARE).
     */
    static Map<Integer, byte[]> elements(byte[] content) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int p = 0;
        while (p < content.length) {
            int tag = content[p++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new MalformedException("multi-byte BER tags are not used in ACSE APDUs");
            }
            int[] len = length(content, p);
            p = len[1];
            if (p + len[0] > content.length) {
                throw new MalformedException("BER element 0x" + Integer.toHexString(tag) + " runs past the end");
            }
            out.put(tag, Arrays.copyOfRange(content, p, p + len[0]));
            p += len[0];
        }
        return out;
    }

    /** The content of the single element {@code expectedTag} that fills {@code pdu}. */
    static byte[] unwrap(byte[] pdu, int expectedTag) {
        if (pdu.length < 2 || (pdu[0] & 0xFF) != expectedTag) {
            throw new MalformedException("expected BER tag 0x" + Integer.toHexString(expectedTag));
        }
        int[] len = length(pdu, 1);
        if (len[1] + len[0] != pdu.length) {
            throw new MalformedException("BER length " + len[0] + " does not match the " + pdu.length + "-byte PDU");
        }
        return Arrays.copyOfRange(pdu, len[1], pdu.length);
    }

    /** Returns {length, offset after the length bytes}. */
    private static int[] length(byte[] b, int p) {
        if (p >= b.length) {
            throw new MalformedException("BER length missing");
        }
        int first = b[p++] & 0xFF;
        if (first < 0x80) {
            return new int[] {first, p};
        }
        int n = first & 0x7F;
        if (n == 0 || n > 2 || p + n > b.length) {
            throw new MalformedException("unsupported BER length form 0x" + Integer.toHexString(first));
        }
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[p++] & 0xFF);
        }
        return new int[] {v, p};
    }

    /** An OBJECT IDENTIFIER value 2.16.756.5.8.{a}.{b} (DLMS UA arc): 60 85 74 05 08 a b. */
    static byte[] dlmsOid(int arc, int leaf) {
        return new byte[] {0x60, (byte) 0x85, 0x74, 0x05, 0x08, (byte) arc, (byte) leaf};
    }

    /** The last arc of a DLMS UA OID 60 85 74 05 08 {arc} x, or throws. */
    static int dlmsOidLeaf(byte[] oid, int arc) {
        if (oid.length != 7 || oid[0] != 0x60 || (oid[1] & 0xFF) != 0x85 || oid[2] != 0x74 || oid[3] != 0x05
                || oid[4] != 0x08 || oid[5] != arc) {
            throw new MalformedException("not a DLMS UA object identifier");
        }
        return oid[6] & 0xFF;
    }

    /** The value of an INTEGER element 02 01 v inside an explicit tag. */
    static int explicitInteger(byte[] content) {
        Map<Integer, byte[]> e = elements(content);
        byte[] v = e.get(0x02);
        if (v == null || v.length == 0 || v.length > 2) {
            throw new MalformedException("expected a small INTEGER");
        }
        int r = 0;
        for (byte x : v) {
            r = (r << 8) | (x & 0xFF);
        }
        return r;
    }

    static byte[] explicitOctets(byte[] content, int innerTag) {
        byte[] v = elements(content).get(innerTag);
        if (v == null) {
            throw new MalformedException("expected inner tag 0x" + Integer.toHexString(innerTag));
        }
        return v;
    }
}

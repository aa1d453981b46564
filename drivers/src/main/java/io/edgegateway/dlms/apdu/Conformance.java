package io.edgegateway.dlms.apdu;

import java.util.ArrayList;
import java.util.List;

/**
 * The xDLMS conformance block: 24 bits naming the services a side supports. Bit 0 is the most significant bit of
 * the first of three bytes, as the standard numbers them.
 *
 * @param bits the 24 bits as an int, bit 0 of the standard at 1 &lt;&lt; 23
 */
public record Conformance(int bits) {

    public static final int GENERAL_PROTECTION = 1;
    public static final int GENERAL_BLOCK_TRANSFER = 2;
    public static final int READ = 3;
    public static final int WRITE = 4;
    public static final int UNCONFIRMED_WRITE = 5;
    public static final int ATTRIBUTE0_SUPPORTED_WITH_SET = 8;
    public static final int PRIORITY_MGMT_SUPPORTED = 9;
    public static final int ATTRIBUTE0_SUPPORTED_WITH_GET = 10;
    public static final int BLOCK_TRANSFER_WITH_GET_OR_READ = 11;
    public static final int BLOCK_TRANSFER_WITH_SET_OR_WRITE = 12;
    public static final int BLOCK_TRANSFER_WITH_ACTION = 13;
    public static final int MULTIPLE_REFERENCES = 14;
    public static final int INFORMATION_REPORT = 15;
    public static final int DATA_NOTIFICATION = 16;
    public static final int ACCESS = 17;
    public static final int PARAMETERIZED_ACCESS = 18;
    public static final int GET = 19;
    public static final int SET = 20;
    public static final int SELECTIVE_ACCESS = 21;
    public static final int EVENT_NOTIFICATION = 22;
    public static final int ACTION = 23;

    private static final String[] NAMES = {"reserved-zero", "general-protection", "general-block-transfer", "read",
            "write", "unconfirmed-write", "reserved-six", "reserved-seven", "attribute0-supported-with-set",
            "priority-mgmt-supported", "attribute0-supported-with-get", "block-transfer-with-get-or-read",
            "block-transfer-with-set-or-write", "block-transfer-with-action", "multiple-references",
            "information-report", "data-notification", "access", "parameterized-access", "get", "set",
            "selective-access", "event-notification", "action"};

    public Conformance {
        if ((bits & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException("conformance has 24 bits");
        }
    }

    public static Conformance of(int... bitNumbers) {
        int v = 0;
        for (int b : bitNumbers) {
            v |= mask(b);
        }
        return new Conformance(v);
    }

    private static int mask(int bit) {
        if (bit < 0 || bit > 23) {
            throw new IllegalArgumentException("conformance bit 0..23, got " + bit);
        }
        return 1 << (23 - bit);
    }

    public boolean has(int bit) {
        return (bits & mask(bit)) != 0;
    }

    public Conformance and(Conformance other) {
        return new Conformance(bits & other.bits);
    }

    /** The BER-style encoding used inside A-XDR: 5F 1F 04 00 b1 b2 b3. */
    byte[] encode() {
        return new byte[] {0x5F, 0x1F, 0x04, 0x00, (byte) (bits >> 16), (byte) (bits >> 8), (byte) bits};
    }

    static Conformance decode(io.edgegateway.dlms.axdr.AxdrReader r) {
        if (r.u8() != 0x5F || r.u8() != 0x1F) {
            throw new io.edgegateway.dlms.MalformedException("conformance block must start 5F 1F");
        }
        int len = r.u8();
        if (len != 4) {
            throw new io.edgegateway.dlms.MalformedException("conformance block length " + len + ", expected 4");
        }
        r.u8(); // unused bits: always 0 for 24 bits
        return new Conformance((r.u8() << 16) | (r.u8() << 8) | r.u8());
    }

    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            if (has(i)) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("%06X %s", bits, names());
    }
}

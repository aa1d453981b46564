package io.edgegateway.dlms.hdlc;

import io.edgegateway.dlms.MalformedException;

import java.io.ByteArrayOutputStream;

/**
 * HDLC link parameters negotiated in the information field of SNRM and UA (format identifier 0x81, group 0x80):
 * maximum information field length transmit (0x05) and receive (0x06), window size transmit (0x07) and receive
 * (0x08), each from the sender's point of view.
 */
public record HdlcParameters(int maxInfoTransmit, int maxInfoReceive, int windowTransmit, int windowReceive) {

    /** Values that apply when a SNRM carries no information field (IEC 62056-46 defaults). */
    public static final HdlcParameters DEFAULTS = new HdlcParameters(128, 128, 1, 1);

    public HdlcParameters {
        if (maxInfoTransmit < 32 || maxInfoTransmit > 2030 || maxInfoReceive < 32 || maxInfoReceive > 2030) {
            throw new IllegalArgumentException("maximum information field length must be 32..2030");
        }
        if (windowTransmit < 1 || windowTransmit > 7 || windowReceive < 1 || windowReceive > 7) {
            throw new IllegalArgumentException("window size must be 1..7");
        }
    }

    public static HdlcParameters of(int maxInfo, int window) {
        return new HdlcParameters(maxInfo, maxInfo, window, window);
    }

    public byte[] encode() {
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        lengthParameter(group, 0x05, maxInfoTransmit);
        lengthParameter(group, 0x06, maxInfoReceive);
        windowParameter(group, 0x07, windowTransmit);
        windowParameter(group, 0x08, windowReceive);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x81);
        out.write(0x80);
        out.write(group.size());
        out.writeBytes(group.toByteArray());
        return out.toByteArray();
    }

    private static void lengthParameter(ByteArrayOutputStream out, int id, int value) {
        out.write(id);
        if (value <= 0xFF) {
            out.write(1);
            out.write(value);
        } else {
            out.write(2);
            out.write(value >> 8);
            out.write(value);
        }
    }

    private static void windowParameter(ByteArrayOutputStream out, int id, int value) {
        out.write(id);
        out.write(4);
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(value);
    }

    /** Parses a SNRM/UA information field; an empty field means the defaults. */
    public static HdlcParameters decode(byte[] info) {
        if (info == null || info.length == 0) {
            return DEFAULTS;
        }
        if (info.length < 3 || (info[0] & 0xFF) != 0x81 || (info[1] & 0xFF) != 0x80) {
            throw new MalformedException("HDLC parameter field must start 81 80");
        }
        int groupLength = info[2] & 0xFF;
        if (3 + groupLength > info.length) {
            throw new MalformedException("HDLC parameter group runs past the field");
        }
        int tx = DEFAULTS.maxInfoTransmit;
        int rx = DEFAULTS.maxInfoReceive;
        int wtx = DEFAULTS.windowTransmit;
        int wrx = DEFAULTS.windowReceive;
        int p = 3;
        while (p < 3 + groupLength) {
            if (p + 2 > info.length) {
                throw new MalformedException("truncated HDLC parameter");
            }
            int id = info[p] & 0xFF;
            int len = info[p + 1] & 0xFF;
            if (len > 4 || p + 2 + len > info.length) {
                throw new MalformedException("bad HDLC parameter length " + len);
            }
            long v = 0;
            for (int i = 0; i < len; i++) {
                v = (v << 8) | (info[p + 2 + i] & 0xFF);
            }
            switch (id) {
                case 0x05 -> tx = (int) v;
                case 0x06 -> rx = (int) v;
                case 0x07 -> wtx = (int) v;
                case 0x08 -> wrx = (int) v;
                default -> { } // unknown parameters are skipped
            }
            p += 2 + len;
        }
        try {
            return new HdlcParameters(tx, rx, wtx, wrx);
        } catch (IllegalArgumentException e) {
            throw new MalformedException("HDLC parameters out of range: " + e.getMessage());
        }
    }
}

package io.edgegateway.dlms.hdlc;

import io.edgegateway.dlms.MalformedException;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One HDLC frame (format type 3).
 *
 * @param destination the receiver's address
 * @param source      the sender's address
 * @param control     frame kind, sequence numbers and poll/final bit
 * @param segmented   the S bit: more segments of the same APDU follow
 * @param info        the information field, empty when absent
 */
public record HdlcFrame(HdlcAddress destination, HdlcAddress source, HdlcControl control, boolean segmented,
                        byte[] info) {

    public static final int FLAG = 0x7E;
    /** Largest frame length the 11-bit length field can express. */
    public static final int MAX_LENGTH = 0x7FF;

    public HdlcFrame {
        info = info == null ? new byte[0] : info.clone();
    }

    @Override
    public byte[] info() {
        return info.clone();
    }

    public int infoLength() {
        return info.length;
    }

    /** The frame with both flags, ready to send. */
    public byte[] encode() {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(0);
        header.write(0);
        destination.write(header);
        source.write(header);
        header.write(control.encode());
        byte[] h = header.toByteArray();
        int length = h.length + (info.length > 0 ? 2 + info.length : 0) + 2;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("HDLC frame of " + length + " bytes exceeds the 11-bit length");
        }
        h[0] = (byte) (0xA0 | (segmented ? 0x08 : 0) | ((length >> 8) & 0x07));
        h[1] = (byte) length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 2);
        out.write(FLAG);
        out.writeBytes(h);
        if (info.length > 0) {
            int hcs = Crc16.of(h);
            out.write(hcs);
            out.write(hcs >> 8);
            out.writeBytes(info);
        }
        byte[] body = Arrays.copyOfRange(out.toByteArray(), 1, out.size());
        int fcs = Crc16.of(body);
        out.write(fcs);
        out.write(fcs >> 8);
        out.write(FLAG);
        return out.toByteArray();
    }

    /** The length a frame declares in its two format bytes (bytes between the flags). */
    public static int declaredLength(int format0, int format1) {
        return ((format0 & 0x07) << 8) | (format1 & 0xFF);
    }

    /** True when the byte can start a type-3 format field. */
    public static boolean isFormatStart(int b) {
        return (b & 0xF0) == 0xA0;
    }

    /**
     * Decodes the bytes between the flags.
     *
     * @throws MalformedException for a bad HCS/FCS, a wrong format type or a length that does not match
     */
    public static HdlcFrame decode(byte[] content) {
        if (content.length < 7) {
            throw new MalformedException("HDLC frame of " + content.length + " bytes is too short");
        }
        int f0 = content[0] & 0xFF;
        if (!isFormatStart(f0)) {
            throw new MalformedException(String.format("not an HDLC frame format type 3 (format byte 0x%02X)", f0));
        }
        int length = declaredLength(f0, content[1]);
        if (length != content.length) {
            throw new MalformedException("HDLC length field says " + length + " bytes, frame has " + content.length);
        }
        int fcs = (content[length - 2] & 0xFF) | ((content[length - 1] & 0xFF) << 8);
        if (Crc16.of(content, 0, length - 2) != fcs) {
            throw new MalformedException(String.format("HDLC frame check sequence wrong (got %04X, computed %04X)",
                    fcs, Crc16.of(content, 0, length - 2)));
        }
        HdlcAddress dest = HdlcAddress.read(content, 2, length - 2);
        HdlcAddress src = HdlcAddress.read(content, 2 + dest.size(), length - 2);
        int controlAt = 2 + dest.size() + src.size();
        if (controlAt >= length - 2) {
            throw new MalformedException("HDLC frame without a control field");
        }
        HdlcControl control = HdlcControl.decode(content[controlAt] & 0xFF);
        int headerEnd = controlAt + 1;
        byte[] info = new byte[0];
        if (headerEnd < length - 2) {
            if (headerEnd + 2 > length - 2) {
                throw new MalformedException("HDLC frame too short for its header check sequence");
            }
            int hcs = (content[headerEnd] & 0xFF) | ((content[headerEnd + 1] & 0xFF) << 8);
            if (Crc16.of(content, 0, headerEnd) != hcs) {
                throw new MalformedException("HDLC header check sequence wrong");
            }
            info = Arrays.copyOfRange(content, headerEnd + 2, length - 2);
        }
        return new HdlcFrame(dest, src, control, (f0 & 0x08) != 0, info);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HdlcFrame f && f.destination.equals(destination) && f.source.equals(source)
                && f.control.equals(control) && f.segmented == segmented && Arrays.equals(f.info, info);
    }

    @Override
    public int hashCode() {
        return control.hashCode() * 31 + Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return control + " " + source + "->" + destination + (segmented ? " segmented" : "")
                + (info.length > 0 ? " info " + HexFormat.of().formatHex(info) : "");
    }
}

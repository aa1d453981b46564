package io.edgegateway.dlms;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OBIS code (IEC 62056-61): six value groups A-F naming a COSEM object, e.g. 1.0.15.8.0.255 for
 * total absolute active energy. Accepts the dotted form and the display form {@code 1-0:15.8.0*255}.
 */
public record ObisCode(int a, int b, int c, int d, int e, int f) {

    private static final Pattern DOTTED = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern DISPLAY = Pattern.compile("(\\d+)-(\\d+):(\\d+)\\.(\\d+)\\.(\\d+)(?:\\*(\\d+))?");

    public ObisCode {
        for (int v : new int[] {a, b, c, d, e, f}) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("OBIS value groups are 0..255, got " + v);
            }
        }
    }

    public static ObisCode parse(String text) {
        String t = text.trim();
        Matcher m = DOTTED.matcher(t);
        if (!m.matches()) {
            m = DISPLAY.matcher(t);
            if (!m.matches()) {
                throw new IllegalArgumentException("not an OBIS code: '" + text + "' (expected e.g. 1.0.15.8.0.255)");
            }
        }
        int[] v = new int[6];
        for (int i = 0; i < 6; i++) {
            String g = m.group(i + 1);
            v[i] = g == null ? 255 : Integer.parseInt(g);
        }
        return new ObisCode(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /** The six bytes as sent in a COSEM attribute descriptor. */
    public byte[] toBytes() {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d, (byte) e, (byte) f};
    }

    public static ObisCode fromBytes(byte[] bytes, int offset) {
        if (bytes.length - offset < 6) {
            throw new IllegalArgumentException("an OBIS code needs 6 bytes");
        }
        return new ObisCode(bytes[offset] & 0xFF, bytes[offset + 1] & 0xFF, bytes[offset + 2] & 0xFF,
                bytes[offset + 3] & 0xFF, bytes[offset + 4] & 0xFF, bytes[offset + 5] & 0xFF);
    }

    @Override
    public String toString() {
        return a + "." + b + "." + c + "." + d + "." + e + "." + f;
    }
}

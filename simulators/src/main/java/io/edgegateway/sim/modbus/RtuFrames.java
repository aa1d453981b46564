package io.edgegateway.sim.modbus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Modbus RTU framing ("Modbus over serial line" v1.02, section 2.5.1): unit id, PDU, CRC-16 low byte first.
 *
 * <p>An instance assembles request frames from bytes as they arrive (from a serial line or an RTU-over-TCP
 * socket). Timing on a PC is too coarse for the spec's 1.5/3.5 character rules, so a frame's end is found from
 * its function code, the way real masters and slaves do: functions 1-6 are 8 bytes, 15 and 16 carry a byte count.
 * A frame with a bad CRC loses its first byte and the rest is scanned again (resynchronisation); a silence drops
 * an unfinished frame, and lets a frame of an unknown function through if its CRC holds (to be answered
 * "illegal function"). Not thread-safe: one reader per line.
 */
public final class RtuFrames {

    /** The serial-line maximum: 256 bytes per frame. */
    public static final int MAX_FRAME = 256;

    private final byte[] buffer = new byte[2 * MAX_FRAME];
    private int length;
    private long crcErrors;
    private long discarded;

    /** A frame for the wire: {@code unit}, {@code pdu}, CRC. */
    public static byte[] encode(int unit, byte[] pdu) {
        byte[] out = new byte[pdu.length + 3];
        out[0] = (byte) unit;
        System.arraycopy(pdu, 0, out, 1, pdu.length);
        int crc = Crc16.of(out, 0, pdu.length + 1);
        out[pdu.length + 1] = (byte) crc;
        out[pdu.length + 2] = (byte) (crc >>> 8);
        return out;
    }

    /** Adds received bytes and returns the complete, CRC-checked frames among them (unit id + PDU, no CRC). */
    public List<byte[]> accept(byte[] data, int off, int len) {
        List<byte[]> frames = new ArrayList<>(1);
        for (int i = 0; i < len; ) {
            int n = Math.min(len - i, buffer.length - length);
            System.arraycopy(data, off + i, buffer, length, n);
            length += n;
            i += n;
            extract(frames);
            if (length == buffer.length) {
                // Nothing framed in two frames' worth of bytes: wrong baud rate or noise. Start over.
                discarded += length;
                length = 0;
            }
        }
        return frames;
    }

    /** The line went quiet: a frame is over, whatever it was. */
    public List<byte[]> silence() {
        List<byte[]> frames = new ArrayList<>(1);
        if (length >= 4 && expectedLength(0) < 0 && Crc16.check(buffer, 0, length)) {
            frames.add(Arrays.copyOf(buffer, length - 2));
        } else {
            discarded += length;
        }
        length = 0;
        return frames;
    }

    /** Bytes received that are not yet a frame. */
    public int pending() {
        return length;
    }

    public long crcErrors() {
        return crcErrors;
    }

    /** Bytes thrown away while resynchronising. */
    public long discarded() {
        return discarded;
    }

    private void extract(List<byte[]> frames) {
        while (length >= 2) {
            int need = expectedLength(0);
            if (need < 0) {
                // A function we cannot size: a frame that only a silence ends, or noise. If a good frame
                // follows within what we have, the noise ends here.
                int k = nextFrameStart();
                if (k < 0) {
                    return;
                }
                discarded += k;
                shift(k);
                continue;
            }
            if (length < need) {
                return;
            }
            if (Crc16.check(buffer, 0, need)) {
                frames.add(Arrays.copyOf(buffer, need - 2));
                shift(need);
            } else {
                crcErrors++;
                discarded++;
                shift(1);
            }
        }
    }

    /**
     * Length of the request frame starting the buffer, CRC included: {@code Integer.MAX_VALUE} = more bytes
     * needed to tell, -1 = unknown function (only a silence ends it).
     */
    private int expectedLength(int at) {
        int function = buffer[at + 1] & 0xFF;
        return switch (function) {
            case 1, 2, 3, 4, 5, 6 -> 8;
            case 15, 16 -> length - at < 7 ? Integer.MAX_VALUE : 9 + (buffer[at + 6] & 0xFF);
            default -> -1;
        };
    }

    /** Offset of the first complete frame with a good CRC after the start of the buffer, or -1. */
    private int nextFrameStart() {
        for (int k = 1; k + 4 <= length; k++) {
            int n = expectedLength(k);
            if (n > 0 && n != Integer.MAX_VALUE && k + n <= length && Crc16.check(buffer, k, n)) {
                return k;
            }
        }
        return -1;
    }

    private void shift(int n) {
        System.arraycopy(buffer, n, buffer, 0, length - n);
        length -= n;
    }
}

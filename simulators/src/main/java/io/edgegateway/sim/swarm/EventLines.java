package io.edgegateway.sim.swarm;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines in bulk: reads into one buffer, finds each {@code '\n'} there and hands the line's
 * bytes over in place, without a String or a copy. A thousand dashboards on the gateway's own cores must cost
 * less than what they measure; reading byte by byte and building a String per line did not.
 *
 * <p>A line is what {@link StreamResponse#line} returns: the bytes before {@code '\n'} without any {@code '\r'},
 * and a last line without {@code '\n'} when it has any byte but {@code '\r'}.
 */
final class EventLines {

    /** Receives each line as {@code b[from, to)}; the bytes are only valid during the call. */
    @FunctionalInterface
    interface Handler {
        void line(byte[] b, int from, int to);
    }

    private static final int INITIAL = 16 * 1024;
    /** Below this much room behind the data, move the unfinished line to the front (or grow) before reading. */
    private static final int MIN_READ = 2048;

    private EventLines() {
    }

    /** Hands every line of {@code in} to {@code handler} until the end of the stream. */
    static void read(InputStream in, Handler handler) throws IOException {
        byte[] buf = new byte[INITIAL];
        int start = 0; // the unfinished line is buf[start, end)
        int end = 0;
        int scanned = 0; // buf[start, scanned) has no '\n'
        int crs = 0; // '\r' bytes in buf[start, scanned)
        while (true) {
            int nl = -1;
            for (int i = scanned; i < end; i++) {
                byte c = buf[i];
                if (c == '\n') {
                    nl = i;
                    break;
                }
                if (c == '\r') {
                    crs++;
                }
            }
            if (nl >= 0) {
                deliver(buf, start, nl, crs, handler);
                start = nl + 1;
                scanned = start;
                crs = 0;
                continue;
            }
            scanned = end;
            if (buf.length - end < MIN_READ) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scanned = end;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                if (end - start - crs > 0) {
                    deliver(buf, start, end, crs, handler);
                }
                return;
            }
            end += n;
        }
    }

    private static void deliver(byte[] buf, int from, int to, int crs, Handler handler) {
        if (crs == 0) {
            handler.line(buf, from, to);
            return;
        }
        byte[] stripped = new byte[to - from - crs]; // rare: a server that ends lines with CR LF
        int j = 0;
        for (int i = from; i < to; i++) {
            if (buf[i] != '\r') {
                stripped[j++] = buf[i];
            }
        }
        handler.line(stripped, 0, stripped.length);
    }

    /** Whether {@code b[from, to)} starts with {@code prefix}. */
    static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && Arrays.equals(b, from, from + prefix.length, prefix, 0, prefix.length);
    }

    /** Where {@code what} first occurs in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte[] what) {
        byte first = what[0];
        for (int i = from, last = to - what.length; i <= last; i++) {
            if (b[i] == first && Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }
}

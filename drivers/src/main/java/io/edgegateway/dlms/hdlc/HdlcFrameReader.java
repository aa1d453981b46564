package io.edgegateway.dlms.hdlc;

import io.edgegateway.dlms.transport.AnswerCutOffException;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.link.ByteLink;
import io.edgegateway.dlms.transport.FrameException;
import io.edgegateway.dlms.transport.LinkTimeoutException;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;

/**
 * Cuts HDLC frames out of a byte stream. Bytes before an opening flag are skipped; a flag may close one frame and
 * open the next. Keeps what it read beyond a frame for the next call.
 */
public final class HdlcFrameReader {

    private final ByteLink link;
    private final byte[] buffer = new byte[4096];
    private int start;
    private int end;

    public HdlcFrameReader(ByteLink link) {
        this.link = link;
    }

    /** Forgets buffered bytes (after an error, before a reconnect or a fresh request). */
    public void clear() {
        start = 0;
        end = 0;
    }

    /**
     * Reads the next frame.
     *
     * @throws LinkTimeoutException when nothing that looks like a frame arrived in time
     * @throws FrameException       for a truncated or corrupt frame (bad HCS/FCS, wrong length)
     */
    public HdlcFrame read(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int skipped = 0;
        while (true) {
            // Find an opening flag followed by a format byte.
            while (true) {
                while (start < end && (buffer[start] & 0xFF) != HdlcFrame.FLAG) {
                    start++;
                    skipped++;
                }
                while (end - start >= 2 && (buffer[start + 1] & 0xFF) == HdlcFrame.FLAG) {
                    start++; // back-to-back flags
                }
                if (end - start >= 2) {
                    break;
                }
                if (!fill(deadline)) {
                    if (skipped > 0 || end > start) {
                        throw new FrameException("no valid HDLC frame before the timeout (" + (skipped + end - start)
                                + " stray bytes)");
                    }
                    throw new LinkTimeoutException("no answer within " + timeout.toMillis() + " ms");
                }
            }
            int f0 = buffer[start + 1] & 0xFF;
            if (!HdlcFrame.isFormatStart(f0)) {
                start++; // the flag was a closing flag of something else; resynchronise
                skipped++;
                continue;
            }
            while (end - start < 3) {
                if (!fill(deadline)) {
                    throw new AnswerCutOffException("HDLC frame incomplete: " + (end - start) + " bytes before the deadline");
                }
            }
            int length = HdlcFrame.declaredLength(f0, buffer[start + 2]);
            if (length < 7) {
                start++;
                skipped++;
                continue;
            }
            int total = length + 2; // with both flags
            while (end - start < total) {
                if (!fill(deadline)) {
                    throw new AnswerCutOffException("HDLC frame incomplete: " + (end - start) + " of " + total
                            + " bytes before the deadline");
                }
            }
            if ((buffer[start + total - 1] & 0xFF) != HdlcFrame.FLAG) {
                start += total - 1;
                throw new FrameException("HDLC frame of declared length " + length + " is not followed by a flag");
            }
            byte[] content = Arrays.copyOfRange(buffer, start + 1, start + 1 + length);
            // Leave the closing flag: it may open the next frame.
            start += total - 1;
            try {
                return HdlcFrame.decode(content);
            } catch (MalformedException e) {
                throw new FrameException(e.getMessage());
            }
        }
    }

    /** Reads more bytes; false when the deadline passed without any. */
    private boolean fill(long deadline) throws IOException {
        if (start > 0 && (end == buffer.length || start == end)) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            // A frame cannot be this long: drop what we have.
            start = 0;
            end = 0;
            throw new FrameException("more than " + buffer.length + " bytes without a valid HDLC frame");
        }
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            int n = link.read(buffer, end, buffer.length - end, Duration.ofNanos(Math.max(left, 1_000_000)));
            if (n > 0) {
                end += n;
                return true;
            }
        }
    }
}

package io.edgegateway.sim.dlms;

import io.edgegateway.link.ByteLink;
import io.edgegateway.link.ForwardingByteLink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;

/** Applies the output faults of {@link DlmsFaults} to everything a simulated meter sends. */
final class FaultyLink extends ForwardingByteLink {

    private final DlmsFaults faults;

    FaultyLink(ByteLink link, DlmsFaults faults) {
        super(link);
        this.faults = faults;
    }

    @Override
    public void write(byte[] data) throws IOException {
        if (faults.silent()) {
            return;
        }
        Duration d = faults.delay();
        if (!d.isZero()) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
        byte[] out = data;
        if (faults.takeCorrupt()) {
            out = data.clone();
            // HDLC: the byte before the closing flag is the FCS high byte. Wrapper: byte 1 is the version.
            int at = (data[0] & 0xFF) == 0x7E && data.length > 3 ? data.length - 2 : 1;
            out[at] ^= 0x5A;
        }
        if (faults.takeTruncated()) {
            out = Arrays.copyOf(out, Math.max(1, out.length / 2));
        }
        link.write(out);
    }
}

package io.edgegateway.sim.dlms;

import io.edgegateway.link.ByteLink;
import io.edgegateway.link.ForwardingByteLink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Applies the output faults of {@link DlmsFaults} to everything a simulated meter sends. */
final class FaultyLink extends ForwardingByteLink {

    private final DlmsFaults faults;
    private final SplittableRandom random = new SplittableRandom(20261201);

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
            pause(d);
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
        if (faults.garbage()) {
            out = new byte[out.length];
            random.nextBytes(out);
        }
        int drip = faults.drip();
        if (drip <= 0) {
            link.write(out);
            return;
        }
        for (int i = 0; i < out.length; i++) {
            if (i > 0) {
                pause(Duration.ofNanos(1_000_000_000L / drip));
            }
            link.write(new byte[] {out[i]});
        }
    }

    private static void pause(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
